package nl.lantaarn.bench;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Simulated people counters in Eindhoven's centre, whose counts follow a daily curve, and their reports as the crowd
 * adapter reads them: its counter JSON on {@code crowd/cc-<i>/counts}, or FIWARE CrowdFlowObserved entities.
 * Counters alternate between the nightlife street Stratumseind (busiest around half past midnight) and the shopping
 * street Demer (busiest in the afternoon).
 */
final class CrowdCounts {

    static final String TOPIC_PREFIX = "crowd/";
    static final String TOPIC_SUFFIX = "/counts";
    static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    static final String[] TECHNOLOGIES = {"camera", "wifi", "radar"};
    /** The crowd adapter's default thresholds of the 1.5 m distancing risk, in persons/m². */
    static final double LOW_RISK_DENSITY = 0.2;
    static final double HIGH_RISK_DENSITY = 0.5;

    /** When a street is busy. */
    enum Profile {
        /** Busiest around 00:30, a smaller rise in the early evening. */
        NIGHTLIFE(0.8, 24.5, 2.2, 19.5, 0.35, 0.02, 51.43925, 5.47935, 51.43790, 5.48135),
        /** Busiest mid-afternoon, quiet at night. */
        SHOPPING(0.35, 14.5, 2.6, 19.0, 0.25, 0.01, 51.43950, 5.47690, 51.43800, 5.47560);

        /** Density at the busiest hour, persons/m². */
        final double peakDensity;
        final double peakHour;
        final double peakWidthHours;
        final double secondHour;
        final double secondHeight;
        final double baseline;
        final double fromLat;
        final double fromLon;
        final double toLat;
        final double toLon;

        Profile(double peakDensity, double peakHour, double peakWidthHours, double secondHour, double secondHeight,
                double baseline, double fromLat, double fromLon, double toLat, double toLon) {
            this.peakDensity = peakDensity;
            this.peakHour = peakHour;
            this.peakWidthHours = peakWidthHours;
            this.secondHour = secondHour;
            this.secondHeight = secondHeight;
            this.baseline = baseline;
            this.fromLat = fromLat;
            this.fromLon = fromLon;
            this.toLat = toLat;
            this.toLon = toLon;
        }

        /** How busy the street is at {@code hour} (0..24, local time), from about 0 to 1 at the busiest hour. */
        double curve(double hour) {
            double value = baseline + bump(hour, peakHour, peakWidthHours)
                    + secondHeight * bump(hour, secondHour, 1.5);
            return Math.min(1.0, value);
        }

        /** People arrive before the busiest hour and leave after it. */
        String direction(double hour) {
            double sinceNoon = (hour - 12 + 24) % 24;
            double peakSinceNoon = (peakHour - 12 + 24) % 24;
            return sinceNoon < peakSinceNoon ? "inbound" : "outbound";
        }

        /** A Gaussian bump around {@code centre}, on a 24-hour circle. */
        private static double bump(double hour, double centre, double width) {
            double distance = Math.abs(hour - centre) % 24;
            distance = Math.min(distance, 24 - distance);
            return Math.exp(-distance * distance / (2 * width * width));
        }
    }

    /** One counter: id, topic, place, technology, counted area and street profile. */
    record Counter(String id, String topic, double lat, double lon, String technology, int areaM2, Profile profile) {
    }

    /** One report: the count, its density and direction at the time it was made. */
    record Report(int count, double density, String direction, String risk) {
    }

    private CrowdCounts() {
        throw new AssertionError("no instances");
    }

    /** Counter {@code index} (0-based) of {@code count}, id {@code cc-<index+1>}: even ones on Stratumseind. */
    static Counter counter(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("counter " + index + " of " + count);
        }
        Profile profile = index % 2 == 0 ? Profile.NIGHTLIFE : Profile.SHOPPING;
        int onStreet = (count + (index % 2 == 0 ? 1 : 0)) / 2;
        double along = (index / 2 + 0.5) / Math.max(1, onStreet);
        String id = "cc-" + (index + 1);
        int area = 200 + 100 * (index % 6);
        return new Counter(id, TOPIC_PREFIX + id + TOPIC_SUFFIX,
                SoundEvents.round(profile.fromLat + (profile.toLat - profile.fromLat) * along, 6),
                SoundEvents.round(profile.fromLon + (profile.toLon - profile.fromLon) * along, 6),
                TECHNOLOGIES[index % TECHNOLOGIES.length], area, profile);
    }

    /** The hour of day (0..24, local time in the Netherlands) of {@code time}. */
    static double hourOfDay(Instant time) {
        ZonedDateTime local = time.atZone(ZONE);
        return local.getHour() + local.getMinute() / 60.0 + local.getSecond() / 3600.0;
    }

    /** What the counter sees at {@code hour}: the daily curve with up to 10 % noise either way. */
    static Report report(Counter counter, double hour, RandomGenerator random) {
        double expected = counter.areaM2() * counter.profile().peakDensity * counter.profile().curve(hour);
        int count = (int) Math.max(0, Math.round(expected * random.nextDouble(0.9, 1.1)));
        double density = SoundEvents.round((double) count / counter.areaM2(), 3);
        String risk = density >= HIGH_RISK_DENSITY ? "high" : density >= LOW_RISK_DENSITY ? "low" : "safe";
        return new Report(count, density, counter.profile().direction(hour), risk);
    }

    /** The report as the crowd adapter's counter JSON; {@code observedAt} is UTC, to the second. */
    static String payload(Counter counter, Report report, Instant observedAt) {
        return payload(counter, report, observedAt.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** The report as the crowd adapter's counter JSON with {@code observedAt} written as given. */
    static String payload(Counter counter, Report report, String observedAt) {
        StringBuilder json = new StringBuilder(224)
                .append("{\"sensorId\":\"").append(counter.id()).append('"')
                .append(",\"technology\":\"").append(counter.technology()).append('"')
                .append(",\"count\":").append(report.count())
                .append(",\"areaM2\":").append(counter.areaM2())
                .append(",\"direction\":\"").append(report.direction()).append('"')
                .append(",\"lat\":");
        Simulators.fixed(json, counter.lat(), 6).append(",\"lon\":");
        return Simulators.fixed(json, counter.lon(), 6)
                .append(",\"observedAt\":\"").append(observedAt).append('"')
                .append('}').toString();
    }

    /**
     * The report as a FIWARE CrowdFlowObserved entity in NGSI-v2 key-values form, over the period
     * {@code from}..{@code to}, with the non-standard {@code density} the crowd adapter reads.
     */
    static String fiwarePayload(Counter counter, Report report, Instant from, Instant to) {
        String period = from.truncatedTo(ChronoUnit.SECONDS) + "/" + to.truncatedTo(ChronoUnit.SECONDS);
        return new StringBuilder(384)
                .append("{\"id\":\"urn:ngsi-ld:CrowdFlowObserved:").append(counter.id()).append('"')
                .append(",\"type\":\"CrowdFlowObserved\"")
                .append(",\"dateObserved\":\"").append(period).append('"')
                .append(",\"dateObservedFrom\":\"").append(from.truncatedTo(ChronoUnit.SECONDS)).append('"')
                .append(",\"dateObservedTo\":\"").append(to.truncatedTo(ChronoUnit.SECONDS)).append('"')
                .append(",\"peopleCount\":").append(report.count())
                .append(",\"density\":").append(String.format(Locale.ROOT, "%.3f", report.density()))
                .append(",\"direction\":\"").append(report.direction()).append('"')
                .append(",\"location\":{\"type\":\"Point\",\"coordinates\":[")
                .append(String.format(Locale.ROOT, "%.6f,%.6f", counter.lon(), counter.lat())).append("]}")
                .append('}').toString();
    }
}
