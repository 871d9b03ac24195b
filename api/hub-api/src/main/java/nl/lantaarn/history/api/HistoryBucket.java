package nl.lantaarn.history.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The numeric values of one step, from {@code start} (inclusive) to {@code start + step} (exclusive). Only buckets with
 * at least one value are returned, so {@code count} is at least 1.
 */
public record HistoryBucket(Instant start, double min, double max, double avg, long count) {

    public HistoryBucket {
        Objects.requireNonNull(start, "start");
    }
}
