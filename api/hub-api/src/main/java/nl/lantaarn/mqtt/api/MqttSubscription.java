package nl.lantaarn.mqtt.api;

import org.osgi.annotation.versioning.ProviderType;

/** A live subscription; closing it unsubscribes. */
@ProviderType
public interface MqttSubscription extends AutoCloseable {

    String topicFilter();

    @Override
    void close();
}
