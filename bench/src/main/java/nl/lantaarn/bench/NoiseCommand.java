package nl.lantaarn.bench;

import static nl.lantaarn.bench.Simulators.number;

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
 * {@code simulate noise}: sound sensors along Stratumseind publishing LAeq readings, QoS 1, to {@code sim/noise/n-<i>},
 * in turn, at a fixed total rate.
 */
@Command(name = "noise", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate sound sensors along Stratumseind, Eindhoven: each reading is JSON like",
            "{\"id\":\"n-7\",\"laeq\":72.4,\"measuredAt\":\"2026-11-23T21:14:05Z\",\"lat\":51.44,\"lon\":5.48} on "
                + "topic sim/noise/n-<i>, QoS 1; laeq is random between 45 and 85 dB(A).",
            "By default it publishes to the broker of the hub running from the same home folder (LANTAARN_HOME), "
                + "as user 'devices'."})
final class NoiseCommand implements Callable<Integer>, PacedPublisher.Simulation {

    /** Tag of the readings above the 70 dB(A) of the example alert route. */
    private static final String LOUD = "loud";

    @Spec
    private CommandSpec spec;

    @Option(names = "--sensors", paramLabel = "N", defaultValue = "50",
            description = "Number of sensors (default: ${DEFAULT-VALUE}).")
    private int sensors;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "10",
            description = "Readings per second from all sensors together (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--duration", paramLabel = "S",
            description = "Stop after S seconds (default: run until Ctrl-C).")
    private Double duration;

    @Mixin
    private MqttTargetOptions broker;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random levels, to repeat a run.")
    private Long seed;

    @Override
    public Integer call() {
        Simulators.requireCountRateDuration(spec, "--sensors", sensors, rate, duration);
        return PacedPublisher.simulate("noise", broker, duration, this);
    }

    @Override
    public String firstLine(BrokerTarget target) {
        return String.format(Locale.ROOT, "Simulating %d sound sensors: %s readings/s to %s, topics %sn-1..n-%d; %s",
                sensors, number(rate), target.describe(), NoiseReadings.TOPIC_PREFIX, sensors,
                Simulators.runTime(duration, Simulators::number));
    }

    /** The sensors in turn at a fixed total rate. */
    @Override
    public PacedPublisher.Pacer pacer() {
        RandomGenerator random = Simulators.random(seed);
        NoiseReadings.Sensor[] all = IntStream.range(0, sensors).mapToObj(i -> NoiseReadings.sensor(i, sensors))
                .toArray(NoiseReadings.Sensor[]::new);
        return PacedPublisher.Pacer.atRate(rate, k -> {
            NoiseReadings.Sensor sensor = all[(int) (k % all.length)];
            double laeq = NoiseReadings.nextLaeq(random);
            byte[] payload = NoiseReadings.payload(sensor, laeq, Instant.now()).getBytes(StandardCharsets.UTF_8);
            return new PacedPublisher.Outgoing(sensor.topic(), payload, laeq > 70.0 ? LOUD : null);
        });
    }

    @Override
    public String summary(PacedPublisher.Result result) {
        return result.summary(String.format(Locale.ROOT, "Sent %d readings from %d sensors in %.1f s (%s/s), %d above "
                + "70 dB(A)", result.sent(), sensors, result.seconds(), number(result.rate()), result.tagged(LOUD)),
                "readings");
    }
}
