package nl.lantaarn.backpressure;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Back-pressure between producers and the single consumer of a bounded queue. A producer that found the queue full
 * calls {@link #await}: it retries its offer each time the consumer makes progress, waiting up to a given time at a
 * time, again as long as the consumer took something meanwhile. A consumer that took nothing during a whole wait is
 * <em>stuck</em>: that producer gives up, and so does every producer after it, at once, until the consumer takes an
 * item again ({@link #progressed()}). So a slow consumer slows its producers down and loses nothing, while a stuck one
 * holds them up once, not once per item.
 * <p>
 * The consumer's side is a volatile increment per item, and a lock only while a producer waits.
 */
public final class ProgressGate {

    /** Producers wait on it; the consumer signals it only while someone waits. */
    private final Object room = new Object();
    /** Items the consumer got through; written by the consumer's thread only. */
    private volatile long progress;
    /** {@link #progress} when the consumer was found stuck; it is stuck while that did not change. */
    private volatile long stuckAt = -1;
    /** Producers waiting; changed under {@link #room}. */
    private volatile int waiting;
    private volatile boolean closed;

    /**
     * On a producer's thread, after its offer failed: tries {@code offer} again each time the consumer makes progress,
     * until it succeeds, as described above.
     *
     * @param offer     the producer's offer to the queue; true when it was taken
     * @param waitNanos how long a wait without any progress may take; 0 or less: no waiting
     * @return whether {@code offer} succeeded; false: the consumer is stuck, or the gate closed, or the thread was
     *         interrupted (its interrupt status is kept), or {@code waitNanos} is not positive
     */
    public boolean await(BooleanSupplier offer, long waitNanos) {
        if (closed || stuck() || waitNanos <= 0) {
            return false;
        }
        synchronized (room) {
            waiting++;
            try {
                long start = progress;
                long deadline = System.nanoTime() + waitNanos;
                while (true) {
                    if (closed) {
                        return false;
                    }
                    if (offer.getAsBoolean()) {
                        return true;
                    }
                    long now = progress;
                    if (now == stuckAt) {
                        // another producer found it stuck while this one waited
                        return false;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        if (now == start) {
                            stuckAt = now;
                            room.notifyAll();
                            return false;
                        }
                        // it made progress and others took the room: wait on while it goes on
                        start = now;
                        deadline = System.nanoTime() + waitNanos;
                        continue;
                    }
                    TimeUnit.NANOSECONDS.timedWait(room, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waiting--;
            }
        }
    }

    /** On the consumer's thread (one at a time): it took an item; wakes the waiting producers, if any. */
    public void progressed() {
        // only the consumer's thread writes it
        progress++;
        if (waiting > 0) {
            synchronized (room) {
                room.notifyAll();
            }
        }
    }

    /** Whether the consumer made no progress during a whole wait and has made none since. */
    public boolean stuck() {
        return progress == stuckAt;
    }

    /** Items the consumer got through so far. */
    public long progress() {
        return progress;
    }

    /** From now on no producer waits; those waiting go on at once. */
    public void close() {
        closed = true;
        synchronized (room) {
            room.notifyAll();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** A wait as people read it: {@code 10 s}, {@code 250 ms}. */
    public static String describe(long waitNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(waitNanos);
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
