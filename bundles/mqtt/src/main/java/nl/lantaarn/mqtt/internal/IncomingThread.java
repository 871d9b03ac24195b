package nl.lantaarn.mqtt.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.reactivex.Flowable;
import io.reactivex.Scheduler;
import io.reactivex.schedulers.Schedulers;

/**
 * The thread that hands incoming messages to the handlers, off the client's network thread, with flow control: at most
 * {@value #BUFFER} messages wait for it. While a handler waits (its adapter's inbox is full), the buffer fills and the
 * client stops asking for more; it then holds QoS 1 and 2 messages without acknowledging them, and the broker stops
 * sending once as many are unacknowledged as it allows in flight, keeping the rest in the hub's session (see the
 * README, "Back-pressure"). The network thread itself never waits, so publishes and their acknowledgements go on.
 */
final class IncomingThread {

    /** Messages taken from the client ahead of the handlers. */
    static final int BUFFER = 256;

    private final ExecutorService executor;
    private final Scheduler scheduler;

    IncomingThread(String clientId) {
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mqtt-in-" + clientId);
            thread.setDaemon(true);
            return thread;
        });
        scheduler = Schedulers.from(executor);
    }

    /** {@code publishes}, delivered on this thread and requested only as fast as the handlers take them. */
    <T> Flowable<T> deliver(Flowable<T> publishes) {
        return publishes.observeOn(scheduler, false, BUFFER);
    }

    void close() {
        executor.shutdown();
    }
}
