package nl.lantaarn.adapter.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One payload as it arrived, before mapping. Immutable; the payload array is owned by the message and must not be
 * modified by an adapter.
 */
public final class InboundMessage {

    /** Attribute: the HTTP method of a webhook request. */
    public static final String HTTP_METHOD = "http.method";
    /** Attribute: the path of a webhook request below {@code /ingest/<name>}, e.g. {@code /requests.json}. */
    public static final String HTTP_PATH = "http.path";
    /** Attribute: the content type of a webhook request or polled response. */
    public static final String CONTENT_TYPE = "content-type";
    /** Attribute: the file name of a watched-folder payload. */
    public static final String FILE_NAME = "file.name";

    private final String origin;
    private final byte[] payload;
    private final Instant receivedAt;
    private final Map<String, String> attributes;

    /**
     * @param origin     where the payload came from: the MQTT topic, the URL, the file
     * @param payload    the raw bytes; not copied, the caller hands ownership over
     * @param receivedAt when the hub received it
     */
    public InboundMessage(String origin, byte[] payload, Instant receivedAt) {
        this(origin, payload, receivedAt, Map.of());
    }

    /**
     * @param attributes transport details such as {@link #HTTP_METHOD} and {@link #CONTENT_TYPE}
     */
    public InboundMessage(String origin, byte[] payload, Instant receivedAt, Map<String, String> attributes) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.payload = Objects.requireNonNull(payload, "payload");
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        this.attributes = Map.copyOf(attributes);
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

    /** Transport details; see the constants of this class. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** One transport detail, or {@code null}. */
    public String attribute(String name) {
        return attributes.get(name);
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
