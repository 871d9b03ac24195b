package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;

class CrowdCountsTest {

    private static final CrowdCounts.Counter NIGHT = CrowdCounts.counter(0, 12);
    private static final CrowdCounts.Counter SHOP = CrowdCounts.counter(1, 12);

    @Test
    void payloadHasTheFieldsTheAdapterReads() {
        String payload = CrowdCounts.payload(NIGHT, new CrowdCounts.Report(142, 0.71, "inbound", "high"),
                Instant.parse("2026-11-23T21:15:00.734Z"));

        JsonObject json = Json.parse(payload).asObject();
        assertThat(json.names()).containsExactly("sensorId", "technology", "count", "areaM2", "direction", "lat",
                "lon", "observedAt");
        assertThat(json.getString("sensorId", null)).isEqualTo("cc-1");
        assertThat(json.getString("technology", null)).isEqualTo("camera");
        assertThat(json.getInt("count", -1)).isEqualTo(142);
        assertThat(json.getInt("areaM2", -1)).isEqualTo(NIGHT.areaM2());
        assertThat(json.getString("direction", null)).isEqualTo("inbound");
        assertThat(json.getString("observedAt", null)).isEqualTo("2026-11-23T21:15:00Z");
        assertThat(NIGHT.topic()).isEqualTo("crowd/cc-1/counts");
    }

    @Test
    void fiwarePayloadIsACrowdFlowObservedEntity() {
        String payload = CrowdCounts.fiwarePayload(SHOP, new CrowdCounts.Report(57, 0.19, "outbound", "safe"),
                Instant.parse("2026-11-23T21:14:54Z"), Instant.parse("2026-11-23T21:15:00Z"));

        JsonObject json = Json.parse(payload).asObject();
        assertThat(json.getString("id", null)).isEqualTo("urn:ngsi-ld:CrowdFlowObserved:cc-2");
        assertThat(json.getString("type", null)).isEqualTo("CrowdFlowObserved");
        assertThat(json.getString("dateObserved", null)).isEqualTo("2026-11-23T21:14:54Z/2026-11-23T21:15:00Z");
        assertThat(json.getString("dateObservedTo", null)).isEqualTo("2026-11-23T21:15:00Z");
        assertThat(json.getInt("peopleCount", -1)).isEqualTo(57);
        assertThat(json.getDouble("density", -1)).isEqualTo(0.19);
        JsonObject location = json.get("location").asObject();
        assertThat(location.getString("type", null)).isEqualTo("Point");
        assertThat(location.get("coordinates").asArray().get(0).asDouble()).isEqualTo(SHOP.lon());
        assertThat(location.get("coordinates").asArray().get(1).asDouble()).isEqualTo(SHOP.lat());
    }

    @Test
    void countersAlternateBetweenTheNightlifeAndTheShoppingStreet() {
        List<CrowdCounts.Counter> counters = IntStream.range(0, 12).mapToObj(i -> CrowdCounts.counter(i, 12)).toList();

        assertThat(counters).extracting(CrowdCounts.Counter::profile).containsSequence(
                CrowdCounts.Profile.NIGHTLIFE, CrowdCounts.Profile.SHOPPING, CrowdCounts.Profile.NIGHTLIFE);
        assertThat(counters).extracting(CrowdCounts.Counter::technology).contains("camera", "wifi", "radar");
        assertThat(counters).allSatisfy(c -> {
            assertThat(c.lat()).isBetween(51.4375, 51.4400);
            assertThat(c.lon()).isBetween(5.4750, 5.4820);
            assertThat(c.areaM2()).isBetween(200, 700);
        });
        assertThat(counters).extracting(c -> c.lat() + "," + c.lon()).doesNotHaveDuplicates();
        assertThat(CrowdCounts.counter(0, 1).profile()).isEqualTo(CrowdCounts.Profile.NIGHTLIFE);
        assertThatIllegalArgumentException().isThrownBy(() -> CrowdCounts.counter(12, 12));
    }

    @Test
    void theNightlifeStreetPeaksAfterMidnightAndTheShoppingStreetInTheAfternoon() {
        CrowdCounts.Profile night = CrowdCounts.Profile.NIGHTLIFE;
        CrowdCounts.Profile shop = CrowdCounts.Profile.SHOPPING;

        assertThat(night.curve(0.5)).isGreaterThan(0.95);
        assertThat(night.curve(0.5)).isGreaterThan(night.curve(20)).isGreaterThan(night.curve(9));
        assertThat(night.curve(9)).isLessThan(0.05);
        assertThat(shop.curve(14.5)).isGreaterThan(0.95);
        assertThat(shop.curve(14.5)).isGreaterThan(shop.curve(11)).isGreaterThan(shop.curve(3));
        assertThat(shop.curve(3)).isLessThan(0.05);
        IntStream.range(0, 240).mapToDouble(i -> i / 10.0).forEach(hour -> {
            assertThat(night.curve(hour)).isBetween(0.0, 1.0);
            assertThat(shop.curve(hour)).isBetween(0.0, 1.0);
        });
        assertThat(night.direction(22)).isEqualTo("inbound");
        assertThat(night.direction(2)).isEqualTo("outbound");
        assertThat(shop.direction(13)).isEqualTo("inbound");
        assertThat(shop.direction(17)).isEqualTo("outbound");
    }

    @Test
    void reportsFollowTheCurveWithLittleNoiseAndCarryTheRisk() {
        SplittableRandom random = new SplittableRandom(5);

        CrowdCounts.Report peak = CrowdCounts.report(NIGHT, 0.5, random);
        double expected = NIGHT.areaM2() * CrowdCounts.Profile.NIGHTLIFE.peakDensity;
        assertThat((double) peak.count()).isBetween(expected * 0.85, expected * 1.15);
        assertThat(peak.density()).isEqualTo(Math.round(1000.0 * peak.count() / NIGHT.areaM2()) / 1000.0);
        assertThat(peak.risk()).isEqualTo("high");
        assertThat(CrowdCounts.report(NIGHT, 9, random).risk()).isEqualTo("safe");
        assertThat(CrowdCounts.report(SHOP, 14.5, random).risk()).isEqualTo("low");
        assertThat(IntStream.range(0, 1000).map(i -> CrowdCounts.report(NIGHT, 0.5, random).count()).distinct()
                .count()).isGreaterThan(10);
    }

    @Test
    void theHourOfDayIsDutchLocalTime() {
        assertThat(CrowdCounts.hourOfDay(Instant.parse("2026-11-23T23:30:00Z"))).isEqualTo(0.5);
        assertThat(CrowdCounts.hourOfDay(Instant.parse("2026-07-01T12:15:00Z"))).isEqualTo(14.25);
    }
}
