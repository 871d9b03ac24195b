package nl.lantaarn.history.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The aggregation steps. Buckets are aligned to whole steps since the epoch in UTC, so a {@code 1d} bucket starts at
 * midnight UTC and a {@code 15m} bucket at :00, :15, :30 or :45.
 */
public enum Step {

    ONE_MINUTE("1m", Duration.ofMinutes(1)),
    FIFTEEN_MINUTES("15m", Duration.ofMinutes(15)),
    ONE_HOUR("1h", Duration.ofHours(1)),
    ONE_DAY("1d", Duration.ofDays(1));

    private final String label;
    private final Duration duration;
    private final long micros;

    Step(String label, Duration duration) {
        this.label = label;
        this.duration = duration;
        this.micros = duration.toNanos() / 1000;
    }

    /** How the step is written in queries: {@code 1m}, {@code 15m}, {@code 1h} or {@code 1d}. */
    public String label() {
        return label;
    }

    public Duration duration() {
        return duration;
    }

    /** The step's length in microseconds. */
    public long micros() {
        return micros;
    }

    /** The start of the bucket that holds {@code time}. */
    public Instant floor(Instant time) {
        long seconds = duration.getSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(time.getEpochSecond(), seconds) * seconds);
    }

    /** The start of the first bucket that begins at or after {@code time}. */
    public Instant ceil(Instant time) {
        Instant floor = floor(time);
        return floor.equals(time) ? floor : floor.plus(duration);
    }

    /** The labels of every step, for messages: {@code 1m, 15m, 1h, 1d}. */
    public static String labels() {
        return Arrays.stream(values()).map(Step::label).collect(Collectors.joining(", "));
    }

    /**
     * The step written as {@code label}.
     *
     * @throws HistoryQueryException for any other text; the message lists the allowed values
     */
    public static Step parse(String label) {
        for (Step step : values()) {
            if (step.label.equals(label)) {
                return step;
            }
        }
        throw new HistoryQueryException("step", "'step' must be one of " + labels() + ", was '" + label + "'.");
    }

    @Override
    public String toString() {
        return label;
    }
}
