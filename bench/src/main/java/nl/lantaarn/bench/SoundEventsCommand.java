package nl.lantaarn.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simulate sound-events}: acoustic event sensors along Stratumseind that are mostly silent and now and then
 * report a detection (aggression, breaking glass, fireworks, a gunshot) to {@code sound/se-<i>/events}, QoS 1.
 */
@Command(name = "sound-events", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate acoustic event sensors along Stratumseind, Eindhoven, for the sound-events adapter. "
                + "Most of the time nothing happens; detections come at random moments, R per second on average, "
                + "each from a random sensor, as JSON like",
            "{\"sensorId\":\"se-3\",\"eventType\":\"aggression\",\"confidence\":0.87,\"peakDb\":93.1,\"count\":1,"
                + "\"lat\":51.44,\"lon\":5.48,\"detectedAt\":\"2026-11-23T23:41:07.250Z\"} on topic "
                + "sound/se-<i>/events, QoS 1.",
            "By default it publishes to the broker of the hub running from the same home folder (LANTAARN_HOME), "
                + "as user 'devices'."})
final class SoundEventsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--sensors", paramLabel = "N", defaultValue = "20",
            description = "Number of sensors (default: ${DEFAULT-VALUE}).")
    private int sensors;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0.2",
            description = "Detections per second from all sensors together, on average (default: ${DEFAULT-VALUE}, "
                    + "one every 5 s).")
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

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random detections, to repeat a run.")
    private Long seed;

    @Override
    public Integer call() {
        validate();
        Map<String, String> env = System.getenv();
        try {
            BrokerTarget target = BrokerTarget.resolve(BrokerTarget.home(env), host, port, username, passwordFile, env);
            PacedPublisher publisher = PacedPublisher.connect(target, "sound-events");
            System.out.printf(Locale.ROOT, "Simulating %d acoustic event sensors: %s detections/s on average to %s "
                    + "(port from %s) as '%s', topics %sse-1%s..se-%d%s; %s%n", sensors, number(rate), target,
                    target.portSource(), target.username(), SoundEvents.TOPIC_PREFIX, SoundEvents.TOPIC_SUFFIX,
                    sensors, SoundEvents.TOPIC_SUFFIX, duration == null ? "Ctrl-C stops" : "for " + number(duration)
                    + " s");
            PacedPublisher.Result result = publisher.run(duration, pacer());
            System.out.println(summary(result));
            return result.failed() == 0 ? 0 : 1;
        } catch (ToolException e) {
            System.err.println("simulate sound-events: " + e.getMessage());
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

    /** Detections at exponentially distributed gaps, each from a random sensor. */
    private PacedPublisher.Pacer pacer() {
        RandomGenerator random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
        SoundEvents.Sensor[] all = new SoundEvents.Sensor[sensors];
        for (int i = 0; i < sensors; i++) {
            all[i] = SoundEvents.sensor(i, sensors);
        }
        return new PacedPublisher.Pacer() {
            private long due;

            @Override
            public long dueNanos(long k) {
                due += SoundEvents.nextGapNanos(random, rate);
                return due;
            }

            @Override
            public PacedPublisher.Outgoing message(long k) {
                SoundEvents.Sensor sensor = all[random.nextInt(all.length)];
                SoundEvents.Event event = SoundEvents.nextEvent(random);
                byte[] payload = SoundEvents.payload(sensor, event, Instant.now()).getBytes(StandardCharsets.UTF_8);
                return new PacedPublisher.Outgoing(sensor.topic(), payload, event.type());
            }
        };
    }

    private String summary(PacedPublisher.Result result) {
        StringBuilder line = new StringBuilder(160);
        line.append(String.format(Locale.ROOT, "Sent %d detections from %d sensors in %.1f s (%s/s)", result.sent(),
                sensors, result.seconds(), String.format(Locale.ROOT, "%.2f",
                        result.seconds() > 0 ? result.sent() / result.seconds() : 0)));
        if (!result.tags().isEmpty()) {
            line.append(": ");
            result.tags().forEach((type, count) -> line.append(type).append(' ').append(count).append(", "));
            line.setLength(line.length() - 2);
        }
        line.append("; ").append(result.failed()).append(" failed");
        if (result.firstFailure() != null) {
            line.append(" (first: ").append(result.firstFailure()).append(')');
        }
        if (!result.drained()) {
            line.append("; some detections were still unacknowledged after the wait");
        }
        return line.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
