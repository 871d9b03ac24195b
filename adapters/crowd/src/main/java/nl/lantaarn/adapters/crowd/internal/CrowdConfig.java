package nl.lantaarn.adapters.crowd.internal;

import java.util.Optional;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.support.ConfigReaders;
import nl.lantaarn.adapter.support.TopicFilter;

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

    static final String LOW_RISK_DENSITY = "lowRiskDensity";
    static final String HIGH_RISK_DENSITY = "highRiskDensity";

    static final String DEFAULT_TOPIC = "crowd/+/counts";
    /** At most 5 m² per person: people start to pass within 1.5 m of each other. */
    static final double DEFAULT_LOW_RISK_DENSITY = 0.2;
    /**
     * About 2 m² per person: even evenly spread (hexagonal packing), 1.5 m between everyone allows at most
     * 0.51 persons/m².
     */
    static final double DEFAULT_HIGH_RISK_DENSITY = 0.5;
    /** Densities above this are not plausible for people standing in public space. */
    static final double MAX_DENSITY = 10.0;

    /** @throws AdapterConfigurationException naming the first key that is wrong */
    static CrowdConfig from(AdapterConfiguration configuration) throws AdapterConfigurationException {
        TopicFilter topic = ConfigReaders.topic(configuration, DEFAULT_TOPIC);
        String country = ConfigReaders.country(configuration);
        String municipality = ConfigReaders.municipality(configuration);
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
