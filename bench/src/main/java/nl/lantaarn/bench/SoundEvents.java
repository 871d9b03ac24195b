package nl.lantaarn.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Simulated acoustic event sensors along Stratumseind, Eindhoven, and their detections as the JSON the sound-events
 * adapter reads: {@code {"sensorId":"se-3","eventType":"aggression","confidence":0.87,"peakDb":93.1,"count":1,
 * "lat":51.44,"lon":5.48,"detectedAt":"2026-11-23T23:41:07.250Z"}} on {@code sound/se-3/events}. Most of the time
 * nothing happens: detections arrive as a Poisson process at a given rate.
 */
final class SoundEvents {

    static final String TOPIC_PREFIX = "sound/";
    static final String TOPIC_SUFFIX = "/events";

    /** An event type, how often it occurs among detections, its peak level range and most occurrences per event. */
    record Kind(String type, double weight, double minPeakDb, double maxPeakDb, int maxCount) {
    }

    /** Weighted after what nightlife streets report most: shouting and breaking glass, then fireworks; rarely shots. */
    static final List<Kind> KINDS = List.of(
            new Kind("aggression", 0.35, 82, 100, 1),
            new Kind("glassBreaking", 0.30, 88, 105, 1),
            new Kind("fireworks", 0.27, 105, 130, 25),
            new Kind("gunshot", 0.08, 115, 140, 3));

    static final double MIN_CONFIDENCE = 0.55;
    static final double MAX_CONFIDENCE = 0.99;

    // the street runs about 350 m from its north-west end to its south-east end
    private static final double START_LAT = 51.44055;
    private static final double START_LON = 5.47740;
    private static final double END_LAT = 51.43790;
    private static final double END_LON = 5.48135;

    /** One sensor: its id, topic and where it hangs. */
    record Sensor(String id, String topic, double lat, double lon) {
    }

    /** One detection. */
    record Event(String type, double confidence, double peakDb, int count) {
    }

    private SoundEvents() {
        throw new AssertionError("no instances");
    }

    /** Sensor {@code index} (0-based) of {@code count}, id {@code se-<index+1>}, spread evenly along the street. */
    static Sensor sensor(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("sensor " + index + " of " + count);
        }
        double along = (index + 0.5) / count;
        String id = "se-" + (index + 1);
        return new Sensor(id, TOPIC_PREFIX + id + TOPIC_SUFFIX, round(START_LAT + (END_LAT - START_LAT) * along, 6),
                round(START_LON + (END_LON - START_LON) * along, 6));
    }

    /**
     * The wait before the next detection when detections come at {@code ratePerSecond} on average, independently of
     * each other (exponentially distributed gaps).
     */
    static long nextGapNanos(RandomGenerator random, double ratePerSecond) {
        double seconds = -Math.log(1.0 - random.nextDouble()) / ratePerSecond;
        return (long) Math.min(seconds * 1e9, Long.MAX_VALUE / 4.0);
    }

    /** A random detection: type by weight, confidence and peak level within the type's ranges. */
    static Event nextEvent(RandomGenerator random) {
        double pick = random.nextDouble();
        Kind kind = KINDS.get(KINDS.size() - 1);
        double cumulative = 0;
        for (Kind candidate : KINDS) {
            cumulative += candidate.weight();
            if (pick < cumulative) {
                kind = candidate;
                break;
            }
        }
        // most detections are fairly sure; a few are near the sensor's threshold
        double u = random.nextDouble();
        double confidence = MIN_CONFIDENCE + (MAX_CONFIDENCE - MIN_CONFIDENCE) * (1 - u * u);
        double peak = random.nextDouble(kind.minPeakDb(), kind.maxPeakDb());
        int count = kind.maxCount() == 1 ? 1 : 1 + random.nextInt(kind.maxCount());
        return new Event(kind.type(), round(confidence, 2), round(peak, 1), count);
    }

    /** The detection as JSON; {@code detectedAt} is UTC, ISO-8601, to the millisecond. */
    static String payload(Sensor sensor, Event event, Instant detectedAt) {
        return payload(sensor, event, detectedAt.truncatedTo(ChronoUnit.MILLIS).toString());
    }

    /** The detection as JSON with {@code detectedAt} written as given. */
    static String payload(Sensor sensor, Event event, String detectedAt) {
        StringBuilder json = new StringBuilder(192)
                .append("{\"sensorId\":\"").append(sensor.id()).append('"')
                .append(",\"eventType\":\"").append(event.type()).append('"')
                .append(",\"confidence\":");
        Simulators.fixed(json, event.confidence(), 2).append(",\"peakDb\":");
        Simulators.fixed(json, event.peakDb(), 1).append(",\"count\":").append(event.count()).append(",\"lat\":");
        Simulators.fixed(json, sensor.lat(), 6).append(",\"lon\":");
        return Simulators.fixed(json, sensor.lon(), 6)
                .append(",\"detectedAt\":\"").append(detectedAt).append('"')
                .append('}').toString();
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
