package nl.lantaarn.adapters.soundevents.internal;

import java.util.regex.Pattern;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;

/**
 * The settings of one sound-events instance, validated.
 *
 * @param topic        the MQTT topic filter the sensors publish on
 * @param country      ISO 3166 country code of the thing namespace, lower case
 * @param municipality municipality of the thing namespace, lower case
 */
record SoundEventsConfig(TopicFilter topic, String country, String municipality) {

    static final String TOPIC = "topic";
    static final String COUNTRY = "country";
    static final String MUNICIPALITY = "municipality";

    static final String DEFAULT_TOPIC = "sound/+/events";
    static final String DEFAULT_COUNTRY = "nl";
    static final String DEFAULT_MUNICIPALITY = "demo";

    private static final Pattern COUNTRY_CODE = Pattern.compile("[a-z]{2}");
    private static final Pattern MUNICIPALITY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** @throws AdapterConfigurationException naming the first key that is wrong */
    static SoundEventsConfig from(AdapterConfiguration configuration) throws AdapterConfigurationException {
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
        return new SoundEventsConfig(topic, country, municipality);
    }
}
