package nl.lantaarn.audit.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where components record what must be accountable. Provided by the hub's audit bundle as an OSGi service; thread
 * safe. {@link #record} never blocks on the disk: the entry is queued and chained to the previous one by a
 * background writer, and an entry that cannot be queued is counted and reported in health, never dropped silently.
 */
@ProviderType
public interface AuditTrail {

    /** Appends {@code entry}, time-stamped now, to the trail. */
    void record(AuditEntry entry);
}
