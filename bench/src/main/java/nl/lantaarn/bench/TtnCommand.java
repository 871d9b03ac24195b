package nl.lantaarn.bench;

import static nl.lantaarn.bench.Simulators.number;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
final class TtnCommand implements Callable<Integer>, PacedPublisher.Simulation {

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

    @Mixin
    private MqttTargetOptions broker;

    @Option(names = "--tenant", paramLabel = "T", defaultValue = TtnUplinks.DEFAULT_TENANT,
            description = "Tenant in the topics, as on The Things Network (default: ${DEFAULT-VALUE}).")
    private String tenant;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random values, to repeat a run.")
    private Long seed;

    /** Made before connecting, from the same random values as the uplinks: the first line counts them. */
    private RandomGenerator random;
    private TtnUplinks.Device[] all;

    @Override
    public Integer call() {
        Simulators.requireCountRateDuration(spec, "--devices", devices, rate, duration);
        if (!TENANT.matcher(tenant).matches()) {
            throw new ParameterException(spec.commandLine(), "--tenant must be a tenant id such as ttn (lower-case "
                    + "letters, digits and single dashes), not '" + tenant + "'");
        }
        random = Simulators.random(seed);
        all = new TtnUplinks.Device[devices];
        for (int i = 0; i < devices; i++) {
            all[i] = TtnUplinks.device(i, devices, tenant, random);
        }
        return PacedPublisher.simulate("ttn", broker, duration, this);
    }

    @Override
    public String firstLine(BrokerTarget target) {
        return String.format(Locale.ROOT, "Simulating %d LoRaWAN devices (%s): %s uplinks/s to %s, topics "
                + "v3/<application>@%s/devices/<device>/up; %s", devices, counts(all), number(rate), target.describe(),
                tenant, Simulators.runTime(duration, Simulators::number));
    }

    /** The devices in turn at a fixed total rate; the tag is the kind. */
    @Override
    public PacedPublisher.Pacer pacer() {
        return PacedPublisher.Pacer.atRate(rate, k -> {
            TtnUplinks.Device device = all[(int) (k % all.length)];
            byte[] payload = TtnUplinks.nextUplink(device, Instant.now(), random).getBytes(StandardCharsets.UTF_8);
            return new PacedPublisher.Outgoing(device.topic, payload, device.kind.name());
        });
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

    @Override
    public String summary(PacedPublisher.Result result) {
        return result.summary(String.format(Locale.ROOT, "Sent %d uplinks from %d devices in %.1f s (%s/s): %d sound, "
                + "%d people, %d air", result.sent(), devices, result.seconds(), number(result.rate()),
                result.tagged(TtnUplinks.Kind.SOUND.name()), result.tagged(TtnUplinks.Kind.PEOPLE.name()),
                result.tagged(TtnUplinks.Kind.AIR.name())), "uplinks");
    }
}
