package nl.lantaarn.history.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;

/**
 * What to read from the history: one property of one feature of one thing, in {@code [from, to)}, raw or aggregated
 * per {@link Step}, at most {@link #limit()} points or buckets. Immutable; {@code with*} return a copy.
 */
public final class HistoryQuery {

    /** Points or buckets returned when no limit is given. */
    public static final int DEFAULT_LIMIT = 1000;
    /** The largest limit a query may ask for; page with {@link HistoryResult#next()} beyond it. */
    public static final int MAX_LIMIT = 10_000;

    private final ThingId thingId;
    private final String feature;
    private final JsonPointer property;
    private final Instant from;
    private final Instant to;
    private final Step step;
    private final int limit;

    private HistoryQuery(ThingId thingId, String feature, JsonPointer property, Instant from, Instant to, Step step,
            int limit) {
        this.thingId = Objects.requireNonNull(thingId, "thingId");
        this.feature = Objects.requireNonNull(feature, "feature");
        this.property = Objects.requireNonNull(property, "property");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.step = step;
        this.limit = limit;
        if (feature.isEmpty() || feature.indexOf('/') >= 0) {
            throw new HistoryQueryException("feature", "The feature id must be non-empty and without '/', was '"
                    + feature + "'.");
        }
        if (property.isEmpty()) {
            throw new HistoryQueryException("property", "The property path must name a property, e.g. 'laeq' or "
                    + "'units/laeq'.");
        }
        if (!from.isBefore(to)) {
            throw new HistoryQueryException("from", "'from' (" + from + ") must be before 'to' (" + to + ").");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new HistoryQueryException("limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT
                    + ", was " + limit + "; page with 'next' for more.");
        }
    }

    /**
     * The raw points of one property in {@code [from, to)}, at most {@link #DEFAULT_LIMIT}.
     *
     * @param property the property's path inside the feature's properties, e.g. {@code /laeq} or {@code /units/laeq}
     * @throws HistoryQueryException when {@code from} is not before {@code to} or the feature or property is empty
     */
    public static HistoryQuery of(ThingId thingId, String feature, JsonPointer property, Instant from, Instant to) {
        return new HistoryQuery(thingId, feature, property, from, to, null, DEFAULT_LIMIT);
    }

    /** This query aggregated per {@code step}, or raw when {@code step} is {@code null}. */
    public HistoryQuery withStep(Step step) {
        return new HistoryQuery(thingId, feature, property, from, to, step, limit);
    }

    /** This query aggregated per {@code step}, or raw when empty. */
    public HistoryQuery withStep(Optional<Step> step) {
        return withStep(step.orElse(null));
    }

    /**
     * This query returning at most {@code limit} points or buckets.
     *
     * @throws HistoryQueryException when {@code limit} is not from 1 to {@link #MAX_LIMIT}
     */
    public HistoryQuery withLimit(int limit) {
        return new HistoryQuery(thingId, feature, property, from, to, step, limit);
    }

    /** This query from {@code from} on: the next page, with {@code from} = {@link HistoryResult#next()}. */
    public HistoryQuery withFrom(Instant from) {
        return new HistoryQuery(thingId, feature, property, from, to, step, limit);
    }

    public ThingId thingId() {
        return thingId;
    }

    public String feature() {
        return feature;
    }

    /** The property's path inside the feature's properties, e.g. {@code /laeq}. */
    public JsonPointer property() {
        return property;
    }

    /** Start of the range, inclusive. */
    public Instant from() {
        return from;
    }

    /** End of the range, exclusive. */
    public Instant to() {
        return to;
    }

    /** The aggregation step; empty for the raw points. */
    public Optional<Step> step() {
        return Optional.ofNullable(step);
    }

    public int limit() {
        return limit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistoryQuery q && thingId.equals(q.thingId) && feature.equals(q.feature)
                && property.equals(q.property) && from.equals(q.from) && to.equals(q.to) && step == q.step
                && limit == q.limit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(thingId, feature, property, from, to, step, limit);
    }

    @Override
    public String toString() {
        return "HistoryQuery[" + thingId + " " + feature + property + " [" + from + ", " + to + ")"
                + (step == null ? "" : " step " + step) + " limit " + limit + "]";
    }
}
