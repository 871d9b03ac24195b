package nl.lantaarn.adapter.runtime.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import nl.lantaarn.adapter.api.AdapterConfiguration;

/**
 * The configuration of one adapter instance: a ConfigAdmin configuration of factory PID
 * {@code nl.lantaarn.adapter.<type>}, or the implicit empty configuration of a type's {@code default} instance.
 *
 * @param pid         the configuration's PID, {@code null} for the implicit default
 * @param typeId      the adapter type
 * @param name        the instance name
 * @param properties  the operator's properties (bookkeeping keys left out)
 * @param problem     why this configuration cannot make an instance (a bad file name), else {@code null}
 */
record InstanceConfig(String pid, String typeId, String name, Map<String, Object> properties, String problem) {

    static final String PREFIX = "nl.lantaarn.adapter.";
    /** The runtime's own PID, which has the adapter prefix but configures no adapter. */
    static final String RUNTIME_PID = PREFIX + "runtime";
    static final String DEFAULT_NAME = "default";

    private static final Pattern TYPE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String FILE_NAME = "felix.fileinstall.filename";

    InstanceConfig {
        Objects.requireNonNull(typeId, "typeId");
        Objects.requireNonNull(name, "name");
        properties = Map.copyOf(properties);
    }

    /** The implicit configuration of a type's {@code default} instance. */
    static InstanceConfig defaultFor(String typeId) {
        return new InstanceConfig(null, typeId, DEFAULT_NAME, Map.of(), null);
    }

    /** The instance id: the type id, plus {@code .name} unless the instance is {@code default}. */
    String instanceId() {
        return DEFAULT_NAME.equals(name) ? typeId : typeId + "." + name;
    }

    /** Whether this is the implicit configuration of a default instance (no configuration exists). */
    boolean implicit() {
        return pid == null;
    }

    /** What the adapter factory gets: everything but the sensor register's keys, which the runtime reads. */
    AdapterConfiguration toAdapterConfiguration() {
        Map<String, Object> adapterOwn = new TreeMap<>(properties);
        adapterOwn.keySet().removeIf(key -> key.startsWith(RegisterGate.PREFIX));
        return new AdapterConfiguration(typeId, name, adapterOwn);
    }

    /** The sensor register's keys ({@code register.*}), without the prefix. */
    Map<String, Object> register() {
        Map<String, Object> register = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(RegisterGate.PREFIX)) {
                register.put(key.substring(RegisterGate.PREFIX.length()), value);
            }
        });
        return register;
    }

    /** Same PID and same properties: nothing for the instance to do. */
    boolean sameAs(InstanceConfig other) {
        return other != null && Objects.equals(pid, other.pid) && properties.equals(other.properties)
                && Objects.equals(problem, other.problem);
    }

    /**
     * Reads a ConfigAdmin configuration as an adapter configuration, or nothing when it configures something else.
     * The type and name come from the file name when FileInstall made it ({@code nl.lantaarn.adapter.<type>~<name>.cfg};
     * FileInstall itself splits file names at the first dash, which type ids contain), else from the factory PID and
     * the PID ({@code <factoryPid>~<name>}, or a generated PID).
     */
    static Optional<InstanceConfig> parse(String pid, String factoryPid, Map<String, ?> raw) {
        String typeId;
        String name;
        String base = fileBaseName(raw.get(FILE_NAME));
        if (base != null && base.startsWith(PREFIX)) {
            String[] parts = splitTypeAndName(base.substring(PREFIX.length()));
            typeId = parts[0];
            name = parts[1];
        } else if (factoryPid != null && factoryPid.startsWith(PREFIX)) {
            typeId = factoryPid.substring(PREFIX.length());
            if (pid.startsWith(factoryPid + "~") || pid.startsWith(factoryPid + ".")) {
                name = pid.substring(factoryPid.length() + 1);
            } else {
                name = pid;
            }
        } else if (pid != null && pid.startsWith(PREFIX)) {
            String[] parts = splitTypeAndName(pid.substring(PREFIX.length()));
            typeId = parts[0];
            name = parts[1];
        } else {
            return Optional.empty();
        }
        if (RUNTIME_PID.equals(PREFIX + typeId)) {
            return Optional.empty(); // the runtime's own settings
        }
        Map<String, Object> properties = new TreeMap<>();
        raw.forEach((key, value) -> {
            if (!AdapterConfiguration.isBookkeeping(key) && value != null) {
                // arrays as lists, so that an unchanged configuration compares equal (sameAs)
                properties.put(key, value.getClass().isArray() ? asList(value) : value);
            }
        });
        String problem = null;
        if (!TYPE_ID.matcher(typeId).matches()) {
            problem = "configuration " + pid + ": adapter type '" + typeId + "' must be 1-63 lower-case letters, "
                    + "digits and dashes; name the file nl.lantaarn.adapter.<type>~<name>.cfg";
        } else {
            try {
                new AdapterConfiguration(typeId, name, Map.of());
            } catch (IllegalArgumentException e) {
                problem = "configuration " + pid + ": " + e.getMessage()
                        + "; name the file nl.lantaarn.adapter.<type>~<name>.cfg";
            }
        }
        return Optional.of(new InstanceConfig(pid, typeId, name, properties, problem));
    }

    private static List<Object> asList(Object array) {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < Array.getLength(array); i++) {
            list.add(Array.get(array, i));
        }
        return List.copyOf(list);
    }

    private static String[] splitTypeAndName(String rest) {
        int tilde = rest.indexOf('~');
        return tilde < 0 ? new String[] {rest, DEFAULT_NAME}
                : new String[] {rest.substring(0, tilde), rest.substring(tilde + 1)};
    }

    /** {@code file:/x/etc/nl.lantaarn.adapter.ttn~a.cfg} gives {@code nl.lantaarn.adapter.ttn~a}. */
    private static String fileBaseName(Object fileName) {
        if (fileName == null) {
            return null;
        }
        String text = String.valueOf(fileName);
        int slash = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
        String file = text.substring(slash + 1);
        for (String extension : new String[] {".cfg", ".config"}) {
            if (file.endsWith(extension)) {
                return file.substring(0, file.length() - extension.length());
            }
        }
        return file;
    }

    @Override
    public String toString() {
        // keys only: values may hold secrets
        return "InstanceConfig[" + (pid == null ? "implicit " + instanceId() : pid) + ", keys "
                + properties.keySet() + "]";
    }
}
