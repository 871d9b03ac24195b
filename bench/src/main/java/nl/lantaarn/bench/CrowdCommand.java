package nl.lantaarn.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code simulate crowd}: people counters on Stratumseind (nightlife) and Demer (shopping), Eindhoven, whose counts
 * follow a daily curve, reporting in turn to {@code crowd/cc-<i>/counts}, QoS 1.
 */
@Command(name = "crowd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate people counters (camera, wifi, radar) for the crowd adapter: even ones on the "
                + "nightlife street Stratumseind (busiest around 00:30), odd ones on the shopping street Demer "
                + "(busiest mid-afternoon), Eindhoven. Counts follow a daily curve with some noise; the counters "
                + "report in turn, as JSON like",
            "{\"sensorId\":\"cc-1\",\"technology\":\"camera\",\"count\":142,\"areaM2\":200,\"direction\":\"inbound\","
                + "\"lat\":51.44,\"lon\":5.48,\"observedAt\":\"2026-11-23T21:15:00Z\"} on topic crowd/cc-<i>/counts, "
                + "QoS 1 (or FIWARE CrowdFlowObserved entities with --format fiware).",
            "By default it publishes to the broker of the hub running from the same home folder (LANTAARN_HOME), "
                + "as user 'devices'."})
final class CrowdCommand implements Callable<Integer> {

    /** Payload shapes the crowd adapter reads. */
    enum Format { counter, fiware }

    @Spec
    private CommandSpec spec;

    @Option(names = "--sensors", paramLabel = "N", defaultValue = "12",
            description = "Number of counters (default: ${DEFAULT-VALUE}).")
    private int sensors;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "2",
            description = "Reports per second from all counters together (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds (default: run until Ctrl-C).")
    private Double duration;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1",
            description = "How much faster than real time the day passes for the curve, e.g. 720 for a day in two "
                    + "minutes (default: ${DEFAULT-VALUE}). observedAt is always the real time.")
    private double speed;

    @Option(names = "--start-hour", paramLabel = "H",
            description = "Local hour (0-24) at which the simulated day starts (default: now).")
    private Double startHour;

    @Option(names = "--format", paramLabel = "F", defaultValue = "counter",
            description = "counter (the adapter's counter JSON) or fiware (CrowdFlowObserved, NGSI-v2 key-values); "
                    + "default: ${DEFAULT-VALUE}.")
    private Format format;

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

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random noise, to repeat a run.")
    private Long seed;

    @Override
    public Integer call() {
        validate();
        Map<String, String> env = System.getenv();
        try {
            BrokerTarget target = BrokerTarget.resolve(BrokerTarget.home(env), host, port, username, passwordFile, env);
            PacedPublisher publisher = PacedPublisher.connect(target, "crowd");
            Instant now = Instant.now();
            double firstHour = startHour == null ? CrowdCounts.hourOfDay(now) : startHour;
            long startMinute = Math.round(firstHour * 60) % (24 * 60);
            System.out.printf(Locale.ROOT, "Simulating %d people counters: %s reports/s (%s) to %s (port from %s) as "
                    + "'%s', topics %scc-1%s..cc-%d%s; simulated day from %02d:%02d at %sx speed; %s%n", sensors,
                    number(rate), format, target, target.portSource(), target.username(), CrowdCounts.TOPIC_PREFIX,
                    CrowdCounts.TOPIC_SUFFIX, sensors, CrowdCounts.TOPIC_SUFFIX, startMinute / 60, startMinute % 60,
                    number(speed),
                    duration == null ? "Ctrl-C stops" : "for " + number(duration) + " s");
            PacedPublisher.Result result = publisher.run(duration, pacer(firstHour));
            System.out.println(summary(result));
            return result.failed() == 0 ? 0 : 1;
        } catch (ToolException e) {
            System.err.println("simulate crowd: " + e.getMessage());
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
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new ParameterException(spec.commandLine(), "--speed must be a positive number, not " + speed);
        }
        if (startHour != null && !(startHour >= 0 && startHour <= 24)) {
            throw new ParameterException(spec.commandLine(), "--start-hour must be between 0 and 24, not "
                    + startHour);
        }
    }

    /** The counters in turn at a fixed total rate; the simulated hour runs from {@code firstHour} at {@code speed}. */
    private PacedPublisher.Pacer pacer(double firstHour) {
        RandomGenerator random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
        CrowdCounts.Counter[] all = new CrowdCounts.Counter[sensors];
        for (int i = 0; i < sensors; i++) {
            all[i] = CrowdCounts.counter(i, sensors);
        }
        double periodNanos = 1e9 / rate;
        // each counter reports once per round; its report covers the time since its previous one
        Duration round = Duration.ofNanos((long) (periodNanos * sensors));
        long started = System.nanoTime();
        return new PacedPublisher.Pacer() {
            @Override
            public long dueNanos(long k) {
                return (long) (k * periodNanos);
            }

            @Override
            public PacedPublisher.Outgoing message(long k) {
                CrowdCounts.Counter counter = all[(int) (k % all.length)];
                double elapsedHours = (System.nanoTime() - started) / 3.6e12 * speed;
                CrowdCounts.Report report = CrowdCounts.report(counter, (firstHour + elapsedHours) % 24, random);
                Instant now = Instant.now();
                String payload = format == Format.fiware
                        ? CrowdCounts.fiwarePayload(counter, report, now.minus(round), now)
                        : CrowdCounts.payload(counter, report, now);
                return new PacedPublisher.Outgoing(counter.topic(), payload.getBytes(StandardCharsets.UTF_8),
                        report.risk());
            }
        };
    }

    private String summary(PacedPublisher.Result result) {
        StringBuilder line = new StringBuilder(160);
        line.append(String.format(Locale.ROOT, "Sent %d reports from %d counters in %.1f s (%.1f/s)", result.sent(),
                sensors, result.seconds(), result.seconds() > 0 ? result.sent() / result.seconds() : 0));
        if (!result.tags().isEmpty()) {
            line.append("; distancing risk at the adapter's default thresholds: ");
            for (String risk : new String[] {"safe", "low", "high"}) {
                line.append(risk).append(' ').append(result.tags().getOrDefault(risk, 0L)).append(", ");
            }
            line.setLength(line.length() - 2);
        }
        line.append("; ").append(result.failed()).append(" failed");
        if (result.firstFailure() != null) {
            line.append(" (first: ").append(result.firstFailure()).append(')');
        }
        if (!result.drained()) {
            line.append("; some reports were still unacknowledged after the wait");
        }
        return line.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
