package nl.lantaarn.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Simulated sound sensors along Stratumseind, Eindhoven, and their readings as the JSON the demo noise adapter reads:
 * {@code {"id":"n-7","laeq":72.4,"measuredAt":"2026-11-23T21:14:05Z","lat":51.44,"lon":5.48}}.
 */
final class NoiseReadings {

    /** Lowest and highest simulated level in dB(A); the hub's example route alerts above 70. */
    static final double MIN_LAEQ = 45.0;
    static final double MAX_LAEQ = 85.0;
    static final String TOPIC_PREFIX = "sim/noise/";

    // the street runs about 350 m from its north-west end to its south-east end
    private static final double START_LAT = 51.44055;
    private static final double START_LON = 5.47740;
    private static final double END_LAT = 51.43790;
    private static final double END_LON = 5.48135;
    /** About 8 m: sensors alternate between the two sides of the street. */
    private static final double SIDE_OFFSET = 0.00005;

    /** One simulated sensor: its id, its MQTT topic and where it hangs. */
    record Sensor(String id, String topic, double lat, double lon) {
    }

    private NoiseReadings() {
        throw new AssertionError("no instances");
    }

    /** Sensor {@code index} (0-based) of {@code count}, with id {@code n-<index+1>}, spread evenly along the street. */
    static Sensor sensor(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("sensor " + index + " of " + count);
        }
        double along = (index + 0.5) / count;
        double side = index % 2 == 0 ? SIDE_OFFSET : -SIDE_OFFSET;
        double lat = START_LAT + (END_LAT - START_LAT) * along + side;
        double lon = START_LON + (END_LON - START_LON) * along + side;
        String id = "n-" + (index + 1);
        return new Sensor(id, TOPIC_PREFIX + id, round(lat, 6), round(lon, 6));
    }

    /** A level uniformly between {@link #MIN_LAEQ} and {@link #MAX_LAEQ}, to one decimal. */
    static double nextLaeq(RandomGenerator random) {
        return round(random.nextDouble(MIN_LAEQ, MAX_LAEQ), 1);
    }

    /** The reading as JSON; {@code measuredAt} is UTC, ISO-8601, to the second. */
    static String payload(Sensor sensor, double laeq, Instant measuredAt) {
        return new StringBuilder(96)
                .append("{\"id\":").append(quote(sensor.id()))
                .append(",\"laeq\":").append(String.format(Locale.ROOT, "%.1f", laeq))
                .append(",\"measuredAt\":\"").append(measuredAt.truncatedTo(ChronoUnit.SECONDS)).append('"')
                .append(",\"lat\":").append(String.format(Locale.ROOT, "%.6f", sensor.lat()))
                .append(",\"lon\":").append(String.format(Locale.ROOT, "%.6f", sensor.lon()))
                .append('}').toString();
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
