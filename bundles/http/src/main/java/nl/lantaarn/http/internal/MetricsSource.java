package nl.lantaarn.http.internal;

/**
 * More lines for {@code GET /api/v1/metrics} from a component of this bundle (the audit log, the rate limit):
 * {@link MetricsRoute} appends what every registered one writes.
 */
public interface MetricsSource {

    /** Appends complete metric families (HELP, TYPE and samples) in the Prometheus text format. */
    void appendMetrics(StringBuilder out);
}
