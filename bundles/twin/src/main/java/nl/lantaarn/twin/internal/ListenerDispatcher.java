package nl.lantaarn.twin.internal;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.backpressure.ProgressGate;
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
    /** Writers wait on it for room; the listener's thread counts each event it takes. */
    private final ProgressGate gate = new ProgressGate();
    /** The gate's progress at the last WARN, so that an episode warns once. */
    private volatile long warnedAt = -1;
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
        if (gate.stuck() || waitNanos == 0) {
            overflow(waitNanos == 0 ? "writers do not wait for room (listenerWaitSeconds is 0)"
                    : "it took no event for " + ProgressGate.describe(waitNanos) + " while its queue was full");
            return;
        }
        if (!gate.await(() -> queue.offer(event), waitNanos) && !closed) {
            overflow("it took no event for " + ProgressGate.describe(waitNanos) + " while its queue was full; it is "
                    + "treated as stuck until it takes one again");
        }
    }

    private void overflow(String why) {
        overflowed.increment();
        long now = gate.progress();
        if (warnedAt != now) {
            warnedAt = now;
            LOG.warn("Twin event listener {} is not keeping up: its queue of {} events is full and {}; events are "
                    + "being counted as overflowed in /api/v1/health", listener.getClass().getName(), capacity, why);
        }
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
            gate.progressed();
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
        gate.close();
        // wakes the thread if it waits for an event; when the queue is full it is not waiting, and it ends once it
        // finds the queue empty
        queue.offer(CLOSE);
    }
}
