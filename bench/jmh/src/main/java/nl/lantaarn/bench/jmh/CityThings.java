package nl.lantaarn.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinService;

/**
 * The things every measurement uses: a city mix of sound sensors, lamp posts and crowd counters (a third each) spread
 * over about 10 × 10 km of Eindhoven, in 40 zones, 4 vendors; the same mix as the search module's benchmark.
 */
public final class CityThings {

    private static final List<String> VENDORS = List.of("acme", "lumen", "sonix", "countr");

    private CityThings() {
    }

    /** The id of thing {@code i}; its kind follows {@code i % 3}. */
    public static ThingId id(int i) {
        return switch (i % 3) {
            case 0 -> ThingId.of("nl.eindhoven.safety", String.format(Locale.ROOT, "noise-%06d", i));
            case 1 -> ThingId.of("nl.eindhoven.lighting", String.format(Locale.ROOT, "lamppost-%06d", i));
            default -> ThingId.of("nl.eindhoven.crowd", String.format(Locale.ROOT, "counter-%06d", i));
        };
    }

    /** Thing {@code i} as the merge patch an adapter would apply to create it. */
    public static JsonObject patch(int i, Random random) {
        double lat = 51.40 + random.nextDouble() * 0.09;
        double lon = 5.40 + random.nextDouble() * 0.14;
        String zone = String.format(Locale.ROOT, "wijk-%02d", random.nextInt(40));
        String vendor = VENDORS.get(random.nextInt(4));
        String json = switch (i % 3) {
            case 0 -> String.format(Locale.ROOT, """
                    {"policyId":"nl.eindhoven.safety:default",
                     "attributes":{"location":{"type":"Point","coordinates":[%.6f,%.6f]},"zone":"%s","vendor":"%s",
                       "adapter":"demo-noise"},
                     "features":{"noise":{"definition":["org.fiware.smartdatamodels:NoiseLevelObserved:1.0.0"],
                       "properties":{"laeq":%.1f,"lamax":%.1f,"measuredAt":"2026-11-23T21:%02d:%02dZ"}}}}""",
                    lon, lat, zone, vendor, 35 + random.nextDouble() * 55, 50 + random.nextDouble() * 50,
                    random.nextInt(60), random.nextInt(60));
            case 1 -> String.format(Locale.ROOT, """
                    {"policyId":"nl.eindhoven.lighting:default",
                     "attributes":{"location":{"type":"Point","coordinates":[%.6f,%.6f]},"zone":"%s","vendor":"%s"},
                     "features":{"light":{"properties":{"on":%s,"dimLevel":%d}},
                       "noise":{"properties":{"laeq":%.1f}}}}""",
                    lon, lat, zone, vendor, random.nextBoolean(), random.nextInt(101), 35 + random.nextDouble() * 55);
            default -> String.format(Locale.ROOT, """
                    {"policyId":"nl.eindhoven.crowd:default",
                     "attributes":{"location":{"type":"Point","coordinates":[%.6f,%.6f]},"zone":"%s","vendor":"%s"},
                     "features":{"crowd":{"properties":{"peopleCount":%d,"congested":%s}}}}""",
                    lon, lat, zone, vendor, random.nextInt(500), random.nextBoolean());
        };
        return JsonFactory.newObject(json);
    }

    /** Creates things {@code 0 .. count-1} through the twin service (each an acknowledged write). */
    public static void load(TwinService twin, int count, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            twin.apply(ThingUpdate.merge(id(i), patch(i, random)));
        }
    }

    /** Deletes a temporary folder and everything in it. */
    public static void delete(Path folder) throws java.io.IOException {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }
}
