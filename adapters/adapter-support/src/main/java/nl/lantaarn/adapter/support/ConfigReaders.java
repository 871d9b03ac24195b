package nl.lantaarn.adapter.support;

import java.util.regex.Pattern;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;

/**
 * Reads the settings most adapters share: {@code country} and {@code municipality}, which make the thing namespace
 * {@code <country>.<municipality>.<domain>}, and the MQTT {@code topic} filter. Each failure names the key, what was
 * expected and the value found.
 */
public final class ConfigReaders {

    public static final String TOPIC = "topic";
    public static final String COUNTRY = "country";
    public static final String MUNICIPALITY = "municipality";

    public static final String DEFAULT_COUNTRY = "nl";
    public static final String DEFAULT_MUNICIPALITY = "demo";

    private static final Pattern COUNTRY_CODE = Pattern.compile("[a-z]{2}");
    // a part of a Ditto namespace, kept to one DNS label
    private static final Pattern MUNICIPALITY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private ConfigReaders() {
        throw new AssertionError("no instances");
    }

    /** Setting {@code country}, default {@value #DEFAULT_COUNTRY}: an ISO 3166-1 code in lower case. */
    public static String country(AdapterConfiguration configuration) throws AdapterConfigurationException {
        String country = configuration.string(COUNTRY, DEFAULT_COUNTRY);
        if (!COUNTRY_CODE.matcher(country).matches()) {
            throw new AdapterConfigurationException(COUNTRY, "must be a two-letter country code in lower case "
                    + "(ISO 3166-1), e.g. nl, was '" + country + "'");
        }
        return country;
    }

    /** Setting {@code municipality}, default {@value #DEFAULT_MUNICIPALITY}. */
    public static String municipality(AdapterConfiguration configuration) throws AdapterConfigurationException {
        return checkMunicipality(configuration.string(MUNICIPALITY, DEFAULT_MUNICIPALITY));
    }

    /** Setting {@code municipality}, for adapters that must not fall back to the demo municipality. */
    public static String requiredMunicipality(AdapterConfiguration configuration)
            throws AdapterConfigurationException {
        return checkMunicipality(configuration.requiredString(MUNICIPALITY));
    }

    /**
     * Setting {@code topic}: an MQTT topic filter whose first {@code +} level names the sensor.
     *
     * @param defaultFilter the filter when the setting is absent; it has a {@code +} level
     */
    public static TopicFilter topic(AdapterConfiguration configuration, String defaultFilter)
            throws AdapterConfigurationException {
        return TopicFilter.parse(TOPIC, configuration.string(TOPIC, defaultFilter), defaultFilter);
    }

    private static String checkMunicipality(String municipality) throws AdapterConfigurationException {
        if (!MUNICIPALITY_NAME.matcher(municipality).matches()) {
            throw new AdapterConfigurationException(MUNICIPALITY, "must be 1-63 lower-case letters, digits and dashes "
                    + "(it becomes part of the thing namespace <country>.<municipality>.<domain>), e.g. eindhoven or "
                    + "s-hertogenbosch, was '" + municipality + "'");
        }
        return municipality;
    }
}
