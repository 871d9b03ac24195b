package nl.lantaarn.routing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.backpressure.ProgressGate;

/**
 * The threads that run the {@code hub:events} routes: a pool shared by all routes, each route a {@link Lane} on it
 * that runs its events one at a time and in order.
 * <p>
 * Why not a thread per route: with many routes, consecutive events mostly belong to different routes, and a thread
 * per route meant waking a parked thread (a futex call and a context switch) for nearly every event. Lanes are queued
 * on the pool, whose busy workers take the next lane without parking.
 * <p>
 * Why the pool grows: a route may block for long (a slow webhook, a {@code delay} step) and hold its worker. So that a
 * few slow routes never stall the others, a guard checks every {@value #GUARD_MILLIS} ms whether the lane at the head
 * of the pool's queue has waited longer than {@value #STALL_MILLIS} ms and if so adds a worker (up to
 * {@code maxWorkers}); idle workers above the base size end after a minute.
 */
final class RouteWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteWorkers.class);
    static final long GUARD_MILLIS = 50;
    static final long STALL_MILLIS = 100;
    /** Events a lane runs before it lets the next lane have the worker, so one busy route cannot hog it. */
    private static final int FAIR_SHARE = 64;

    private final ThreadPoolExecutor pool;
    private final LinkedBlockingQueue<Runnable> waiting = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService guard;
    private final int baseWorkers;
    private final int maxWorkers;

    /**
     * @param baseWorkers workers kept when idle
     * @param maxWorkers  the most workers when routes block
     */
    RouteWorkers(String name, int baseWorkers, int maxWorkers) {
        this.baseWorkers = baseWorkers;
        this.maxWorkers = maxWorkers;
        this.pool = new ThreadPoolExecutor(baseWorkers, maxWorkers, 60, TimeUnit.SECONDS, waiting,
                threads(name + " worker"));
        this.guard = new ScheduledThreadPoolExecutor(1, threads(name + " guard"));
        guard.scheduleWithFixedDelay(this::checkStalls, GUARD_MILLIS, GUARD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Base workers: twice the cores, at least 4. */
    static int defaultBaseWorkers() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** A new lane: {@code capacity} events wait at most; the name is for messages. */
    Lane lane(String name, int capacity) {
        return new Lane(name, capacity);
    }

    /** The workers there are now. */
    int workers() {
        return pool.getPoolSize();
    }

    private void checkStalls() {
        Runnable head = waiting.peek();
        int core = pool.getCorePoolSize();
        if (head instanceof Lane lane && System.nanoTime() - lane.scheduledAt
                > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
            if (core < maxWorkers) {
                // a new worker takes the waiting lane at once
                pool.setCorePoolSize(core + 1);
                LOG.debug("Route workers: lane {} waited over {} ms, {} workers now", lane.name, STALL_MILLIS,
                        core + 1);
            } else if (!lane.warned) {
                lane.warned = true;
                LOG.warn("All {} route workers are busy and route {} waits: routes block for long (slow outputs?); "
                        + "events queue up in each route until its queue is full", maxWorkers, lane.name);
            }
        } else if (head == null && core > baseWorkers && pool.getActiveCount() < core - 1) {
            // quiet again: the extra workers end when idle
            pool.setCorePoolSize(core - 1);
        }
    }

    @Override
    public void close() {
        guard.shutdownNow();
        pool.shutdownNow();
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + " #" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * One route's serial executor on the shared pool: its tasks run one at a time, in the order they were given, each
     * after the previous one finished. At most {@code capacity} tasks wait; more is a
     * {@link RejectedExecutionException}, as is a task after {@link #shutdown()}.
     * <p>
     * A producer that finds the lane full may {@link #await wait} for its progress: a lane that took no task during a
     * whole wait is stuck, and further waits give up at once until it takes a task again.
     */
    final class Lane implements Executor, Runnable {

        private final String name;
        private final ArrayBlockingQueue<Runnable> tasks;
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final Object idle = new Object();
        /** Producers wait on it for the lane's tasks and outbox entries ({@link #progressed()}). */
        private final ProgressGate gate = new ProgressGate();
        private volatile boolean shutdown;
        /** The worker running this lane's tasks now; guarded by the lane. */
        private Thread runner;
        private volatile long scheduledAt;
        private boolean warned;

        private Lane(String name, int capacity) {
            this.name = name;
            this.tasks = new ArrayBlockingQueue<>(capacity);
        }

        @Override
        public void execute(Runnable task) {
            if (shutdown) {
                throw new RejectedExecutionException("lane " + name + " is shut down");
            }
            if (!tasks.offer(task)) {
                throw new RejectedExecutionException("lane " + name + " is full");
            }
            schedule();
        }

        /** {@link #execute} that waits for room as {@link #await} does; false: stuck or shut down, not queued. */
        boolean executeWaiting(Runnable task, long waitNanos) {
            if (!await(() -> tasks.offer(task), waitNanos)) {
                return false;
            }
            schedule();
            return true;
        }

        /**
         * For a producer that found the lane (or what it feeds, the route's outbox) full: tries {@code attempt} each
         * time the lane makes progress, until it succeeds. Waits up to {@code waitNanos} at a time, again as long as
         * the lane made progress meanwhile; a lane that made none during a whole wait is stuck from then on, and this
         * gives up at once until the lane makes progress again. {@link #shutdown()} ends the wait at once.
         *
         * @return whether {@code attempt} succeeded; false: the lane is stuck or shut down
         */
        boolean await(BooleanSupplier attempt, long waitNanos) {
            if (shutdown || gate.stuck() || waitNanos <= 0) {
                return false;
            }
            synchronized (this) {
                if (runner == Thread.currentThread()) {
                    // the lane's own thread cannot make room while it waits for it
                    return false;
                }
            }
            return gate.await(attempt, waitNanos);
        }

        /** Whether the lane made no progress during a whole wait and has made none since. */
        boolean stuck() {
            return gate.stuck();
        }

        /** On the lane's runner: it got through a task or an outbox entry; wakes the producers waiting, if any. */
        void progressed() {
            gate.progressed();
        }

        private void schedule() {
            if (scheduled.compareAndSet(false, true)) {
                scheduledAt = System.nanoTime();
                try {
                    pool.execute(this);
                } catch (RejectedExecutionException e) {
                    // the pool is closed: the hub is stopping
                    scheduled.set(false);
                    throw e;
                }
            }
        }

        /** Runs on a worker: a fair share of the lane's tasks, then gives the worker back. */
        @Override
        public void run() {
            synchronized (this) {
                runner = Thread.currentThread();
            }
            try {
                for (int i = 0; i < FAIR_SHARE; i++) {
                    Runnable task = tasks.poll();
                    if (task == null) {
                        break;
                    }
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("Route {}: a task failed outside the route's error handling", name, e);
                    } finally {
                        progressed();
                    }
                }
            } finally {
                synchronized (this) {
                    runner = null;
                    // an interrupt meant for this lane (a shutdown that timed out) must not reach the next one
                    Thread.interrupted();
                }
                scheduled.set(false);
                if (!tasks.isEmpty()) {
                    try {
                        schedule();
                    } catch (RejectedExecutionException e) {
                        // the pool is closed: the hub is stopping, the outbox keeps the events
                    }
                } else {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
            }
        }

        /** Takes no new tasks; those given run. Producers waiting for room go on at once. */
        void shutdown() {
            shutdown = true;
            gate.close();
        }

        boolean isShutdown() {
            return shutdown;
        }

        /**
         * {@link #shutdown()}, then waits up to {@code timeoutMillis} for the tasks given to run; after that the task
         * running is interrupted and the rest are not run.
         *
         * @return the tasks not run, for the caller to account for; empty when every task ran
         */
        List<Runnable> shutdownGraceful(long timeoutMillis) throws InterruptedException {
            shutdown();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            synchronized (idle) {
                while (!tasks.isEmpty() || scheduled.get()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        List<Runnable> notRun = new ArrayList<>();
                        tasks.drainTo(notRun);
                        synchronized (this) {
                            if (runner != null) {
                                runner.interrupt();
                            }
                        }
                        return notRun;
                    }
                    idle.wait(Math.min(left, GUARD_MILLIS));
                }
            }
            return List.of();
        }

        @Override
        public String toString() {
            return "Lane[" + name + ", " + tasks.size() + " waiting]";
        }
    }
}
