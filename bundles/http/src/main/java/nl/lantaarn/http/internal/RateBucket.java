package nl.lantaarn.http.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket kept as one number: the time at which the bucket would be full again (the "theoretical arrival
 * time" of the generic cell rate algorithm, which admits exactly what a token bucket of {@code burst} tokens refilled
 * at {@code perSecond} admits). Taking a token is one compare-and-set: no lock and no allocation, so every request
 * can pass through it.
 */
final class RateBucket {

    private final RateLimit limit;
    private final long interval;
    private final long capacity;
    /** When the bucket is full again, in {@link System#nanoTime()} terms; at or before now: full. */
    private final AtomicLong full;

    RateBucket(RateLimit limit, long now) {
        this.limit = limit;
        this.interval = limit.intervalNanos();
        this.capacity = interval * limit.burst();
        this.full = new AtomicLong(now);
    }

    RateLimit limit() {
        return limit;
    }

    /**
     * Takes a token when there is one.
     *
     * @param now {@link System#nanoTime()} (or a test's clock on the same scale)
     * @return 0 when taken; otherwise how many nanoseconds until a token will be there (nothing is taken)
     */
    long take(long now) {
        while (true) {
            long current = full.get();
            // nanoTime values are compared by their difference: they may be negative and may wrap
            long next = (current - now > 0 ? current : now) + interval;
            long over = next - now - capacity;
            if (over > 0) {
                return over;
            }
            if (full.compareAndSet(current, next)) {
                return 0;
            }
        }
    }

    /** Whether every token is back: such a bucket is the same as a new one and may be forgotten. */
    boolean isFull(long now) {
        return full.get() - now <= 0;
    }
}
