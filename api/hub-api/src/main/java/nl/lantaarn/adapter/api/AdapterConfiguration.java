package nl.lantaarn.adapter.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The configuration of one adapter instance, with typed reads whose errors name the field. Values may be strings (as
 * in {@code etc/*.cfg} files) or typed values; either is accepted. Immutable.
 */
public final class AdapterConfiguration {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final java.util.Set<String> BOOKKEEPING = java.util.Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "service.ranking", "service.id", "component.name", "component.id");

    private final String typeId;
    private final String name;
    private final Map<String, Object> properties;

    /**
     * @param typeId     the adapter type, e.g. {@code ttn}
     * @param name       the instance name, e.g. {@code eindhoven} from {@code nl.lantaarn.adapter.ttn~eindhoven.cfg}
     * @param properties the configuration properties (OSGi and FileInstall bookkeeping keys are left out)
     */
    public AdapterConfiguration(String typeId, String name, Map<String, ?> properties) {
        this.typeId = Objects.requireNonNull(typeId, "typeId");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("instance name '" + name
                    + "' must be 1-63 lower-case letters, digits and dashes");
        }
        this.name = name;
        Map<String, Object> copy = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (!isBookkeeping(key) && value != null) {
                copy.put(key, value);
            }
        });
        this.properties = Collections.unmodifiableMap(copy);
    }

    /** True for keys that ConfigAdmin and FileInstall add, not the operator. */
    public static boolean isBookkeeping(String key) {
        return BOOKKEEPING.contains(key) || key.startsWith("felix.fileinstall.");
    }

    public String typeId() {
        return typeId;
    }

    /** The instance name: {@code default}, or the part after {@code ~} in the configuration file name. */
    public String name() {
        return name;
    }

    /** The instance id used in dead letters, status and metrics: the type id, plus {@code .name} unless default. */
    public String instanceId() {
        return "default".equals(name) ? typeId : typeId + "." + name;
    }

    /** All properties, keys sorted. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** A string that must be present and not blank. */
    public String requiredString(String key) throws AdapterConfigurationException {
        return optionalString(key).orElseThrow(() -> new AdapterConfigurationException(key, "is required"));
    }

    /** A string, absent (or blank) giving the default. */
    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    public Optional<String> optionalString(String key) {
        Object value = properties.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** A whole number within [min, max]. */
    public long integer(String key, long defaultValue, long min, long max) throws AdapterConfigurationException {
        Optional<String> text = optionalString(key);
        long value;
        if (text.isEmpty()) {
            value = defaultValue;
        } else {
            try {
                value = Long.parseLong(text.get());
            } catch (NumberFormatException e) {
                throw new AdapterConfigurationException(key, "must be a whole number, was '" + text.get() + "'");
            }
        }
        if (value < min || value > max) {
            throw new AdapterConfigurationException(key, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** {@code true} or {@code false}. */
    public boolean bool(String key, boolean defaultValue) throws AdapterConfigurationException {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        if (text.get().equalsIgnoreCase("true") || text.get().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text.get());
        }
        throw new AdapterConfigurationException(key, "must be true or false, was '" + text.get() + "'");
    }

    /** An ISO-8601 duration such as {@code PT30S}, or a number of seconds. */
    public Duration duration(String key, Duration defaultValue) throws AdapterConfigurationException {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        Duration value;
        try {
            value = text.get().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text.get()))
                    : Duration.parse(text.get());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new AdapterConfigurationException(key, "must be a duration such as PT30S or a number of seconds, "
                    + "was '" + text.get() + "'");
        }
        if (value.isNegative() || value.isZero()) {
            throw new AdapterConfigurationException(key, "must be positive, was " + text.get());
        }
        return value;
    }

    /** An absolute http or https URI. */
    public URI httpUri(String key) throws AdapterConfigurationException {
        String text = requiredString(key);
        try {
            URI uri = new URI(text);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new AdapterConfigurationException(key, "must be an http or https URL, was '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new AdapterConfigurationException(key, "is not a valid URL: " + e.getReason());
        }
    }

    /** A list: an array or collection value, or a comma-separated string. Absent gives an empty list. */
    public List<String> stringList(String key) {
        Object value = properties.get(key);
        List<String> result = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(v -> add(result, String.valueOf(v)));
        } else if (value instanceof Object[] array) {
            for (Object v : array) {
                add(result, String.valueOf(v));
            }
        } else if (value != null) {
            for (String part : String.valueOf(value).split(",")) {
                add(result, part);
            }
        }
        return List.copyOf(result);
    }

    /**
     * The properties whose keys start with {@code prefix}, with the prefix removed, e.g. {@code mapping.} on
     * {@code mapping.laeq=noise.laeq} gives {@code laeq -> noise.laeq}.
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                result.put(key.substring(prefix.length()), String.valueOf(value).trim());
            }
        });
        return Collections.unmodifiableMap(result);
    }

    private static void add(List<String> list, String value) {
        String trimmed = value.trim();
        if (!trimmed.isEmpty()) {
            list.add(trimmed);
        }
    }

    @Override
    public String toString() {
        // keys only: values may hold secrets
        return "AdapterConfiguration[" + instanceId() + ", keys " + properties.keySet() + "]";
    }
}
