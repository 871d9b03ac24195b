package nl.lantaarn.bench;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
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
import java.util.regex.Pattern;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simulate ttn}: LoRaWAN devices on The Things Stack around Stratumseind, publishing v3 uplink JSON, QoS 1, to
 * {@code v3/<application>@<tenant>/devices/<device>/up}, in turn, at a fixed total rate.
 */
@Command(name = "ttn", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate LoRaWAN devices on The Things Network / The Things Stack v3 around Stratumseind, "
                + "Eindhoven: sound-level meters (application eindhoven-sound), people counters (eindhoven-people) "
                + "and particulate-matter sensors (eindhoven-air), in turn. Each uplink is the JSON The Things Stack "
                + "publishes on v3/<application>@<tenant>/devices/<device>/up (decoded_payload, rx_metadata, "
                + "locations, increasing f_cnt, \"simulated\": true), QoS 1.",
            "The hub's TTN adapter maps these applications with its default configuration "
                + "(etc/nl.lantaarn.adapter.ttn~default.cfg). By default it publishes to the broker of the hub running "
                + "from the same home folder (LANTAARN_HOME), as user 'devices'."})
final class TtnCommand implements Callable<Integer> {

    /** Most uplinks waiting for the broker's acknowledgement at once; beyond that the simulator slows down. */
    private static final int MAX_IN_FLIGHT = 512;
    private static final long CONNECT_TIMEOUT_SECONDS = 10;
    private static final long DRAIN_TIMEOUT_SECONDS = 10;
    private static final Pattern TENANT = Pattern.compile("[a-z0-9](?:-?[a-z0-9]){1,35}");

    @Spec
    private CommandSpec spec;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "30",
            description = "Number of devices, the three kinds in turn (default: ${DEFAULT-VALUE}).")
    private int devices;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "10",
            description = "Uplinks per second from all devices together (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds (default: run until Ctrl-C).")
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

    @Option(names = "--tenant", paramLabel = "T", defaultValue = TtnUplinks.DEFAULT_TENANT,
            description = "Tenant in the topics, as on The Things Network (default: ${DEFAULT-VALUE}).")
    private String tenant;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random values, to repeat a run.")
    private Long seed;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Map<TtnUplinks.Kind, AtomicLong> sentByKind = new EnumMap<>(TtnUplinks.Kind.class);
    private volatile boolean running = true;

    @Override
    public Integer call() {
        validate();
        Map<String, String> env = System.getenv();
        try {
            BrokerTarget target = BrokerTarget.resolve(BrokerTarget.home(env), host, port, username, passwordFile, env);
            return run(target);
        } catch (ToolException e) {
            System.err.println("simulate ttn: " + e.getMessage());
            return 1;
        }
    }

    private void validate() {
        if (devices < 1) {
            throw new ParameterException(spec.commandLine(), "--devices must be at least 1, not " + devices);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new ParameterException(spec.commandLine(), "--rate must be a positive number, not " + rate);
        }
        if (duration != null && !(duration > 0)) {
            throw new ParameterException(spec.commandLine(), "--duration must be a positive number, not " + duration);
        }
        if (!TENANT.matcher(tenant).matches()) {
            throw new ParameterException(spec.commandLine(), "--tenant must be a tenant id such as ttn (lower-case "
                    + "letters, digits and single dashes), not '" + tenant + "'");
        }
    }

    private int run(BrokerTarget target) throws ToolException {
        SplittableRandom random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
        TtnUplinks.Device[] all = new TtnUplinks.Device[devices];
        for (int i = 0; i < devices; i++) {
            all[i] = TtnUplinks.device(i, devices, tenant, random);
        }
        for (TtnUplinks.Kind kind : TtnUplinks.Kind.values()) {
            sentByKind.put(kind, new AtomicLong());
        }
        Mqtt3AsyncClient client = connect(target);
        System.out.printf(Locale.ROOT, "Simulating %d LoRaWAN devices (%s): %s uplinks/s to %s (port from %s) as "
                + "'%s', topics v3/<application>@%s/devices/<device>/up; %s%n", devices, counts(all), number(rate),
                target, target.portSource(), target.username(), tenant,
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
            publish(client, all, started, random);
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
        byte[] encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).array();
        Arrays.fill(password, '\0');
        int length = encoded.length;
        while (length > 0 && encoded[length - 1] == 0) {
            length--;
        }
        // the client keeps the array it is given (no copy): only the encoder's buffer is cleared
        Mqtt3AsyncClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier("lantaarn-simulate-ttn-" + ProcessHandle.current().pid())
                .serverHost(target.host())
                .serverPort(target.port())
                .simpleAuth().username(target.username()).password(Arrays.copyOf(encoded, length)).applySimpleAuth()
                .buildAsync();
        Arrays.fill(encoded, (byte) 0);
        try {
            client.connectWith().cleanSession(true).keepAlive(30).send()
                    .get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return client;
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

    private void publish(Mqtt3AsyncClient client, TtnUplinks.Device[] all, long started, SplittableRandom random) {
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
            TtnUplinks.Device device = all[(int) (k % all.length)];
            byte[] payload = TtnUplinks.nextUplink(device, Instant.now(), random).getBytes(StandardCharsets.UTF_8);
            AtomicLong ofKind = sentByKind.get(device.kind);
            client.publishWith().topic(device.topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                    .whenComplete((ack, error) -> {
                        if (error == null) {
                            sent.incrementAndGet();
                            ofKind.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, error);
                        }
                        inFlight.release();
                    });
            if (firstFailure.get() != null && !client.getState().isConnected()) {
                System.err.println("simulate ttn: lost the connection to the broker (" + firstFailure.get()
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

    private static String counts(TtnUplinks.Device[] all) {
        Map<TtnUplinks.Kind, Integer> count = new EnumMap<>(TtnUplinks.Kind.class);
        for (TtnUplinks.Device device : all) {
            count.merge(device.kind, 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder();
        count.forEach((kind, n) -> text.append(text.length() == 0 ? "" : ", ").append(n).append(' ')
                .append(kind.application));
        return text.toString();
    }

    private String summary(double seconds, boolean drained) {
        StringBuilder line = new StringBuilder(160);
        line.append(String.format(Locale.ROOT, "Sent %d uplinks from %d devices in %.1f s (%s/s): %d sound, %d people, "
                + "%d air; %d failed", sent.get(), devices, seconds, number(seconds > 0 ? sent.get() / seconds : 0),
                sentByKind.get(TtnUplinks.Kind.SOUND).get(), sentByKind.get(TtnUplinks.Kind.PEOPLE).get(),
                sentByKind.get(TtnUplinks.Kind.AIR).get(), failed.get()));
        if (firstFailure.get() != null) {
            line.append(" (first: ").append(firstFailure.get()).append(')');
        }
        if (!drained) {
            line.append("; some uplinks were still unacknowledged after ").append(DRAIN_TIMEOUT_SECONDS).append(" s");
        }
        return line.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
