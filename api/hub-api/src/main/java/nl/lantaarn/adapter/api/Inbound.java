package nl.lantaarn.adapter.api;

import java.util.Objects;

/**
 * The inbound transport of an adapter. For now the hub's MQTT connection is the one transport; webhooks, polling and
 * watched folders follow as further factory methods, so existing adapters keep compiling.
 */
public final class Inbound {

    /** Kind of inbound transport. */
    public enum Kind {
        /** A subscription through the hub's MQTT connection service. */
        MQTT
    }

    private final Kind kind;
    private final String source;
    private final int qos;

    private Inbound(Kind kind, String source, int qos) {
        this.kind = kind;
        this.source = source;
        this.qos = qos;
    }

    /**
     * An MQTT subscription through the hub's connection service.
     *
     * @param topicFilter MQTT topic filter, wildcards allowed, e.g. {@code sim/noise/+}
     * @param qos         0, 1 or 2
     */
    public static Inbound mqtt(String topicFilter, int qos) {
        Objects.requireNonNull(topicFilter, "topicFilter");
        if (topicFilter.isBlank()) {
            throw new IllegalArgumentException("MQTT topic filter of an adapter must not be blank");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("MQTT QoS must be 0, 1 or 2, was " + qos);
        }
        return new Inbound(Kind.MQTT, topicFilter, qos);
    }

    public Kind kind() {
        return kind;
    }

    /** The topic filter (MQTT). */
    public String source() {
        return source;
    }

    public int qos() {
        return qos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Inbound other && kind == other.kind && qos == other.qos && source.equals(other.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, source, qos);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + source + " (qos " + qos + ")";
    }
}
