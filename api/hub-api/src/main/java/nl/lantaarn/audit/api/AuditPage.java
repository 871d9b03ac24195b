package nl.lantaarn.audit.api;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a query's answer, newest first.
 *
 * @param records the entries found
 * @param next    the cursor for the next (older) page, as {@link AuditQuery#before(long)}; empty when there is none
 */
public record AuditPage(List<AuditRecord> records, OptionalLong next) {

    public AuditPage {
        records = List.copyOf(records);
        next = next == null ? OptionalLong.empty() : next;
    }
}
