package nl.lantaarn.mqtt.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The hub's connection to its MQTT broker, shared by adapters and routes. The connection reconnects by itself;
 * subscriptions survive reconnects.
 */
@ProviderType
public interface MqttConnection {

    /**
     * Publishes a message. Completes when the broker acknowledged it (QoS 1 and 2) or when it was written (QoS 0);
     * completes exceptionally when it could not be delivered. Never blocks the caller.
     */
    CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retain);

    /**
     * Subscribes to a topic filter. The handler is called on the client's thread: hand work off quickly.
     *
     * @return a handle that unsubscribes when closed
     */
    MqttSubscription subscribe(String topicFilter, int qos, MqttMessageHandler handler);

    /** Whether the client is connected right now. */
    boolean isConnected();

    /** Broker address for logs and health, e.g. {@code mqtt://localhost:1883 (embedded)}; never holds credentials. */
    String brokerDescription();
}
