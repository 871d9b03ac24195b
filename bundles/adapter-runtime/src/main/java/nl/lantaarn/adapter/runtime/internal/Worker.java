package nl.lantaarn.adapter.runtime.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import nl.lantaarn.adapter.api.SensorAdapter;

/**
 * The thread of one adapter instance: takes payloads from the instance's inbox and maps them with the instance's
 * current adapter, one at a time.
 * <p>
 * Hand-over without locks: the control side publishes a new adapter (or none) in {@link AdapterInstance#adapter} and
 * then waits until {@link #busyWith} no longer holds the old one. The worker announces the adapter in
 * {@link #busyWith} before it re-reads {@link AdapterInstance#adapter} and takes a payload, so either it sees the change
 * or the control side sees it busy (both fields are volatile). A map call in flight is thus always finished before an
 * adapter is closed, and no payload is taken for an adapter that was already replaced.
 */
final class Worker implements Runnable {

    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long POLL_MILLIS = 100;

    private final AdapterInstance instance;
    private final BlockingQueue<Object> inbox;
    final Thread thread;

    /** The adapter this worker may be using right now; {@code null} when it uses none. */
    volatile SensorAdapter busyWith;
    /** {@link System#nanoTime()} when the current map call started, 0 when none runs. */
    volatile long mapStartedNanos;
    /** Set when the worker was given up on (stuck in a map call) and replaced; it ends after that call. */
    volatile boolean retired;
    /** The adapter to close once the stuck call returns, when the worker was retired during it. */
    volatile SensorAdapter closeWhenDone;

    Worker(AdapterInstance instance, BlockingQueue<Object> inbox, int generation) {
        this.instance = instance;
        this.inbox = inbox;
        this.thread = new Thread(this, "adapter-" + instance.id + (generation == 0 ? "" : "-" + generation));
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (!retired) {
            SensorAdapter adapter = instance.adapter;
            if (adapter == null) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            busyWith = adapter;
            try {
                if (retired || instance.adapter != adapter) {
                    continue;
                }
                Object item = inbox.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                while (item != null) {
                    instance.process(item, adapter, this);
                    if (retired || instance.adapter != adapter) {
                        break;
                    }
                    item = inbox.poll();
                }
            } catch (InterruptedException e) {
                // nothing interrupts a worker on purpose (an adapter's map call must not see it); go on
            } finally {
                busyWith = null;
            }
        }
        SensorAdapter toClose = closeWhenDone;
        if (toClose != null) {
            AdapterInstance.closeQuietly(instance.id, toClose);
        }
    }
}
