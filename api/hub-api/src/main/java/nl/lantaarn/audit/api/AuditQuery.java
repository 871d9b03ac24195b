package nl.lantaarn.audit.api;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which entries to read, newest first. A {@code null} (or empty) criterion matches everything; different criteria
 * must all match.
 *
 * @param from    entries recorded at or after this time
 * @param to      entries recorded before this time
 * @param actor   entries of this actor exactly (a client name, {@code route:<id>}, ...)
 * @param thingId entries about this thing exactly
 * @param purpose entries whose purpose contains this text, in any case
 * @param kinds   entries of one of these kinds
 * @param before  the cursor: only entries whose sequence number is below it; {@code 0} for the newest
 * @param limit   at most this many entries (at least 1)
 */
public record AuditQuery(Instant from, Instant to, String actor, String thingId, String purpose,
        Set<AuditKind> kinds, long before, int limit) {

    public AuditQuery {
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (before < 0) {
            throw new IllegalArgumentException("before must not be negative, was " + before);
        }
    }

    /** The newest {@code limit} entries of any kind. */
    public static AuditQuery newest(int limit) {
        return new AuditQuery(null, null, null, null, null, Set.of(), 0, limit);
    }

    /** The same query for the page after {@code page}: entries below its {@link AuditPage#next() next} cursor. */
    public AuditQuery before(long cursor) {
        return new AuditQuery(from, to, actor, thingId, purpose, kinds, cursor, limit);
    }

    /** Whether {@code record} meets every criterion except the cursor and the limit. */
    public boolean matches(AuditRecord record) {
        Objects.requireNonNull(record, "record");
        AuditEntry entry = record.entry();
        return (from == null || !record.time().isBefore(from))
                && (to == null || record.time().isBefore(to))
                && (actor == null || actor.isEmpty() || actor.equals(entry.actor()))
                && (thingId == null || thingId.isEmpty() || thingId.equals(entry.thingId()))
                && (purpose == null || purpose.isEmpty()
                        || entry.purpose().toLowerCase(Locale.ROOT)
                                .contains(purpose.toLowerCase(Locale.ROOT)))
                && (kinds.isEmpty() || kinds.contains(entry.kind()));
    }
}
