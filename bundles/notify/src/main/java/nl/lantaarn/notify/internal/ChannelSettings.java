package nl.lantaarn.notify.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What every channel kind shares: queue bound, retries with capped exponential backoff and jitter, circuit breaker.
 *
 * @param queueCapacity      alerts waiting at most; more become dead letters
 * @param maxAttempts        delivery attempts per alert, the first included
 * @param backoffInitial     wait before the first retry; doubles for each further retry
 * @param backoffMax         cap of that wait
 * @param breakerFailures    consecutive failures that open the circuit breaker
 * @param breakerCoolDown    how long it stays open before one trial delivery (half-open)
 */
record ChannelSettings(int queueCapacity, int maxAttempts, Duration backoffInitial, Duration backoffMax,
        int breakerFailures, Duration breakerCoolDown) {

    static final int MAX_QUEUE = 1_000_000;

    ChannelSettings {
        check(queueCapacity >= 1 && queueCapacity <= MAX_QUEUE, "queueCapacity must be 1.." + MAX_QUEUE + ", was "
                + queueCapacity);
        check(maxAttempts >= 1 && maxAttempts <= 100, "maxAttempts must be 1..100, was " + maxAttempts);
        check(!backoffInitial.isNegative() && !backoffInitial.isZero(), "backoffInitialMillis must be at least 1, was "
                + backoffInitial.toMillis());
        check(backoffMax.compareTo(backoffInitial) >= 0, "backoffMaxMillis (" + backoffMax.toMillis()
                + ") must be at least backoffInitialMillis (" + backoffInitial.toMillis() + ")");
        check(breakerFailures >= 1, "breakerFailures must be at least 1, was " + breakerFailures);
        check(!breakerCoolDown.isNegative() && !breakerCoolDown.isZero(),
                "breakerCoolDownSeconds must be more than 0, was " + breakerCoolDown.toSeconds());
    }

    static ChannelSettings of(int queueCapacity, int maxAttempts, long backoffInitialMillis, long backoffMaxMillis,
            int breakerFailures, long breakerCoolDownMillis) {
        return new ChannelSettings(queueCapacity, maxAttempts, Duration.ofMillis(backoffInitialMillis),
                Duration.ofMillis(backoffMaxMillis), breakerFailures, Duration.ofMillis(breakerCoolDownMillis));
    }

    /**
     * Wait before retry number {@code retry} (1 = the first retry): the capped exponential delay, of which a random
     * half is taken off so that channels failing together do not retry in step.
     */
    long backoffMillis(int retry) {
        long initial = backoffInitial.toMillis();
        long cap = backoffMax.toMillis();
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long delay = initial > (cap >> shift) ? cap : Math.min(cap, initial << shift);
        long half = delay / 2;
        return delay - (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1));
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
