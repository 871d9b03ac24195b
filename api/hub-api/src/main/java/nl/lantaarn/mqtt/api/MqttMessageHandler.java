package nl.lantaarn.mqtt.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the messages of one subscription. */
@FunctionalInterface
@ConsumerType
public interface MqttMessageHandler {

    /**
     * Called for every message, in the order they arrive, on the connection's delivery thread (one for all
     * subscriptions, not the network thread). A handler that cannot take a message now may wait for room, for a
     * bounded time: meanwhile the connection takes no more messages from the broker and leaves QoS 1 and 2 messages
     * unacknowledged (back-pressure), and every other subscription waits too, so the wait must stay short.
     *
     * @param topic   the topic the message was published to
     * @param payload the payload; owned by the handler from now on
     */
    void onMessage(String topic, byte[] payload);
}
