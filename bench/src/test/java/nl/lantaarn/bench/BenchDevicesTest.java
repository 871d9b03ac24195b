package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;

/** The devices and payloads of the compare benchmark against its message contract. */
class BenchDevicesTest {

    /** A run's base (a whole second) and message 5 of device 3: T = base + 5 ms. */
    private static final long BASE = Instant.parse("2026-11-23T21:14:05Z").toEpochMilli();

    @Test
    void idsKindsAndTopicsFollowTheContract() {
        BenchDevices.Device[] devices = BenchDevices.devices(10, new SplittableRandom(1));

        assertThat(Arrays.stream(devices).map(BenchDevices.Device::id)).containsExactly("bench-000000",
                "bench-000001", "bench-000002", "bench-000003", "bench-000004", "bench-000005", "bench-000006",
                "bench-000007", "bench-000008", "bench-000009");
        assertThat(Arrays.stream(devices).map(BenchDevices.Device::kind)).containsExactly(BenchDevices.Kind.TTN,
                BenchDevices.Kind.TTN, BenchDevices.Kind.TTN, BenchDevices.Kind.SOUND, BenchDevices.Kind.CROWD,
                BenchDevices.Kind.TTN, BenchDevices.Kind.TTN, BenchDevices.Kind.TTN, BenchDevices.Kind.SOUND,
                BenchDevices.Kind.CROWD);
        assertThat(devices[0].topic()).isEqualTo("v3/eindhoven-sound@ttn/devices/bench-000000/up");
        assertThat(devices[3].topic()).isEqualTo("sound/bench-000003/events");
        assertThat(devices[4].topic()).isEqualTo("crowd/bench-000004/counts");
        assertThat(devices).allSatisfy(d -> {
            assertThat(d.lat()).isBetween(51.40, 51.47);
            assertThat(d.lon()).isBetween(5.42, 5.52);
        });
        assertThat(BenchDevices.id(999_999)).isEqualTo("bench-999999");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchDevices.id(1_000_000));
        // the same seed, the same places
        assertThat(BenchDevices.devices(10, new SplittableRandom(1))[7].lat()).isEqualTo(devices[7].lat());
    }

    @Test
    void messagesTakeTurnsOverTheDevices() {
        assertThat(BenchDevices.deviceOf(0, 10)).isZero();
        assertThat(BenchDevices.sequenceOf(0, 10)).isEqualTo(1);
        assertThat(BenchDevices.deviceOf(23, 10)).isEqualTo(3);
        assertThat(BenchDevices.sequenceOf(23, 10)).isEqualTo(3);
        assertThat(BenchDevices.message(3, 3, 10)).isEqualTo(23);
        assertThat(BenchDevices.message(3, 0, 10)).isEqualTo(-1);
    }

    @Test
    void keyTimeAlwaysHasThreeFractionDigits() {
        assertThat(BenchDevices.keyTime(BASE)).isEqualTo("2026-11-23T21:14:05.000Z");
        assertThat(BenchDevices.keyTime(BASE + 5)).isEqualTo("2026-11-23T21:14:05.005Z");
        assertThat(BenchDevices.keyTime(BASE + 1230)).isEqualTo("2026-11-23T21:14:06.230Z");
        assertThat(BenchDevices.keyTime(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli() - 1))
                .isEqualTo("2026-12-31T23:59:59.999Z");
    }

    @Test
    void ttnUplinkIsASoundMeterUplinkWithTheKeyTimeAndSequence() {
        BenchDevices.Device device = BenchDevices.devices(1, new SplittableRandom(2))[0];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 50; i++) {
            JsonObject up = json(BenchDevices.payload(device, 5, BASE + 5, random));

            assertThat(up.names()).containsExactly("end_device_ids", "correlation_ids", "received_at",
                    "uplink_message", "simulated");
            JsonObject ids = up.get("end_device_ids").asObject();
            assertThat(ids.getString("device_id", null)).isEqualTo("bench-000000");
            assertThat(ids.get("application_ids").asObject().getString("application_id", null))
                    .isEqualTo("eindhoven-sound");
            assertThat(up.getString("received_at", null)).isEqualTo("2026-11-23T21:14:05.005Z");
            JsonObject message = up.get("uplink_message").asObject();
            assertThat(message.getString("received_at", null)).isEqualTo("2026-11-23T21:14:05.005Z");
            // the key time, so that the counter keeps growing from one run to the next
            assertThat(message.getLong("f_cnt", 0)).isEqualTo((BASE + 5) & 0xFFFF_FFFFL);
            JsonObject decoded = message.get("decoded_payload").asObject();
            int soundAvg = decoded.getInt("soundAvg", 0);
            assertThat(soundAvg).isBetween(71, 85);
            assertThat(decoded.getInt("soundPeak", 0)).isGreaterThan(soundAvg);
        }
        // the whole second is written with its fraction too
        assertThat(json(BenchDevices.payload(device, 1000, BASE + 1000, random)).getString("received_at", null))
                .isEqualTo("2026-11-23T21:14:06.000Z");
    }

    @Test
    void soundEventIsAnAggressionAboveTheThreshold() {
        BenchDevices.Device device = BenchDevices.devices(4, new SplittableRandom(2))[3];
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 50; i++) {
            JsonObject event = json(BenchDevices.payload(device, 1000, BASE + 1000, random));

            assertThat(event.names()).containsExactly("sensorId", "eventType", "confidence", "peakDb", "count", "lat",
                    "lon", "detectedAt");
            assertThat(event.getString("sensorId", null)).isEqualTo("bench-000003");
            assertThat(event.getString("eventType", null)).isEqualTo("aggression");
            assertThat(event.getDouble("confidence", 0)).isBetween(0.80, 0.99);
            assertThat(event.getDouble("peakDb", 0)).isBetween(85.0, 100.0);
            assertThat(event.getInt("count", 0)).isEqualTo(1);
            assertThat(event.getDouble("lat", 0)).isEqualTo(device.lat());
            assertThat(event.getDouble("lon", 0)).isEqualTo(device.lon());
            assertThat(event.getString("detectedAt", null)).isEqualTo("2026-11-23T21:14:06.000Z");
        }
    }

    @Test
    void crowdCountIsTheCounterFormatAboveTheThreshold() {
        BenchDevices.Device device = BenchDevices.devices(5, new SplittableRandom(2))[4];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 50; i++) {
            JsonObject count = json(BenchDevices.payload(device, 7, BASE + 7, random));

            assertThat(count.names()).containsExactly("sensorId", "technology", "count", "areaM2", "direction", "lat",
                    "lon", "observedAt");
            assertThat(count.getString("sensorId", null)).isEqualTo("bench-000004");
            assertThat(count.getString("technology", null)).isEqualTo("camera");
            assertThat(count.getInt("count", 0)).isBetween(201, 400);
            assertThat(count.getInt("areaM2", 0)).isEqualTo(400);
            assertThat(count.getString("direction", null)).isEqualTo("inbound");
            assertThat(count.getDouble("lat", 0)).isEqualTo(device.lat());
            assertThat(count.getString("observedAt", null)).isEqualTo("2026-11-23T21:14:05.007Z");
        }
    }

    private static JsonObject json(byte[] payload) {
        return Json.parse(new String(payload, StandardCharsets.UTF_8)).asObject();
    }
}
