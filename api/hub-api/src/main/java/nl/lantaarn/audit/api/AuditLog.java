package nl.lantaarn.audit.api;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The read side of the {@link AuditTrail}: provided by the hub's audit bundle as an OSGi service next to it; thread
 * safe. Reads the trail's files, so an entry becomes visible once the background writer has written it (normally
 * within a tenth of a second of {@link AuditTrail#record}).
 */
@ProviderType
public interface AuditLog {

    /**
     * The entries matching {@code query}, newest first.
     *
     * @throws IOException when the trail's files cannot be read
     */
    AuditPage query(AuditQuery query) throws IOException;

    /** Counters since the hub started, for metrics. */
    Statistics statistics();

    /**
     * @param written entries written to the trail
     * @param lost    entries lost: the queue was full or the file could not be written
     * @param queued  entries waiting for the disk now
     */
    record Statistics(long written, long lost, long queued) {
    }
}
