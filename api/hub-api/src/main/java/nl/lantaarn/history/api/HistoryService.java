package nl.lantaarn.history.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads the recorded history of feature properties. Implementations are thread safe; a query reads a consistent
 * snapshot and never blocks the recording of new changes.
 */
@ProviderType
public interface HistoryService {

    /**
     * The points of one property in {@code [from, to)}, or with a {@link HistoryQuery#step() step} the numeric values
     * aggregated per step. At most {@link HistoryQuery#limit()} points or buckets are returned; when there are more,
     * {@link HistoryResult#next()} says where to continue.
     *
     * @return the result; empty when nothing was recorded in the range (also for an unknown thing or property)
     * @throws HistoryQueryException       when the query cannot be answered as asked, e.g. a step over text values;
     *                                     names the parameter to change
     * @throws HistoryUnavailableException when the history store cannot be read; the message says why
     */
    HistoryResult query(HistoryQuery query);
}
