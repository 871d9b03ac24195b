package nl.lantaarn.deadletter.internal;

/**
 * Allows at most {@code permits} log lines per window, so that a sensor sending garbage cannot flood the log; what is
 * not logged at WARN is still recorded and listed.
 */
final class WarnLimiter {

    private final int permits;
    private final long windowMillis;
    private long windowStart;
    private int used;

    WarnLimiter(int permits, long windowMillis) {
        this.permits = permits;
        this.windowMillis = windowMillis;
    }

    synchronized boolean tryAcquire() {
        long now = System.currentTimeMillis();
        if (now - windowStart >= windowMillis) {
            windowStart = now;
            used = 0;
        }
        return used++ < permits;
    }
}
