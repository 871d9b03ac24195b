package nl.lantaarn.adapter.api;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The inbound transport of an adapter instance: an MQTT subscription through the hub's connection, an HTTP webhook
 * under {@code /ingest/<name>/...}, HTTP polling of a URL at an interval, or a watched folder. Immutable.
 */
public final class Inbound {

    /** Kind of inbound transport. */
    public enum Kind {
        /** A subscription through the hub's MQTT connection service. */
        MQTT,
        /** HTTP requests to {@code /ingest/<name>/...} on the hub's HTTP server. */
        WEBHOOK,
        /** An HTTP GET of a URL at a fixed interval; each response body is one payload. */
        POLL,
        /** Files appearing in a folder; each file is one payload, moved to {@code done/} afterwards. */
        FOLDER
    }

    private static final Pattern WEBHOOK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Kind kind;
    private final String source;
    private final int qos;
    private final Duration interval;

    private Inbound(Kind kind, String source, int qos, Duration interval) {
        this.kind = kind;
        this.source = source;
        this.qos = qos;
        this.interval = interval;
    }

    /**
     * An MQTT subscription through the hub's connection service.
     *
     * @param topicFilter MQTT topic filter, wildcards allowed, e.g. {@code sim/noise/+}
     * @param qos         0, 1 or 2; use 1 (or 2) for data that must survive an adapter upgrade
     */
    public static Inbound mqtt(String topicFilter, int qos) {
        Objects.requireNonNull(topicFilter, "topicFilter");
        if (topicFilter.isBlank()) {
            throw new IllegalArgumentException("MQTT topic filter of an adapter must not be blank");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("MQTT QoS must be 0, 1 or 2, was " + qos);
        }
        return new Inbound(Kind.MQTT, topicFilter, qos, null);
    }

    /**
     * HTTP requests to {@code /ingest/<name>/...}. A POST or PUT body is one payload; the caller gets 202 with the
     * ids of the things it touched, or 422 with the rejection reason.
     *
     * @param name the first path segment under {@code /ingest/}, lower-case letters, digits and dashes
     */
    public static Inbound webhook(String name) {
        if (name == null || !WEBHOOK_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("webhook name '" + name
                    + "' must be 1-63 lower-case letters, digits and dashes");
        }
        return new Inbound(Kind.WEBHOOK, name, 1, null);
    }

    /**
     * An HTTP GET of {@code url} every {@code interval}; each successful response body is one payload.
     *
     * @param url      http or https URL
     * @param interval at least one second
     */
    public static Inbound poll(URI url, Duration interval) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(interval, "interval");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("polling URL must be http or https, was " + url);
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("polling interval must be at least 1 s, was " + interval);
        }
        return new Inbound(Kind.POLL, url.toString(), 1, interval);
    }

    /**
     * Files appearing in a folder. Each regular file is one payload; after mapping it is moved to the folder's
     * {@code done/} subfolder (or {@code failed/} when it became a dead letter).
     *
     * @param folder a path, relative to the hub's home when not absolute
     */
    public static Inbound folder(String folder) {
        Objects.requireNonNull(folder, "folder");
        if (folder.isBlank()) {
            throw new IllegalArgumentException("watched folder of an adapter must not be blank");
        }
        return new Inbound(Kind.FOLDER, folder, 1, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The topic filter (MQTT), webhook name (WEBHOOK), URL (POLL) or folder (FOLDER). */
    public String source() {
        return source;
    }

    /** MQTT QoS (MQTT only). */
    public int qos() {
        return qos;
    }

    /** Polling interval (POLL only), else {@code null}. */
    public Duration interval() {
        return interval;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Inbound other && kind == other.kind && qos == other.qos && source.equals(other.source)
                && Objects.equals(interval, other.interval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, source, qos, interval);
    }

    @Override
    public String toString() {
        String text = kind.name().toLowerCase(Locale.ROOT) + ":" + source;
        return switch (kind) {
            case MQTT -> text + " (qos " + qos + ")";
            case POLL -> text + " (every " + interval + ")";
            default -> text;
        };
    }
}
