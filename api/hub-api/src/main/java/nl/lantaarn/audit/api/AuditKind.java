package nl.lantaarn.audit.api;

import java.util.Locale;
import java.util.Optional;

/** What an audit entry records. */
public enum AuditKind {
    /** A request to one of the hub's APIs. */
    API_ACCESS,
    /** A refusal because the caller's purpose is not one the data's manifest allows. */
    PURPOSE_REFUSED,
    /** A route handed personal data to a recipient (a channel, an MQTT topic, a webhook). */
    PERSONAL_DATA_DELIVERY,
    /** A configuration file, route file, zone, policy or client was added, changed or removed. */
    CONFIGURATION_CHANGE,
    /** An adapter bundle was installed, upgraded or removed. */
    ADAPTER_INSTALL,
    /** Everything linked to a thing or a pseudonym was erased. */
    ERASURE,
    /** Everything linked to a thing or a pseudonym was exported to a data subject. */
    EXPORT,
    /**
     * The trail itself: entries lost because the queue was full or the disk failed, a file removed by retention (with
     * the anchor that lets the rest be verified), a partial line left by an abrupt stop. Written by the audit bundle
     * only.
     */
    TRAIL;

    /** The name in the log and in queries: {@code api-access}, {@code purpose-refused}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind with this {@link #id()} ({@code api-access}), or empty. */
    public static Optional<AuditKind> of(String id) {
        for (AuditKind kind : values()) {
            if (kind.id().equals(id)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
