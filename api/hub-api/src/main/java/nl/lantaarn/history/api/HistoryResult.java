package nl.lantaarn.history.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a {@link HistoryQuery}: raw {@link #points()} or, with a step, {@link #buckets()}, oldest first.
 * {@link #from()} and {@link #to()} are the range actually covered: with a step, the query's range widened to whole
 * steps. When the limit was reached, {@link #next()} is where the next page starts (ask again with that
 * {@code from}); this page then holds everything before it.
 */
public final class HistoryResult {

    private final HistoryQuery query;
    private final Instant from;
    private final Instant to;
    private final List<HistoryPoint> points;
    private final List<HistoryBucket> buckets;
    private final Instant next;

    private HistoryResult(HistoryQuery query, Instant from, Instant to, List<HistoryPoint> points,
            List<HistoryBucket> buckets, Instant next) {
        this.query = Objects.requireNonNull(query, "query");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.points = List.copyOf(points);
        this.buckets = List.copyOf(buckets);
        this.next = next;
    }

    /** Raw points of a query without a step; {@code next} is {@code null} when the range was read to its end. */
    public static HistoryResult points(HistoryQuery query, List<HistoryPoint> points, Instant next) {
        if (query.step().isPresent()) {
            throw new IllegalArgumentException("a query with a step is answered with buckets: " + query);
        }
        return new HistoryResult(query, query.from(), query.to(), points, List.of(), next);
    }

    /**
     * Buckets of a query with a step, over {@code [from, to)} (the query's range widened to whole steps); {@code next}
     * is {@code null} when the range was read to its end.
     */
    public static HistoryResult buckets(HistoryQuery query, Instant from, Instant to, List<HistoryBucket> buckets,
            Instant next) {
        if (query.step().isEmpty()) {
            throw new IllegalArgumentException("a query without a step is answered with points: " + query);
        }
        return new HistoryResult(query, from, to, List.of(), buckets, next);
    }

    public HistoryQuery query() {
        return query;
    }

    /** Start of the range covered, inclusive. */
    public Instant from() {
        return from;
    }

    /** End of the range covered, exclusive. */
    public Instant to() {
        return to;
    }

    public Optional<Step> step() {
        return query.step();
    }

    /** The raw points, oldest first; empty for an aggregated query. */
    public List<HistoryPoint> points() {
        return points;
    }

    /** The non-empty buckets, oldest first; empty for a raw query. */
    public List<HistoryBucket> buckets() {
        return buckets;
    }

    /** Where the next page starts, when the limit was reached before the end of the range. */
    public Optional<Instant> next() {
        return Optional.ofNullable(next);
    }

    @Override
    public String toString() {
        return "HistoryResult[" + query + ": " + (query.step().isPresent() ? buckets.size() + " buckets"
                : points.size() + " points") + (next == null ? "" : ", next " + next) + "]";
    }
}
