package nl.lantaarn.bench;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;

/**
 * Publishes simulated device messages, QoS 1, at the times a {@link Pacer} gives, until the pacer has no more, the
 * duration ends or Ctrl-C; then waits for the outstanding acknowledgements and disconnects. Used by the simulators of
 * the shipped adapters ({@code simulate sound-events}, {@code simulate crowd}).
 */
final class PacedPublisher {

    /** Most messages waiting for the broker's acknowledgement at once; beyond that the simulator slows down. */
    static final int MAX_IN_FLIGHT = 512;
    private static final long CONNECT_TIMEOUT_SECONDS = 10;
    private static final long DRAIN_TIMEOUT_SECONDS = 10;

    /** What to send and when; called from one thread, in order, so it may keep state. */
    interface Pacer {

        /** Nanoseconds after the start at which message {@code k} (0, 1, ...) is due; negative: no more messages. */
        long dueNanos(long k);

        /** Message {@code k}, built when it is due. */
        Outgoing message(long k);
    }

    /**
     * One message.
     *
     * @param topic   MQTT topic
     * @param payload the bytes
     * @param tag     counted in the summary, e.g. the event type; null for none
     */
    record Outgoing(String topic, byte[] payload, String tag) {
    }

    /**
     * The outcome of a run.
     *
     * @param sent         acknowledged messages
     * @param failed       messages the broker did not acknowledge
     * @param seconds      how long the run took
     * @param drained      whether every acknowledgement came in time
     * @param firstFailure the first failure, or null
     * @param tags         acknowledged messages per tag, sorted by tag
     */
    record Result(long sent, long failed, double seconds, boolean drained, Throwable firstFailure,
            Map<String, Long> tags) {
    }

    private final Mqtt3AsyncClient client;
    private final String name;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, LongAdder> tags = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private volatile boolean running = true;

    private PacedPublisher(Mqtt3AsyncClient client, String name) {
        this.client = client;
        this.name = name;
    }

    /**
     * Connects to the broker as the target's user.
     *
     * @param name the simulator's name, e.g. {@code sound-events}, for the client id and messages
     * @throws ToolException saying why the connection failed and what to set
     */
    static PacedPublisher connect(BrokerTarget target, String name) throws ToolException {
        char[] password = target.readPassword();
        byte[] passwordBytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).array();
        Arrays.fill(password, '\0');
        Mqtt3AsyncClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier("lantaarn-simulate-" + name + "-" + ProcessHandle.current().pid())
                .serverHost(target.host())
                .serverPort(target.port())
                .simpleAuth().username(target.username()).password(trim(passwordBytes)).applySimpleAuth()
                .buildAsync();
        Arrays.fill(passwordBytes, (byte) 0);
        try {
            client.connectWith().cleanSession(true).keepAlive(30).send()
                    .get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new PacedPublisher(client, name);
        } catch (ExecutionException e) {
            throw new ToolException(NoiseCommand.connectFailure(e.getCause(), target));
        } catch (TimeoutException e) {
            client.disconnect();
            throw new ToolException("no answer from an MQTT broker at " + target + " within " + CONNECT_TIMEOUT_SECONDS
                    + " s; check --host and --port (or LANTAARN_MQTT_PORT)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while connecting to " + target);
        }
    }

    /**
     * Publishes until the pacer has no more messages, {@code durationSeconds} have passed (null: no limit) or Ctrl-C,
     * then drains and disconnects.
     */
    Result run(Double durationSeconds, Pacer pacer) {
        Thread main = Thread.currentThread();
        CountDownLatch done = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            running = false;
            LockSupport.unpark(main);
            try {
                done.await(DRAIN_TIMEOUT_SECONDS + 2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            long started = System.nanoTime();
            publish(pacer, started, durationSeconds == null ? Long.MAX_VALUE : (long) (durationSeconds * 1e9));
            boolean drained = drain();
            double seconds = (System.nanoTime() - started) / 1e9;
            client.disconnect();
            Map<String, Long> counted = new TreeMap<>();
            tags.forEach((tag, count) -> counted.put(tag, count.sum()));
            return new Result(sent.get(), failed.get(), seconds, drained, firstFailure.get(), counted);
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // shutting down after Ctrl-C: the hook is running
            }
        }
    }

    private void publish(Pacer pacer, long started, long durationNanos) {
        for (long k = 0; running; k++) {
            long due = pacer.dueNanos(k);
            if (due < 0 || due >= durationNanos) {
                // past the end: wait out the duration, so a quiet simulator runs as long as asked
                if (due >= 0 && durationNanos != Long.MAX_VALUE) {
                    sleepUntil(started + durationNanos);
                }
                break;
            }
            sleepUntil(started + due);
            if (!running || !acquireSlot()) {
                break;
            }
            Outgoing message = pacer.message(k);
            client.publishWith().topic(message.topic()).qos(MqttQos.AT_LEAST_ONCE).payload(message.payload()).send()
                    .whenComplete((ack, error) -> {
                        if (error == null) {
                            sent.incrementAndGet();
                            if (message.tag() != null) {
                                tags.computeIfAbsent(message.tag(), t -> new LongAdder()).increment();
                            }
                        } else {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, error);
                        }
                        inFlight.release();
                    });
            if (firstFailure.get() != null && !client.getState().isConnected()) {
                System.err.println("simulate " + name + ": lost the connection to the broker (" + firstFailure.get()
                        + "); stopping");
                break;
            }
        }
    }

    private void sleepUntil(long deadline) {
        long wait;
        while (running && (wait = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private boolean acquireSlot() {
        try {
            inFlight.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for the acknowledgements still outstanding; false when some did not come in time. */
    private boolean drain() {
        try {
            return inFlight.tryAcquire(MAX_IN_FLIGHT, DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] trim(byte[] encoded) {
        int length = encoded.length;
        while (length > 0 && encoded[length - 1] == 0) {
            length--;
        }
        return Arrays.copyOf(encoded, length);
    }
}
