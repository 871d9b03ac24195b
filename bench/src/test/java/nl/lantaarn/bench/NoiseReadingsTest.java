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

class NoiseReadingsTest {

    @Test
    void payloadIsJsonWithTheFieldsTheAdapterReads() {
        NoiseReadings.Sensor sensor = NoiseReadings.sensor(6, 50);

        String payload = NoiseReadings.payload(sensor, 72.4, Instant.parse("2026-11-23T21:14:05.678Z"));

        JsonObject json = Json.parse(payload).asObject();
        assertThat(json.names()).containsExactly("id", "laeq", "measuredAt", "lat", "lon");
        assertThat(json.getString("id", null)).isEqualTo("n-7");
        assertThat(json.get("laeq").isNumber()).isTrue();
        assertThat(json.getDouble("laeq", 0)).isEqualTo(72.4);
        assertThat(json.getString("measuredAt", null)).isEqualTo("2026-11-23T21:14:05Z");
        assertThat(json.getDouble("lat", 0)).isEqualTo(sensor.lat());
        assertThat(json.getDouble("lon", 0)).isEqualTo(sensor.lon());
    }

    @Test
    void sensorsHaveIdsTopicsAndPositionsAlongStratumseind() {
        NoiseReadings.Sensor first = NoiseReadings.sensor(0, 50);
        NoiseReadings.Sensor last = NoiseReadings.sensor(49, 50);

        assertThat(first.id()).isEqualTo("n-1");
        assertThat(first.topic()).isEqualTo("sim/noise/n-1");
        assertThat(last.topic()).isEqualTo("sim/noise/n-50");
        IntStream.range(0, 50).mapToObj(i -> NoiseReadings.sensor(i, 50)).forEach(sensor -> {
            assertThat(sensor.lat()).isBetween(51.4375, 51.4410);
            assertThat(sensor.lon()).isBetween(5.4770, 5.4818);
        });
        assertThat(IntStream.range(0, 50).mapToObj(i -> NoiseReadings.sensor(i, 50)).distinct()).hasSize(50);
        assertThatIllegalArgumentException().isThrownBy(() -> NoiseReadings.sensor(50, 50));
    }

    @Test
    void levelsStayBetween45And85WithOneDecimalAndSomeAreLoud() {
        SplittableRandom random = new SplittableRandom(7);
        List<Double> levels = IntStream.range(0, 1000).mapToObj(i -> NoiseReadings.nextLaeq(random)).toList();

        assertThat(levels).allSatisfy(laeq -> {
            assertThat(laeq).isBetween(NoiseReadings.MIN_LAEQ, NoiseReadings.MAX_LAEQ);
            assertThat(Math.round(laeq * 10) / 10.0).isEqualTo(laeq);
        });
        assertThat(levels).anySatisfy(laeq -> assertThat(laeq).isGreaterThan(70.0));
        assertThat(levels).anySatisfy(laeq -> assertThat(laeq).isLessThanOrEqualTo(70.0));
    }
}
