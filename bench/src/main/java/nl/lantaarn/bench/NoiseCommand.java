package nl.lantaarn.bench;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simulate noise}: sound sensors along Stratumseind publishing LAeq readings, QoS 1, to {@code sim/noise/n-<i>},
 * in turn, at a fixed total rate.
 */
@Command(name = "noise", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate sound sensors along Stratumseind, Eindhoven: each reading is JSON like",
            "{\"id\":\"n-7\",\"laeq\":72.4,\"measuredAt\":\"2026-11-23T21:14:05Z\",\"lat\":51.44,\"lon\":5.48} on "
                + "topic sim/noise/n-<i>, QoS 1; laeq is random between 45 and 85 dB(A).",
            "By default it publishes to the broker of the hub running from the same home folder (LANTAARN_HOME), "
                + "as user 'devices'."})
final class NoiseCommand implements Callable<Integer> {

    /** Most readings waiting for the broker's acknowledgement at once; beyond that the simulator slows down. */
    private static final int MAX_IN_FLIGHT = 512;
    private static final long CONNECT_TIMEOUT_SECONDS = 10;
    private static final long DRAIN_TIMEOUT_SECONDS = 10;

    @Spec
    private CommandSpec spec;

    @Option(names = "--sensors", paramLabel = "N", defaultValue = "50", description = "Number of sensors (default: ${DEFAULT-VALUE}).")
    private int sensors;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "10",
            description = "Readings per second from all sensors together (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--duration", paramLabel = "S",
            description = "Stop after S seconds (default: run until Ctrl-C).")
    private Double duration;

    @Option(names = "--host", paramLabel = "H", description = "Broker host (default: localhost).")
    private String host;

    @Option(names = "--port", paramLabel = "P",
            description = "Broker port (default: the running hub's, from <home>/data/run/hub.properties; else "
                    + "LANTAARN_MQTT_PORT; else 1883).")
    private Integer port;

    @Option(names = "--username", paramLabel = "U", description = "MQTT user (default: devices).")
    private String username;

    @Option(names = "--password-file", paramLabel = "F",
            description = "File holding the MQTT password (default: <home>/data/secrets/mqtt-devices.password).")
    private Path passwordFile;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random levels, to repeat a run.")
    private Long seed;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong loud = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private volatile boolean running = true;

    @Override
    public Integer call() {
        validate();
        Map<String, String> env = System.getenv();
        try {
            BrokerTarget target = BrokerTarget.resolve(BrokerTarget.home(env), host, port, username, passwordFile, env);
            return run(target);
        } catch (ToolException e) {
            System.err.println("simulate noise: " + e.getMessage());
            return 1;
        }
    }

    private void validate() {
        if (sensors < 1) {
            throw new ParameterException(spec.commandLine(), "--sensors must be at least 1, not " + sensors);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new ParameterException(spec.commandLine(), "--rate must be a positive number, not " + rate);
        }
        if (duration != null && !(duration > 0)) {
            throw new ParameterException(spec.commandLine(), "--duration must be a positive number, not " + duration);
        }
    }

    private int run(BrokerTarget target) throws ToolException {
        Mqtt3AsyncClient client = connect(target);
        NoiseReadings.Sensor[] all = new NoiseReadings.Sensor[sensors];
        for (int i = 0; i < sensors; i++) {
            all[i] = NoiseReadings.sensor(i, sensors);
        }
        System.out.printf(Locale.ROOT, "Simulating %d sound sensors: %s readings/s to %s (port from %s) as '%s', "
                + "topics %sn-1..n-%d; %s%n", sensors, number(rate), target, target.portSource(), target.username(),
                NoiseReadings.TOPIC_PREFIX, sensors,
                duration == null ? "Ctrl-C stops" : "for " + number(duration) + " s");

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
            publish(client, all, started);
            boolean drained = drain();
            double seconds = (System.nanoTime() - started) / 1e9;
            client.disconnect();
            System.out.println(summary(seconds, drained));
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // shutting down after Ctrl-C: the hook is running
            }
        }
        return failed.get() == 0 ? 0 : 1;
    }

    private Mqtt3AsyncClient connect(BrokerTarget target) throws ToolException {
        char[] password = target.readPassword();
        byte[] passwordBytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).array();
        Arrays.fill(password, '\0');
        Mqtt3AsyncClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier("lantaarn-simulate-noise-" + ProcessHandle.current().pid())
                .serverHost(target.host())
                .serverPort(target.port())
                .simpleAuth().username(target.username()).password(trim(passwordBytes)).applySimpleAuth()
                .buildAsync();
        Arrays.fill(passwordBytes, (byte) 0);
        try {
            client.connectWith().cleanSession(true).keepAlive(30).send()
                    .get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return client;
        } catch (ExecutionException e) {
            throw new ToolException(connectFailure(e.getCause(), target));
        } catch (TimeoutException e) {
            client.disconnect();
            throw new ToolException("no answer from an MQTT broker at " + target + " within " + CONNECT_TIMEOUT_SECONDS
                    + " s; check --host and --port (or LANTAARN_MQTT_PORT)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while connecting to " + target);
        }
    }

    /** One line saying why the connection failed and what to set. */
    static String connectFailure(Throwable cause, BrokerTarget target) {
        if (cause instanceof Mqtt3ConnAckException connAck) {
            Mqtt3ConnAckReturnCode code = connAck.getMqttMessage().getReturnCode();
            if (code == Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD || code == Mqtt3ConnAckReturnCode.NOT_AUTHORIZED) {
                return "the broker at " + target + " refused user '" + target.username() + "' (" + describe(code)
                        + "); set --username and --password-file (default: the 'devices' user and the password the "
                        + "hub's embedded broker wrote to data/secrets/mqtt-devices.password); is " + target
                        + " the hub's broker? (port from " + target.portSource() + ")";
            }
            return "the broker at " + target + " refused the connection (" + describe(code) + ")";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "cannot connect to " + target + ": nothing is listening there (port from " + target.portSource()
                    + "); start the hub with ./lantaarn, or set --host and --port (or LANTAARN_MQTT_PORT)";
        }
        if (root instanceof UnknownHostException) {
            return "cannot connect to " + target + ": unknown host '" + target.host() + "'; set --host";
        }
        if (cause instanceof ConnectionClosedException || cause instanceof ConnectionFailedException) {
            return "cannot connect to " + target + " (" + root + "); is it an MQTT broker? Set --host and --port";
        }
        return "cannot connect to " + target + ": " + root;
    }

    private static String describe(Mqtt3ConnAckReturnCode code) {
        return code.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static byte[] trim(byte[] encoded) {
        int length = encoded.length;
        while (length > 0 && encoded[length - 1] == 0) {
            length--;
        }
        return Arrays.copyOf(encoded, length);
    }

    private void publish(Mqtt3AsyncClient client, NoiseReadings.Sensor[] all, long started) {
        RandomGenerator random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
        double periodNanos = 1e9 / rate;
        long end = duration == null ? Long.MAX_VALUE : started + (long) (duration * 1e9);
        for (long k = 0; running; k++) {
            long due = started + (long) (k * periodNanos);
            if (duration != null && due - end >= 0) {
                break;
            }
            long wait;
            while (running && (wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!running || !acquireSlot()) {
                break;
            }
            NoiseReadings.Sensor sensor = all[(int) (k % all.length)];
            double laeq = NoiseReadings.nextLaeq(random);
            byte[] payload = NoiseReadings.payload(sensor, laeq, Instant.now()).getBytes(StandardCharsets.UTF_8);
            boolean isLoud = laeq > 70.0;
            client.publishWith().topic(sensor.topic()).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                    .whenComplete((ack, error) -> {
                        if (error == null) {
                            sent.incrementAndGet();
                            if (isLoud) {
                                loud.incrementAndGet();
                            }
                        } else {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, error);
                        }
                        inFlight.release();
                    });
            if (firstFailure.get() != null && !client.getState().isConnected()) {
                System.err.println("simulate noise: lost the connection to the broker (" + firstFailure.get()
                        + "); stopping");
                break;
            }
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

    private String summary(double seconds, boolean drained) {
        StringBuilder line = new StringBuilder(128);
        line.append(String.format(Locale.ROOT, "Sent %d readings from %d sensors in %.1f s (%s/s), %d above 70 dB(A); "
                + "%d failed", sent.get(), sensors, seconds, number(seconds > 0 ? sent.get() / seconds : 0),
                loud.get(), failed.get()));
        if (firstFailure.get() != null) {
            line.append(" (first: ").append(firstFailure.get()).append(')');
        }
        if (!drained) {
            line.append("; some readings were still unacknowledged after ").append(DRAIN_TIMEOUT_SECONDS).append(" s");
        }
        return line.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
