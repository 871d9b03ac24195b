package nl.lantaarn.adapter.api;

import java.util.Objects;

/** What the hub sends to a vendor's system to carry out a {@link ThingCommand}: an MQTT publication. Immutable. */
public final class VendorCommand {

    private final String topic;
    private final byte[] payload;
    private final int qos;

    private VendorCommand(String topic, byte[] payload, int qos) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
    }

    /**
     * Publish {@code payload} on {@code topic} through the hub's MQTT connection.
     *
     * @param payload not copied: the caller hands ownership over
     */
    public static VendorCommand mqtt(String topic, byte[] payload, int qos) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (topic.isBlank() || topic.contains("+") || topic.contains("#")) {
            throw new IllegalArgumentException("command topic must be a topic name without wildcards, was '" + topic
                    + "'");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("MQTT QoS must be 0, 1 or 2, was " + qos);
        }
        return new VendorCommand(topic, payload, qos);
    }

    public String topic() {
        return topic;
    }

    /** Do not modify. */
    public byte[] payload() {
        return payload;
    }

    public int qos() {
        return qos;
    }

    @Override
    public String toString() {
        return "VendorCommand[mqtt " + topic + ", " + payload.length + " bytes, qos " + qos + "]";
    }
}
