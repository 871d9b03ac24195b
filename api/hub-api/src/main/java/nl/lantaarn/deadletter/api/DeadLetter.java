package nl.lantaarn.deadletter.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/** One payload that could not be processed. Immutable. */
public final class DeadLetter {

    private final String id;
    private final String source;
    private final String origin;
    private final String reason;
    private final Instant receivedAt;
    private final byte[] payload;

    public DeadLetter(String id, String source, String origin, String reason, Instant receivedAt, byte[] payload) {
        this.id = Objects.requireNonNull(id, "id");
        this.source = Objects.requireNonNull(source, "source");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        this.payload = Objects.requireNonNull(payload, "payload").clone();
    }

    public String id() {
        return id;
    }

    /** Adapter or route that rejected the payload. */
    public String source() {
        return source;
    }

    /** Where the payload came from: an MQTT topic, a URL. */
    public String origin() {
        return origin;
    }

    /** Why it was rejected. */
    public String reason() {
        return reason;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload as UTF-8 text (binary payloads show replacement characters). */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public int payloadSize() {
        return payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d && id.equals(d.id) && source.equals(d.source) && origin.equals(d.origin)
                && reason.equals(d.reason) && receivedAt.equals(d.receivedAt) && Arrays.equals(payload, d.payload);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "DeadLetter[" + id + " from " + source + " (" + origin + "): " + reason + "]";
    }
}
