package nl.lantaarn.http.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import nl.lantaarn.audit.api.AuditLog;

/** The audit trail's counters in {@code /api/v1/metrics}; registered while the audit bundle runs. */
@Component(service = MetricsSource.class)
public final class AuditMetrics implements MetricsSource {

    private final AuditLog log;

    @Activate
    public AuditMetrics(@Reference AuditLog log) {
        this.log = log;
    }

    @Override
    public void appendMetrics(StringBuilder out) {
        AuditLog.Statistics statistics = log.statistics();
        out.append("# HELP lantaarn_audit_records_written_total Entries written to the audit trail.\n")
                .append("# TYPE lantaarn_audit_records_written_total counter\n")
                .append("lantaarn_audit_records_written_total ").append(statistics.written()).append('\n')
                .append("# HELP lantaarn_audit_records_lost_total Audit entries lost: the queue was full or the "
                        + "trail could not be written.\n")
                .append("# TYPE lantaarn_audit_records_lost_total counter\n")
                .append("lantaarn_audit_records_lost_total ").append(statistics.lost()).append('\n')
                .append("# HELP lantaarn_audit_queue_size Audit entries waiting for the disk.\n")
                .append("# TYPE lantaarn_audit_queue_size gauge\n")
                .append("lantaarn_audit_queue_size ").append(statistics.queued()).append('\n');
    }
}
