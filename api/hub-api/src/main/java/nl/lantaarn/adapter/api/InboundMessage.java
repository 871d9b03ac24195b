package nl.lantaarn.adapter.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One payload as it arrived, before mapping. Immutable; the payload array is owned by the message and must not be
 * modified by an adapter.
 */
public final class InboundMessage {

    private final String origin;
    private final byte[] payload;
    private final Instant receivedAt;

    /**
     * @param origin     where the payload came from: the MQTT topic for MQTT inbound
     * @param payload    the raw bytes; not copied, the caller hands ownership over
     * @param receivedAt when the hub received it
     */
    public InboundMessage(String origin, byte[] payload, Instant receivedAt) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.payload = Objects.requireNonNull(payload, "payload");
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
    }

    public String origin() {
        return origin;
    }

    /** The raw payload. Do not modify. */
    public byte[] payload() {
        return payload;
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /** The last level of an MQTT topic ({@code sim/noise/n-7} gives {@code n-7}). */
    public String lastTopicLevel() {
        int slash = origin.lastIndexOf('/');
        return slash < 0 ? origin : origin.substring(slash + 1);
    }

    @Override
    public String toString() {
        return "InboundMessage[" + origin + ", " + payload.length + " bytes, " + receivedAt + "]";
    }
}
