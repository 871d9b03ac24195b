package nl.lantaarn.bench;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The things {@code api-read} loads: the city mix of the JMH and search benchmarks (a third each sound sensors, lamp
 * posts and crowd counters, spread over about 10 × 10 km of Eindhoven, in 40 zones {@code wijk-00}..{@code wijk-39},
 * 4 vendors), as the Ditto JSON of a whole thing for {@code PUT /api/v1/things/{thingId}}. Thing {@code i} depends only
 * on the seed and {@code i}, so loaders may create the things in any order and from several threads.
 */
final class CityMix {

    static final int ZONES = 40;
    static final double MIN_LAT = 51.40;
    static final double LAT_SPAN = 0.09;
    static final double MIN_LON = 5.40;
    static final double LON_SPAN = 0.14;
    private static final List<String> VENDORS = List.of("acme", "lumen", "sonix", "countr");

    private CityMix() {
    }

    /** The id of thing {@code i}; its kind follows {@code i % 3}. */
    static String id(int i) {
        return switch (i % 3) {
            case 0 -> String.format(Locale.ROOT, "nl.eindhoven.safety:noise-%06d", i);
            case 1 -> String.format(Locale.ROOT, "nl.eindhoven.lighting:lamppost-%06d", i);
            default -> String.format(Locale.ROOT, "nl.eindhoven.crowd:counter-%06d", i);
        };
    }

    static String zone(int index) {
        return String.format(Locale.ROOT, "wijk-%02d", index);
    }

    /** Thing {@code i} of the mix made with {@code seed}: its Ditto JSON without the thing id (the path has it). */
    static String json(long seed, int i) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + i);
        double lat = MIN_LAT + random.nextDouble() * LAT_SPAN;
        double lon = MIN_LON + random.nextDouble() * LON_SPAN;
        String zone = zone(random.nextInt(ZONES));
        String vendor = VENDORS.get(random.nextInt(VENDORS.size()));
        return switch (i % 3) {
            case 0 -> String.format(Locale.ROOT, "{\"policyId\":\"nl.eindhoven.safety:default\","
                    + "\"attributes\":{\"location\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]},\"zone\":\"%s\","
                    + "\"vendor\":\"%s\",\"adapter\":\"demo-noise\"},"
                    + "\"features\":{\"noise\":{"
                    + "\"definition\":[\"org.fiware.smartdatamodels:NoiseLevelObserved:1.0.0\"],"
                    + "\"properties\":{\"laeq\":%.1f,\"lamax\":%.1f,\"measuredAt\":\"2026-11-23T21:%02d:%02dZ\"}}}}",
                    lon, lat, zone, vendor, 35 + random.nextDouble() * 55, 50 + random.nextDouble() * 50,
                    random.nextInt(60), random.nextInt(60));
            case 1 -> String.format(Locale.ROOT, "{\"policyId\":\"nl.eindhoven.lighting:default\","
                    + "\"attributes\":{\"location\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]},\"zone\":\"%s\","
                    + "\"vendor\":\"%s\"},"
                    + "\"features\":{\"light\":{\"properties\":{\"on\":%s,\"dimLevel\":%d}},"
                    + "\"noise\":{\"properties\":{\"laeq\":%.1f}}}}",
                    lon, lat, zone, vendor, random.nextBoolean(), random.nextInt(101), 35 + random.nextDouble() * 55);
            default -> String.format(Locale.ROOT, "{\"policyId\":\"nl.eindhoven.crowd:default\","
                    + "\"attributes\":{\"location\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]},\"zone\":\"%s\","
                    + "\"vendor\":\"%s\"},"
                    + "\"features\":{\"crowd\":{\"properties\":{\"peopleCount\":%d,\"congested\":%s}}}}",
                    lon, lat, zone, vendor, random.nextInt(500), random.nextBoolean());
        };
    }
}
