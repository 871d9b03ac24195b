package nl.lantaarn.adapters.crowd.internal;

import java.util.Optional;
import java.util.regex.Pattern;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;

/**
 * The settings of one crowd instance, validated.
 *
 * @param topic           the MQTT topic filter the counters publish on
 * @param country         ISO 3166 country code of the thing namespace, lower case
 * @param municipality    municipality of the thing namespace, lower case
 * @param lowRiskDensity  persons/m² from which keeping 1.5 m apart is at low risk
 * @param highRiskDensity persons/m² from which keeping 1.5 m apart is at high risk
 */
record CrowdConfig(TopicFilter topic, String country, String municipality, double lowRiskDensity,
        double highRiskDensity) {

    static final String TOPIC = "topic";
    static final String COUNTRY = "country";
    static final String MUNICIPALITY = "municipality";
    static final String LOW_RISK_DENSITY = "lowRiskDensity";
    static final String HIGH_RISK_DENSITY = "highRiskDensity";

    static final String DEFAULT_TOPIC = "crowd/+/counts";
    static final String DEFAULT_COUNTRY = "nl";
    static final String DEFAULT_MUNICIPALITY = "demo";
    /** At most 5 m² per person: people start to pass within 1.5 m of each other. */
    static final double DEFAULT_LOW_RISK_DENSITY = 0.2;
    /**
     * About 2 m² per person: even evenly spread (hexagonal packing), 1.5 m between everyone allows at most
     * 0.51 persons/m².
     */
    static final double DEFAULT_HIGH_RISK_DENSITY = 0.5;
    /** Densities above this are not plausible for people standing in public space. */
    static final double MAX_DENSITY = 10.0;

    private static final Pattern COUNTRY_CODE = Pattern.compile("[a-z]{2}");
    private static final Pattern MUNICIPALITY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** @throws AdapterConfigurationException naming the first key that is wrong */
    static CrowdConfig from(AdapterConfiguration configuration) throws AdapterConfigurationException {
        TopicFilter topic = TopicFilter.parse(TOPIC, configuration.string(TOPIC, DEFAULT_TOPIC));
        String country = configuration.string(COUNTRY, DEFAULT_COUNTRY);
        if (!COUNTRY_CODE.matcher(country).matches()) {
            throw new AdapterConfigurationException(COUNTRY, "must be a two-letter country code in lower case, e.g. "
                    + "nl, was '" + country + "'");
        }
        String municipality = configuration.string(MUNICIPALITY, DEFAULT_MUNICIPALITY);
        if (!MUNICIPALITY_NAME.matcher(municipality).matches()) {
            throw new AdapterConfigurationException(MUNICIPALITY, "must be 1-63 lower-case letters, digits and dashes, "
                    + "e.g. eindhoven or bergen-op-zoom, was '" + municipality + "'");
        }
        double low = density(configuration, LOW_RISK_DENSITY, DEFAULT_LOW_RISK_DENSITY);
        double high = density(configuration, HIGH_RISK_DENSITY, DEFAULT_HIGH_RISK_DENSITY);
        if (!(low < high)) {
            throw new AdapterConfigurationException(HIGH_RISK_DENSITY, "must be greater than " + LOW_RISK_DENSITY
                    + " (" + low + "), was " + high);
        }
        return new CrowdConfig(topic, country, municipality, low, high);
    }

    private static double density(AdapterConfiguration configuration, String key, double defaultValue)
            throws AdapterConfigurationException {
        Optional<String> text = configuration.optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        double value;
        try {
            value = Double.parseDouble(text.get());
        } catch (NumberFormatException e) {
            throw new AdapterConfigurationException(key, "must be a number of persons per m², e.g. "
                    + defaultValue + ", was '" + text.get() + "'");
        }
        if (!(value > 0 && value <= MAX_DENSITY)) {
            throw new AdapterConfigurationException(key, "must be more than 0 and at most " + (int) MAX_DENSITY
                    + " persons per m², was " + text.get());
        }
        return value;
    }
}
