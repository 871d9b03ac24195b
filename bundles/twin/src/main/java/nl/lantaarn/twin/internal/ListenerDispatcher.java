package nl.lantaarn.twin.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;

/**
 * Delivers twin events to one listener on one thread of its own, in the order they were offered. The queue is bounded
 * so that a listener that stopped consuming cannot exhaust the heap; an event that does not fit is counted and reported
 * through health and one WARN per overflow episode.
 */
final class ListenerDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatcher.class);
    static final int QUEUE_CAPACITY = 100_000;

    private final TwinEventListener listener;
    private final ThreadPoolExecutor executor;
    private final LongAdder overflowed = new LongAdder();
    private final AtomicBoolean overflowing = new AtomicBoolean();

    ListenerDispatcher(TwinEventListener listener) {
        this.listener = listener;
        String name = "twin-events-" + listener.getClass().getSimpleName();
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                runnable -> {
                    Thread thread = new Thread(runnable, name);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    void offer(TwinEvent event) {
        try {
            executor.execute(() -> deliver(event));
            if (overflowing.get() && executor.getQueue().isEmpty()) {
                overflowing.set(false);
            }
        } catch (RejectedExecutionException e) {
            overflowed.increment();
            if (!executor.isShutdown() && overflowing.compareAndSet(false, true)) {
                LOG.warn("Twin event listener {} is not keeping up: its queue of {} events is full; events are being "
                        + "counted as overflowed in /api/v1/health", listener.getClass().getName(), QUEUE_CAPACITY);
            }
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

    void close() {
        executor.shutdown();
    }
}
