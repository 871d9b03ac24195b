package nl.lantaarn.mqtt.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the messages of one subscription. */
@FunctionalInterface
@ConsumerType
public interface MqttMessageHandler {

    /**
     * Called for every message, on the client's thread: do not block.
     *
     * @param topic   the topic the message was published to
     * @param payload the payload; owned by the handler from now on
     */
    void onMessage(String topic, byte[] payload);
}
