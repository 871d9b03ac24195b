package nl.lantaarn.twin.internal;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;

/**
 * Delivers twin events to one listener on one thread of its own, in the order they were offered. The queue is bounded
 * so that a listener that stopped consuming cannot exhaust the heap.
 * <p>
 * A full queue holds the writer (back-pressure) for as long as the listener keeps taking events, each time up to
 * {@code wait} for room. A listener that took no event during a whole wait is stuck: from then on its events overflow
 * at once, so it holds up the writers once and not once per event, until it takes an event again. Overflowed events
 * are counted and reported through health and one WARN per episode.
 */
final class ListenerDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatcher.class);
    static final int QUEUE_CAPACITY = 100_000;
    /** Put in the queue by {@link #close()}: the thread ends when it takes it. */
    private static final Object CLOSE = new Object();

    private final TwinEventListener listener;
    private final int capacity;
    private final long waitNanos;
    private final ArrayBlockingQueue<Object> queue;
    private final Thread thread;
    private final LongAdder overflowed = new LongAdder();
    /** Writers wait on it for room; the listener's thread signals it after a take while someone waits. */
    private final Object room = new Object();
    /** Events the listener's thread took; written by that thread only. */
    private volatile long taken;
    /** {@link #taken} when the listener was found stuck; it is stuck while nothing was taken since. */
    private volatile long stuckAt = -1;
    /** {@link #taken} at the last WARN, so that an episode warns once. */
    private volatile long warnedAt = -1;
    /** Writers waiting for room; changed under {@link #room}. */
    private volatile int waiting;
    private volatile boolean closed;

    ListenerDispatcher(TwinEventListener listener, Duration wait) {
        this(listener, QUEUE_CAPACITY, wait);
    }

    ListenerDispatcher(TwinEventListener listener, int capacity, Duration wait) {
        this.listener = listener;
        this.capacity = capacity;
        this.waitNanos = wait.toNanos();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "twin-events-" + listener.getClass().getSimpleName());
        thread.setDaemon(true);
        thread.start();
    }

    /** On the writer's thread: queues the event; a full queue waits as described above. */
    void offer(TwinEvent event) {
        if (!queue.offer(event)) {
            full(event);
        }
    }

    private void full(TwinEvent event) {
        if (closed) {
            return;
        }
        if (Thread.currentThread() == thread) {
            // the listener writes to the twin itself: waiting for its own thread to make room would never end
            overflow("it writes to the twin on its own event thread, which cannot make room while it waits");
            return;
        }
        if (taken == stuckAt || waitNanos == 0) {
            overflow(waitNanos == 0 ? "writers do not wait for room (listenerWaitSeconds is 0)"
                    : "it took no event for " + waitText() + " while its queue was full");
            return;
        }
        if (!awaitRoom(event)) {
            overflow("it took no event for " + waitText() + " while its queue was full; it is treated as stuck until "
                    + "it takes one again");
        }
    }

    /** @return whether the event was queued (or the dispatcher closed meanwhile); false: the listener is stuck */
    private boolean awaitRoom(TwinEvent event) {
        synchronized (room) {
            waiting++;
            try {
                long start = taken;
                long deadline = System.nanoTime() + waitNanos;
                while (true) {
                    if (queue.offer(event) || closed) {
                        return true;
                    }
                    long now = taken;
                    if (now == stuckAt) {
                        // another writer found it stuck while this one waited
                        return false;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        if (now == start) {
                            stuckAt = now;
                            room.notifyAll();
                            return false;
                        }
                        // it took events, others filled the room: keep waiting while it makes progress
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

    private void overflow(String why) {
        overflowed.increment();
        long now = taken;
        if (warnedAt != now) {
            warnedAt = now;
            LOG.warn("Twin event listener {} is not keeping up: its queue of {} events is full and {}; events are "
                    + "being counted as overflowed in /api/v1/health", listener.getClass().getName(), capacity, why);
        }
    }

    private String waitText() {
        long millis = TimeUnit.NANOSECONDS.toMillis(waitNanos);
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private void run() {
        while (true) {
            Object next;
            try {
                next = closed ? queue.poll() : queue.take();
            } catch (InterruptedException e) {
                // only close() ends the thread
                continue;
            }
            if (next == null || next == CLOSE) {
                return;
            }
            // only this thread writes it
            taken++;
            if (waiting > 0) {
                synchronized (room) {
                    room.notifyAll();
                }
            }
            deliver((TwinEvent) next);
        }
    }

    private void deliver(TwinEvent event) {
        try {
            listener.onTwinEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("Twin event listener {} failed on {}", listener.getClass().getName(), event, e);
        }
    }

    long overflowed() {
        return overflowed.sum();
    }

    /** The events queued are still delivered; writers waiting for room go on at once, without queuing theirs. */
    void close() {
        closed = true;
        synchronized (room) {
            room.notifyAll();
        }
        // wakes the thread if it waits for an event; when the queue is full it is not waiting, and it ends once it
        // finds the queue empty
        queue.offer(CLOSE);
    }
}
