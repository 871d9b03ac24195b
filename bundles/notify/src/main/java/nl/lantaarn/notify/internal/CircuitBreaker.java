package nl.lantaarn.notify.internal;

/**
 * Per target: opens after {@code threshold} consecutive failures; after the cool-down one trial delivery is let
 * through (half-open), which closes it on success and opens it again on failure. Thread safe.
 */
final class CircuitBreaker {

    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long coolDownNanos;
    private int consecutiveFailures;
    private boolean open;
    private long openUntil;

    CircuitBreaker(int threshold, long coolDownNanos) {
        this.threshold = threshold;
        this.coolDownNanos = coolDownNanos;
    }

    /** Nanoseconds until a delivery may be tried; 0 when closed or half-open. */
    synchronized long nanosUntilAllowed(long now) {
        return open ? Math.max(0, openUntil - now) : 0;
    }

    /** @return true when this closed a breaker that was open */
    synchronized boolean onSuccess() {
        boolean wasOpen = open;
        consecutiveFailures = 0;
        open = false;
        return wasOpen;
    }

    /** @return true when this opened the breaker (it was closed) */
    synchronized boolean onFailure(long now) {
        consecutiveFailures++;
        if (open || consecutiveFailures >= threshold) {
            boolean opened = !open;
            open = true;
            openUntil = now + coolDownNanos;
            return opened;
        }
        return false;
    }

    synchronized State state(long now) {
        if (!open) {
            return State.CLOSED;
        }
        return now - openUntil < 0 ? State.OPEN : State.HALF_OPEN;
    }

    /** Open or half-open: the target has not answered well since the breaker opened. */
    synchronized boolean isOpen() {
        return open;
    }

    synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }
}
