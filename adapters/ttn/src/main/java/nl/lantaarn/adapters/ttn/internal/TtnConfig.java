package nl.lantaarn.adapters.ttn.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.support.ConfigReaders;
import nl.lantaarn.things.model.FeatureDefinitions;

/**
 * The validated configuration of one TTN adapter instance. Every key is described in the module README and in
 * {@code etc/nl.lantaarn.adapter.ttn~default.cfg}.
 *
 * @param instanceId      the instance id, for messages
 * @param configFile      the file that configures this instance, for messages
 * @param topic           MQTT topic filter of the uplinks
 * @param country         first part of the thing namespaces
 * @param municipality    second part of the thing namespaces
 * @param mappings        per application id, its field mappings
 * @param definitions     per feature id, its feature definition identifier
 * @param gatewayLocation whether the best-received gateway's location stands in for a device without one
 * @param maxDevices      devices whose last frame counter is remembered
 * @param resetGap        how far below the last frame counter a counter must be to count as a device reset
 */
record TtnConfig(String instanceId, String configFile, String topic, String country, String municipality,
        Map<String, List<FieldMapping>> mappings, Map<String, String> definitions, boolean gatewayLocation,
        int maxDevices, long resetGap) {

    static final String TOPIC = "topic";
    static final String COUNTRY = ConfigReaders.COUNTRY;
    static final String MUNICIPALITY = ConfigReaders.MUNICIPALITY;
    static final String MAPPING = "mapping.";
    static final String DEFINITION = "definition.";
    static final String GATEWAY_LOCATION = "location.gateways";
    static final String MAX_DEVICES = "duplicates.devices";
    static final String RESET_GAP = "duplicates.resetGap";

    static final String DEFAULT_TOPIC = "v3/+/devices/+/up";

    private static final Set<String> KEYS = Set.of(TOPIC, COUNTRY, MUNICIPALITY, GATEWAY_LOCATION, MAX_DEVICES,
            RESET_GAP);
    // The Things Stack's own rule for application ids, with room for longer ones
    private static final Pattern APPLICATION_ID = Pattern.compile("[a-z0-9](?:-?[a-z0-9]){1,62}");
    private static final Pattern FIELD_SEGMENT = Pattern.compile("[^/\\s]{1,64}");
    private static final Pattern DOMAIN = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern FEATURE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern PROPERTY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Pattern FIWARE_MODEL = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}");
    private static final Set<String> RESERVED_PROPERTIES = Set.of(TtnAdapter.MEASURED_AT, TtnAdapter.UNITS);
    private static final int MAX_UNIT_LENGTH = 32;

    /** Definitions of the usual feature names, so that a plain mapping needs no definition key. */
    private static final Map<String, String> DEFAULT_DEFINITIONS = Map.of(
            "noise", FeatureDefinitions.NOISE_LEVEL_OBSERVED,
            "crowd", FeatureDefinitions.CROWD_FLOW_OBSERVED,
            "airQuality", FeatureDefinitions.AIR_QUALITY_OBSERVED,
            "traffic", FeatureDefinitions.TRAFFIC_FLOW_OBSERVED);

    /**
     * Reads and checks the configuration.
     *
     * @throws AdapterConfigurationException naming the first key that is wrong and what is expected
     */
    static TtnConfig from(AdapterConfiguration configuration, String factoryPid, Set<String> domains)
            throws AdapterConfigurationException {
        for (String key : configuration.properties().keySet()) {
            if (!KEYS.contains(key) && !key.startsWith(MAPPING) && !key.startsWith(DEFINITION)) {
                throw new AdapterConfigurationException(key, "is not a setting of the TTN adapter; the settings are "
                        + "topic, country, municipality, mapping.<application>.<decodedField>, definition.<feature>, "
                        + GATEWAY_LOCATION + ", " + MAX_DEVICES + " and " + RESET_GAP);
            }
        }
        String topic = configuration.string(TOPIC, DEFAULT_TOPIC);
        if (topic.length() > 256 || topic.contains(" ") || topic.indexOf('#') >= 0 && !topic.endsWith("#")) {
            throw new AdapterConfigurationException(TOPIC, "must be an MQTT topic filter such as " + DEFAULT_TOPIC
                    + ", was '" + topic + "'");
        }
        String country = ConfigReaders.country(configuration);
        String municipality = ConfigReaders.municipality(configuration);
        Map<String, List<FieldMapping>> mappings = mappings(configuration.withPrefix(MAPPING), domains);
        Map<String, String> definitions = definitions(configuration.withPrefix(DEFINITION));
        boolean gatewayLocation = configuration.bool(GATEWAY_LOCATION, false);
        int maxDevices = (int) configuration.integer(MAX_DEVICES, 10_000, 1, 1_000_000);
        long resetGap = configuration.integer(RESET_GAP, 64, 1, 1L << 32);
        String configFile = "etc/" + factoryPid + "~" + configuration.name() + ".cfg";
        return new TtnConfig(configuration.instanceId(), configFile, topic, country, municipality, mappings,
                definitions, gatewayLocation, maxDevices, resetGap);
    }

    /** The feature definition identifier of a feature, if it has one. */
    Optional<String> definition(String feature) {
        return Optional.ofNullable(definitions.get(feature));
    }

    private static Map<String, List<FieldMapping>> mappings(Map<String, String> entries, Set<String> domains)
            throws AdapterConfigurationException {
        Map<String, List<FieldMapping>> byApplication = new TreeMap<>();
        Map<String, String> targets = new HashMap<>();
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String key = MAPPING + entry.getKey();
            FieldMapping mapping = mapping(key, entry.getKey(), entry.getValue());
            if (!domains.contains(mapping.domain())) {
                // the adapter type declares its domains for the sensor register; things stay within them
                throw new AdapterConfigurationException(key, "domain '" + mapping.domain() + "' is not one of the "
                        + "TTN adapter's domains " + new TreeSet<>(domains));
            }
            String application = entry.getKey().substring(0, entry.getKey().indexOf('.'));
            String target = application + " " + mapping.domain() + ":" + mapping.feature() + "." + mapping.property();
            String earlier = targets.putIfAbsent(target, key);
            if (earlier != null) {
                throw new AdapterConfigurationException(key, "maps to " + mapping.domain() + ":" + mapping.feature()
                        + "." + mapping.property() + ", as " + earlier + " does already; map each property once");
            }
            byApplication.computeIfAbsent(application, a -> new ArrayList<>()).add(mapping);
        }
        Map<String, List<FieldMapping>> result = new LinkedHashMap<>();
        byApplication.forEach((application, list) -> result.put(application, List.copyOf(list)));
        return Map.copyOf(result);
    }

    private static FieldMapping mapping(String key, String applicationAndField, String value)
            throws AdapterConfigurationException {
        int dot = applicationAndField.indexOf('.');
        if (dot <= 0 || dot == applicationAndField.length() - 1) {
            throw new AdapterConfigurationException(key, "must be mapping.<application>.<decodedField>, e.g. "
                    + "mapping.city-sound.soundAvg");
        }
        String application = applicationAndField.substring(0, dot);
        if (!APPLICATION_ID.matcher(application).matches()) {
            throw new AdapterConfigurationException(key, "application '" + application + "' is not a The Things "
                    + "Stack application id (lower-case letters, digits and single dashes)");
        }
        String field = applicationAndField.substring(dot + 1);
        List<String> path = Arrays.asList(field.split("/", -1));
        for (String segment : path) {
            if (!FIELD_SEGMENT.matcher(segment).matches()) {
                throw new AdapterConfigurationException(key, "decoded field '" + field + "' must be a field name, "
                        + "or names separated by '/' for a nested field (e.g. pm2_5/value)");
            }
        }
        String[] parts = value.split(":", 3);
        String expected = "must be <domain>:<feature>.<property>[:<unit>], e.g. safety:noise.laeq:dB(A), was '"
                + value + "'";
        if (parts.length < 2) {
            throw new AdapterConfigurationException(key, expected);
        }
        String domain = parts[0].trim();
        if (!DOMAIN.matcher(domain).matches()) {
            throw new AdapterConfigurationException(key, "domain '" + domain + "' must be lower-case letters, digits "
                    + "and dashes, e.g. environment, crowd or safety; " + expected);
        }
        String featureAndProperty = parts[1].trim();
        int featureDot = featureAndProperty.indexOf('.');
        if (featureDot < 0) {
            throw new AdapterConfigurationException(key, expected);
        }
        String feature = featureAndProperty.substring(0, featureDot);
        String property = featureAndProperty.substring(featureDot + 1);
        if (!FEATURE.matcher(feature).matches()) {
            throw new AdapterConfigurationException(key, "feature '" + feature + "' must start with a letter and "
                    + "hold only letters, digits, '_' and '-' (at most 64)");
        }
        if (!PROPERTY.matcher(property).matches()) {
            throw new AdapterConfigurationException(key, "property '" + property + "' must start with a letter and "
                    + "hold only letters, digits and '_' (at most 64)");
        }
        if (RESERVED_PROPERTIES.contains(property)) {
            throw new AdapterConfigurationException(key, "property '" + property + "' is written by the adapter "
                    + "itself; choose another name");
        }
        Optional<String> unit = Optional.empty();
        if (parts.length == 3) {
            String text = parts[2].trim();
            if (text.isEmpty() || text.length() > MAX_UNIT_LENGTH) {
                throw new AdapterConfigurationException(key, "unit must be 1-" + MAX_UNIT_LENGTH
                        + " characters, e.g. dB(A), was '" + text + "'");
            }
            unit = Optional.of(text);
        }
        return new FieldMapping(key, field, List.copyOf(path), domain, feature, property, unit);
    }

    private static Map<String, String> definitions(Map<String, String> entries) throws AdapterConfigurationException {
        Map<String, String> result = new HashMap<>(DEFAULT_DEFINITIONS);
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String key = DEFINITION + entry.getKey();
            if (!FEATURE.matcher(entry.getKey()).matches()) {
                throw new AdapterConfigurationException(key, "must be definition.<feature> with a feature id as in "
                        + "the mappings, e.g. definition.noise");
            }
            String value = entry.getValue();
            if (value.equalsIgnoreCase("none")) {
                result.remove(entry.getKey());
                continue;
            }
            String identifier = FIWARE_MODEL.matcher(value).matches()
                    ? "org.fiware.smartdatamodels:" + value + ":1.0.0" : value;
            try {
                FeatureDefinitions.of(identifier);
            } catch (RuntimeException e) {
                throw new AdapterConfigurationException(key, "must be a FIWARE Smart Data Model name such as "
                        + "AirQualityObserved, an identifier <namespace>:<name>:<version>, or none; was '" + value
                        + "'");
            }
            result.put(entry.getKey(), identifier);
        }
        return Map.copyOf(result);
    }
}
