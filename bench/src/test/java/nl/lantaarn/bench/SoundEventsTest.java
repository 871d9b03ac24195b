package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;

class SoundEventsTest {

    @Test
    void payloadHasTheFieldsTheAdapterReads() {
        SoundEvents.Sensor sensor = SoundEvents.sensor(2, 20);

        String payload = SoundEvents.payload(sensor, new SoundEvents.Event("glassBreaking", 0.876, 96.25, 1),
                Instant.parse("2026-11-23T23:41:07.250812Z"));

        JsonObject json = Json.parse(payload).asObject();
        assertThat(json.names()).containsExactly("sensorId", "eventType", "confidence", "peakDb", "count", "lat",
                "lon", "detectedAt");
        assertThat(json.getString("sensorId", null)).isEqualTo("se-3");
        assertThat(json.getString("eventType", null)).isEqualTo("glassBreaking");
        assertThat(json.getDouble("confidence", 0)).isEqualTo(0.88);
        assertThat(json.getDouble("peakDb", 0)).isEqualTo(96.3);
        assertThat(json.getInt("count", 0)).isEqualTo(1);
        assertThat(json.getDouble("lat", 0)).isEqualTo(sensor.lat());
        assertThat(json.getString("detectedAt", null)).isEqualTo("2026-11-23T23:41:07.250Z");
        assertThat(sensor.topic()).isEqualTo("sound/se-3/events");
    }

    @Test
    void sensorsStandAlongStratumseind() {
        List<SoundEvents.Sensor> sensors = IntStream.range(0, 20).mapToObj(i -> SoundEvents.sensor(i, 20)).toList();

        assertThat(sensors).allSatisfy(sensor -> {
            assertThat(sensor.lat()).isBetween(51.4378, 51.4406);
            assertThat(sensor.lon()).isBetween(5.4773, 5.4814);
        });
        assertThat(sensors).extracting(SoundEvents.Sensor::id).doesNotHaveDuplicates().startsWith("se-1")
                .endsWith("se-20");
        assertThatIllegalArgumentException().isThrownBy(() -> SoundEvents.sensor(20, 20));
    }

    @Test
    void eventsStayWithinTheAdaptersRangesAndFollowTheWeights() {
        SplittableRandom random = new SplittableRandom(11);
        List<SoundEvents.Event> events = IntStream.range(0, 20_000).mapToObj(i -> SoundEvents.nextEvent(random))
                .toList();

        assertThat(events).allSatisfy(event -> {
            assertThat(event.type()).isIn("aggression", "glassBreaking", "fireworks", "gunshot");
            assertThat(event.confidence()).isBetween(SoundEvents.MIN_CONFIDENCE, SoundEvents.MAX_CONFIDENCE);
            assertThat(event.peakDb()).isBetween(82.0, 140.0);
            assertThat(event.count()).isBetween(1, 25);
        });
        Map<String, Long> perType = events.stream().collect(Collectors.groupingBy(SoundEvents.Event::type,
                Collectors.counting()));
        assertThat(perType.get("aggression")).isBetween(6_500L, 7_500L);
        assertThat(perType.get("gunshot")).isBetween(1_300L, 1_900L);
        assertThat(events).filteredOn(e -> e.type().equals("gunshot")).allSatisfy(e -> {
            assertThat(e.peakDb()).isGreaterThanOrEqualTo(115.0);
            assertThat(e.count()).isBetween(1, 3);
        });
        assertThat(events).filteredOn(e -> e.type().equals("aggression"))
                .extracting(SoundEvents.Event::count).containsOnly(1);
        assertThat(events).anySatisfy(e -> assertThat(e.count()).isGreaterThan(10));
    }

    @Test
    void gapsAreRandomWithTheMeanOfTheRate() {
        SplittableRandom random = new SplittableRandom(3);
        long[] gaps = LongStream.range(0, 50_000).map(i -> SoundEvents.nextGapNanos(random, 0.2)).toArray();

        double meanSeconds = LongStream.of(gaps).average().orElseThrow() / 1e9;
        assertThat(meanSeconds).isBetween(4.8, 5.2);
        assertThat(LongStream.of(gaps).filter(gap -> gap < 1_000_000_000L).count()).isBetween(8_000L, 10_000L);
        assertThat(LongStream.of(gaps).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(LongStream.of(gaps).boxed().collect(Collectors.toMap(Function.identity(), g -> 1, Integer::sum)))
                .hasSizeGreaterThan(49_000);
    }
}
