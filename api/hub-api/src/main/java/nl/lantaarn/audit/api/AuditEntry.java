package nl.lantaarn.audit.api;

import java.util.Objects;

/**
 * One thing to audit. Fields that do not apply are empty strings, never {@code null}. Never put a secret (a key, a
 * token, a password) or a plain personal identifier in an entry: name a client, a thing id or a pseudonym.
 *
 * @param kind     what happened
 * @param actor    who did it: a client name, {@code route:<id>}, {@code operator}, {@code hub}
 * @param purpose  the purpose it was done for (purpose limitation)
 * @param resource what it was done to: a request path, a route's recipient, a file, a bundle
 * @param thingId  the thing concerned, when there is one
 * @param outcome  how it ended: an HTTP status, {@code ok}, {@code refused}, {@code erased}
 * @param detail   a short explanation; may name a pseudonym, never an identifier it stands for
 */
public record AuditEntry(AuditKind kind, String actor, String purpose, String resource, String thingId,
        String outcome, String detail) {

    public AuditEntry {
        Objects.requireNonNull(kind, "kind");
        actor = Objects.requireNonNullElse(actor, "");
        purpose = Objects.requireNonNullElse(purpose, "");
        resource = Objects.requireNonNullElse(resource, "");
        thingId = Objects.requireNonNullElse(thingId, "");
        outcome = Objects.requireNonNullElse(outcome, "");
        detail = Objects.requireNonNullElse(detail, "");
    }
}
