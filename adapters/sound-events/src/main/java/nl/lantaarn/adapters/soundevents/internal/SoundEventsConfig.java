package nl.lantaarn.adapters.soundevents.internal;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.support.ConfigReaders;
import nl.lantaarn.adapter.support.TopicFilter;

/**
 * The settings of one sound-events instance, validated.
 *
 * @param topic        the MQTT topic filter the sensors publish on
 * @param country      ISO 3166 country code of the thing namespace, lower case
 * @param municipality municipality of the thing namespace, lower case
 */
record SoundEventsConfig(TopicFilter topic, String country, String municipality) {

    static final String DEFAULT_TOPIC = "sound/+/events";

    /** @throws AdapterConfigurationException naming the first key that is wrong */
    static SoundEventsConfig from(AdapterConfiguration configuration) throws AdapterConfigurationException {
        return new SoundEventsConfig(ConfigReaders.topic(configuration, DEFAULT_TOPIC),
                ConfigReaders.country(configuration), ConfigReaders.municipality(configuration));
    }
}
