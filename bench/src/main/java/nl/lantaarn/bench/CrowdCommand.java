package nl.lantaarn.bench;

import static nl.lantaarn.bench.Simulators.asGiven;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
final class CrowdCommand implements Callable<Integer>, PacedPublisher.Simulation {

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

    @Mixin
    private MqttTargetOptions broker;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random noise, to repeat a run.")
    private Long seed;

    /** Local hour at which the simulated day starts: --start-hour, else now. */
    private double firstHour;

    @Override
    public Integer call() {
        Simulators.requireCountRateDuration(spec, "--sensors", sensors, rate, duration);
        Simulators.requirePositive(spec, "--speed", speed);
        if (startHour != null && !(startHour >= 0 && startHour <= 24)) {
            throw new ParameterException(spec.commandLine(), "--start-hour must be between 0 and 24, not "
                    + startHour);
        }
        firstHour = startHour == null ? CrowdCounts.hourOfDay(Instant.now()) : startHour;
        return PacedPublisher.simulate("crowd", broker, duration, this);
    }

    @Override
    public String firstLine(BrokerTarget target) {
        long startMinute = Math.round(firstHour * 60) % (24 * 60);
        return String.format(Locale.ROOT, "Simulating %d people counters: %s reports/s (%s) to %s, topics "
                + "%scc-1%s..cc-%d%s; simulated day from %02d:%02d at %sx speed; %s", sensors, asGiven(rate), format,
                target.describe(), CrowdCounts.TOPIC_PREFIX, CrowdCounts.TOPIC_SUFFIX, sensors,
                CrowdCounts.TOPIC_SUFFIX, startMinute / 60, startMinute % 60, asGiven(speed),
                Simulators.runTime(duration, Simulators::asGiven));
    }

    /**
     * The counters in turn at a fixed total rate; the simulated hour runs from the first hour at {@code --speed}. The
     * tag is the distancing risk.
     */
    @Override
    public PacedPublisher.Pacer pacer() {
        RandomGenerator random = Simulators.random(seed);
        CrowdCounts.Counter[] all = IntStream.range(0, sensors).mapToObj(i -> CrowdCounts.counter(i, sensors))
                .toArray(CrowdCounts.Counter[]::new);
        // each counter reports once per round; its report covers the time since its previous one
        Duration round = Duration.ofNanos((long) (1e9 / rate * sensors));
        long started = System.nanoTime();
        return PacedPublisher.Pacer.atRate(rate, k -> {
            CrowdCounts.Counter counter = all[(int) (k % all.length)];
            double elapsedHours = (System.nanoTime() - started) / 3.6e12 * speed;
            CrowdCounts.Report report = CrowdCounts.report(counter, (firstHour + elapsedHours) % 24, random);
            Instant now = Instant.now();
            String payload = format == Format.fiware
                    ? CrowdCounts.fiwarePayload(counter, report, now.minus(round), now)
                    : CrowdCounts.payload(counter, report, now);
            return new PacedPublisher.Outgoing(counter.topic(), payload.getBytes(StandardCharsets.UTF_8),
                    report.risk());
        });
    }

    @Override
    public String summary(PacedPublisher.Result result) {
        StringBuilder head = new StringBuilder(160).append(String.format(Locale.ROOT,
                "Sent %d reports from %d counters in %.1f s (%.1f/s)", result.sent(), sensors, result.seconds(),
                result.rate()));
        if (!result.tags().isEmpty()) {
            head.append("; distancing risk at the adapter's default thresholds: ");
            for (String risk : new String[] {"safe", "low", "high"}) {
                head.append(risk).append(' ').append(result.tagged(risk)).append(", ");
            }
            head.setLength(head.length() - 2);
        }
        return result.summary(head.toString(), "reports");
    }
}
