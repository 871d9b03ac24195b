package nl.lantaarn.audit.api;

import java.util.Locale;

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
    EXPORT;

    /** The name in the log and in queries: {@code api-access}, {@code purpose-refused}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
