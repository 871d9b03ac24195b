package nl.lantaarn.adapter.runtime.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that apply mapped thing updates to the twin, shared by every adapter instance of the runtime. An
 * instance's worker only maps (one payload at a time, so adapters need no locking); the twin write that follows (merge,
 * validation, journal append) runs here, on several threads at once.
 * <p>
 * A thing always goes to the same lane (by its id's hash), and a lane applies in the order it was given, so the
 * updates of one thing reach the twin in the order the worker mapped them, also when two instances update the same
 * thing. Each lane's queue is bounded: when it is full, the worker that hands over waits, its inbox fills, and the
 * transport slows down (see {@link AdapterInstance#onMqtt}); nothing is dropped here.
 */
final class ApplyLanes {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyLanes.class);
    /** Updates queued per lane; small, so that the back-pressure reaches the inbox soon and memory stays bounded. */
    static final int LANE_CAPACITY = 1_000;

    private final Lane[] lanes;
    private final LongAdder waits = new LongAdder();
    /** Jobs handed over and not finished yet. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;

    /** @param count lanes, at least 1 */
    ApplyLanes(int count) {
        lanes = new Lane[Math.max(1, count)];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane("adapter-apply-" + (i + 1));
        }
    }

    /** As many lanes as processors, at least 2 and at most 8. */
    static int defaultCount() {
        return Math.min(8, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Queues {@code job} on the lane of {@code key} (the thing id), waiting while that lane is full. Runs the job on the
     * calling thread once the lanes are closed (the runtime stops), so that nothing handed over is lost.
     */
    void submit(Object key, Runnable job) {
        Lane lane = lanes[(key.hashCode() & 0x7fffffff) % lanes.length];
        pending.incrementAndGet();
        if (closed || !lane.queue.offer(job)) {
            if (!closed) {
                waits.increment();
            }
            boolean queued = false;
            while (!closed && !queued) {
                try {
                    queued = lane.queue.offer(job, 100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    // a worker is never interrupted on purpose; keep the job
                }
            }
            if (!queued) {
                runCounted(job);
            }
        }
    }

    /** Updates handed over and not applied yet. */
    int queued() {
        return pending.get();
    }

    private void runCounted(Runnable job) {
        try {
            job.run();
        } finally {
            pending.decrementAndGet();
        }
    }

    /** How often a worker found its lane full and waited. */
    long waits() {
        return waits.sum();
    }

    int size() {
        return lanes.length;
    }

    /** Waits until every lane is empty or the deadline passed. */
    void drain(long deadlineNanos) {
        while (queued() > 0 && System.nanoTime() - deadlineNanos < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** Applies what is queued (up to the deadline), then ends the threads; later jobs run on their caller. */
    void close(long deadlineNanos) {
        drain(deadlineNanos);
        closed = true;
        for (Lane lane : lanes) {
            lane.thread.interrupt();
        }
        for (Lane lane : lanes) {
            try {
                lane.thread.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // whatever a lane left (it did not finish in time) is applied here rather than lost
            Runnable job;
            while ((job = lane.queue.poll()) != null) {
                runCounted(job);
            }
        }
    }

    private final class Lane implements Runnable {
        final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(LANE_CAPACITY);
        final Thread thread;

        Lane(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            while (!closed) {
                Runnable job;
                try {
                    job = queue.take();
                } catch (InterruptedException e) {
                    continue; // closing: the loop condition decides
                }
                try {
                    runCounted(job);
                } catch (RuntimeException | LinkageError e) {
                    // a job reports its own failures; this is a fault in the runtime itself
                    LOG.error("Applying a thing update failed on {}", thread.getName(), e);
                }
            }
        }
    }
}
