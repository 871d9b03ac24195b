package nl.lantaarn.audit.api;

import java.time.Instant;
import java.util.Objects;

/**
 * An entry as the trail holds it.
 *
 * @param sequence its place in the trail: 1 for the first entry ever, one more for each entry after it, across files
 *                 and restarts; a query's cursor
 * @param time     when it was recorded (UTC, milliseconds)
 * @param entry    what was recorded
 */
public record AuditRecord(long sequence, Instant time, AuditEntry entry) {

    public AuditRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(entry, "entry");
    }
}
