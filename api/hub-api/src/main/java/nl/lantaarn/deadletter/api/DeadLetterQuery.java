package nl.lantaarn.deadletter.api;

import java.time.Instant;

/**
 * A filter on dead letters; {@code null} fields do not filter.
 *
 * @param source         only this adapter or route
 * @param reasonContains only reasons containing this text (case-insensitive)
 * @param since          only received at or after this time
 * @param until          only received before this time
 * @param limit          at most this many (1 or more)
 */
public record DeadLetterQuery(String source, String reasonContains, Instant since, Instant until, int limit) {

    public DeadLetterQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** Every dead letter, up to {@code limit}. */
    public static DeadLetterQuery all(int limit) {
        return new DeadLetterQuery(null, null, null, null, limit);
    }

    /** Whether a dead letter passes the filter (the limit aside). */
    public boolean matches(DeadLetter letter) {
        return (source == null || source.equals(letter.source()))
                && (reasonContains == null || letter.reason().toLowerCase(java.util.Locale.ROOT)
                        .contains(reasonContains.toLowerCase(java.util.Locale.ROOT)))
                && (since == null || !letter.receivedAt().isBefore(since))
                && (until == null || letter.receivedAt().isBefore(until));
    }
}
