package nl.lantaarn.bench;

import static nl.lantaarn.bench.Simulators.asGiven;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
final class SoundEventsCommand implements Callable<Integer>, PacedPublisher.Simulation {

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

    @Mixin
    private MqttTargetOptions broker;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random detections, to repeat a run.")
    private Long seed;

    @Override
    public Integer call() {
        Simulators.requireCountRateDuration(spec, "--sensors", sensors, rate, duration);
        return PacedPublisher.simulate("sound-events", broker, duration, this);
    }

    @Override
    public String firstLine(BrokerTarget target) {
        return String.format(Locale.ROOT, "Simulating %d acoustic event sensors: %s detections/s on average to %s, "
                + "topics %sse-1%s..se-%d%s; %s", sensors, asGiven(rate), target.describe(), SoundEvents.TOPIC_PREFIX,
                SoundEvents.TOPIC_SUFFIX, sensors, SoundEvents.TOPIC_SUFFIX,
                Simulators.runTime(duration, Simulators::asGiven));
    }

    /** Detections at exponentially distributed gaps, each from a random sensor; the tag is the event type. */
    @Override
    public PacedPublisher.Pacer pacer() {
        RandomGenerator random = Simulators.random(seed);
        SoundEvents.Sensor[] all = IntStream.range(0, sensors).mapToObj(i -> SoundEvents.sensor(i, sensors))
                .toArray(SoundEvents.Sensor[]::new);
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

    @Override
    public String summary(PacedPublisher.Result result) {
        StringBuilder head = new StringBuilder(160).append(String.format(Locale.ROOT,
                "Sent %d detections from %d sensors in %.1f s (%.2f/s)", result.sent(), sensors, result.seconds(),
                result.rate()));
        if (!result.tags().isEmpty()) {
            head.append(": ");
            result.tags().forEach((type, count) -> head.append(type).append(' ').append(count).append(", "));
            head.setLength(head.length() - 2);
        }
        return result.summary(head.toString(), "detections");
    }
}
