package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;

class TtnUplinksTest {

    private static final Instant NOW = Instant.parse("2026-11-23T21:14:05.678123Z");

    private static JsonObject uplink(TtnUplinks.Device device, SplittableRandom random) {
        return Json.parse(TtnUplinks.nextUplink(device, NOW, random)).asObject();
    }

    @Test
    void devicesTakeTurnsOverTheThreeApplications() {
        SplittableRandom random = new SplittableRandom(1);
        List<TtnUplinks.Device> devices = IntStream.range(0, 7)
                .mapToObj(i -> TtnUplinks.device(i, 7, "ttn", random)).toList();

        assertThat(devices).extracting(d -> d.kind).containsExactly(TtnUplinks.Kind.SOUND, TtnUplinks.Kind.PEOPLE,
                TtnUplinks.Kind.AIR, TtnUplinks.Kind.SOUND, TtnUplinks.Kind.PEOPLE, TtnUplinks.Kind.AIR,
                TtnUplinks.Kind.SOUND);
        assertThat(devices.get(3).deviceId).isEqualTo("ers-sound-2");
        assertThat(devices.get(3).topic).isEqualTo("v3/eindhoven-sound@ttn/devices/ers-sound-2/up");
        assertThat(devices.get(1).topic).isEqualTo("v3/eindhoven-people@ttn/devices/vs133-1/up");
        assertThat(devices.get(2).topic).isEqualTo("v3/eindhoven-air@ttn/devices/dl-pm-1/up");
        assertThat(devices).extracting(d -> d.devEui).doesNotHaveDuplicates()
                .allSatisfy(eui -> assertThat(eui).matches("[0-9A-F]{16}"));
        assertThat(devices).allSatisfy(d -> {
            assertThat(d.lat).isBetween(51.4375, 51.4410);
            assertThat(d.lon).isBetween(5.4770, 5.4818);
        });
        assertThatIllegalArgumentException().isThrownBy(() -> TtnUplinks.device(7, 7, "ttn", random));
    }

    @Test
    void uplinkHasTheShapeOfTheThingsStackV3() {
        SplittableRandom random = new SplittableRandom(2);
        TtnUplinks.Device device = TtnUplinks.device(0, 3, "ttn", random);

        JsonObject up = uplink(device, random);

        assertThat(up.names()).containsExactly("end_device_ids", "correlation_ids", "received_at", "uplink_message",
                "simulated");
        JsonObject ids = up.get("end_device_ids").asObject();
        assertThat(ids.getString("device_id", null)).isEqualTo("ers-sound-1");
        assertThat(ids.get("application_ids").asObject().getString("application_id", null))
                .isEqualTo("eindhoven-sound");
        assertThat(ids.getString("dev_eui", null)).isEqualTo(device.devEui);
        assertThat(up.getString("received_at", null)).isEqualTo("2026-11-23T21:14:05.678123Z");
        assertThat(up.getBoolean("simulated", false)).isTrue();
        assertThat(up.get("correlation_ids").asArray().get(0).asString()).matches("as:up:[0-9A-Z]{26}");

        JsonObject message = up.get("uplink_message").asObject();
        assertThat(message.getString("session_key_id", null)).isEqualTo(device.sessionKeyId);
        assertThat(message.getInt("f_port", 0)).isEqualTo(5);
        assertThat(message.get("f_cnt")).as("0 is left out, as The Things Stack does").isNull();
        assertThat(Instant.parse(message.getString("received_at", null))).isBefore(NOW);
        JsonObject gateway = message.get("rx_metadata").asArray().get(0).asObject();
        assertThat(gateway.get("gateway_ids").asObject().getString("gateway_id", null)).startsWith("eui-");
        assertThat(gateway.getInt("rssi", 0)).isBetween(-115, -60);
        assertThat(message.get("settings").asObject().get("data_rate").asObject().get("lora").asObject()
                .getInt("spreading_factor", 0)).isBetween(7, 10);
        assertThat(message.getString("consumed_airtime", null)).matches("0\\.\\d{6}s");
        JsonObject user = message.get("locations").asObject().get("user").asObject();
        assertThat(user.getDouble("latitude", 0)).isEqualTo(device.lat);
        assertThat(user.getDouble("longitude", 0)).isEqualTo(device.lon);
        assertThat(message.get("version_ids").asObject().getString("model_id", null)).isEqualTo("ers-sound");
        assertThat(message.get("network_ids").asObject().getString("tenant_id", null)).isEqualTo("ttn");
    }

    @Test
    void frameCounterIncreasesPerDevice() {
        SplittableRandom random = new SplittableRandom(3);
        TtnUplinks.Device device = TtnUplinks.device(1, 3, "ttn", random);

        List<Integer> counters = IntStream.range(0, 4)
                .mapToObj(i -> uplink(device, random).get("uplink_message").asObject().getInt("f_cnt", 0)).toList();

        assertThat(counters).containsExactly(0, 1, 2, 3);
        assertThat(device.nextFrameCounter()).isEqualTo(4);
    }

    @Test
    void soundMeterFrameIsElsysEncodingOfTheDecodedValues() {
        SplittableRandom random = new SplittableRandom(4);
        TtnUplinks.Device device = TtnUplinks.device(0, 3, "ttn", random);

        for (int i = 0; i < 50; i++) {
            JsonObject message = uplink(device, random).get("uplink_message").asObject();
            JsonObject decoded = message.get("decoded_payload").asObject();
            byte[] frame = Base64.getDecoder().decode(message.getString("frm_payload", null));

            int soundAvg = decoded.getInt("soundAvg", -1);
            int soundPeak = decoded.getInt("soundPeak", -1);
            assertThat(soundAvg).isBetween(45, 85);
            assertThat(soundPeak).isGreaterThan(soundAvg).isLessThanOrEqualTo(120);
            assertThat(frame).hasSize(16);
            assertThat(frame[13]).isEqualTo((byte) 0x15);
            assertThat(frame[14] & 0xFF).isEqualTo(soundPeak);
            assertThat(frame[15] & 0xFF).isEqualTo(soundAvg);
            assertThat((short) (((frame[1] & 0xFF) << 8) | (frame[2] & 0xFF)) / 10.0)
                    .isEqualTo(decoded.getDouble("temperature", -99));
            assertThat(frame[4] & 0xFF).isEqualTo(decoded.getInt("humidity", -1));
        }
    }

    @Test
    void elsysFrameMatchesTheRecordedErs2SoundUplink() {
        // the real uplink in the shared TTN fixtures decodes to these values
        byte[] frame = TtnUplinks.elsysFrame(22.6, 41, 39, 6, 3426, 7, 16);

        assertThat(Base64.getEncoder().encodeToString(frame)).isEqualTo("AQDiAikEACcFBgcNYhUHEA==");
    }

    @Test
    void peopleCounterTotalsAddUpThePeriods() {
        SplittableRandom random = new SplittableRandom(5);
        TtnUplinks.Device device = TtnUplinks.device(1, 3, "ttn", random);
        long in = 0;
        long out = 0;

        for (int i = 0; i < 20; i++) {
            JsonObject message = uplink(device, random).get("uplink_message").asObject();
            JsonObject decoded = message.get("decoded_payload").asObject();
            in += decoded.getInt("line_1_period_in", -1);
            out += decoded.getInt("line_1_period_out", -1);
            assertThat(decoded.getLong("line_1_total_in", -1)).isEqualTo(in);
            assertThat(decoded.getLong("line_1_total_out", -1)).isEqualTo(out);
            byte[] frame = Base64.getDecoder().decode(message.getString("frm_payload", null));
            assertThat(littleEndian(frame, 2, 4)).isEqualTo(in);
            assertThat(littleEndian(frame, 8, 4)).isEqualTo(out);
            assertThat(littleEndian(frame, 14, 2)).isEqualTo(decoded.getInt("line_1_period_in", -1));
        }
    }

    @Test
    void milesightFrameMatchesTheRecordedVs133Layout() {
        // the real VS133 uplink starts with line 1 totals 72 in and 200 out
        byte[] frame = TtnUplinks.milesightFrame(72, 200, 0, 0);

        assertThat(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(frame, 12))).isEqualTo("A9JIAAAABNLIAAAA");
    }

    @Test
    void airSensorValuesAreNestedAsDecentlabsFormatterWritesThem() {
        SplittableRandom random = new SplittableRandom(6);
        TtnUplinks.Device device = TtnUplinks.device(2, 3, "ttn", random);

        JsonObject message = uplink(device, random).get("uplink_message").asObject();
        JsonObject decoded = message.get("decoded_payload").asObject();
        byte[] frame = Base64.getDecoder().decode(message.getString("frm_payload", null));

        JsonObject pm25 = decoded.get("pm2_5_mass_concentration").asObject();
        assertThat(pm25.getString("unit", null)).isEqualTo("\u00b5g\u22c5m\u207b\u00b3");
        assertThat(pm25.getDouble("value", -1)).isEqualTo(bigEndian(frame, 9) / 10.0);
        assertThat(decoded.get("pm10_0_mass_concentration").asObject().getDouble("value", -1))
                .isGreaterThanOrEqualTo(pm25.getDouble("value", -1));
        assertThat(decoded.get("air_temperature").asObject().getDouble("value", -99))
                .isCloseTo(175.72 * bigEndian(frame, 27) / 65536 - 46.85, org.assertj.core.data.Offset.offset(0.01));
        assertThat(decoded.get("barometric_pressure").asObject().getDouble("value", -1))
                .isEqualTo(bigEndian(frame, 31) * 2.0);
        assertThat(frame[0]).isEqualTo((byte) 2);
        assertThat(frame).hasSize(33);
    }

    @Test
    void decentlabFrameMatchesTheRecordedDlPmUplink() {
        // the real DL-PM uplink (device 6992, battery 3.109 V, PM 3.7/3.9/3.9/3.9, 24.36 degC, 41.6 %, 96800 Pa)
        byte[] frame = TtnUplinks.decentlabFrame(0x1B50, 3109, 37, 39, 39, 39, 0x67BD, 0x618D, 0xBD10);

        assertThat(Base64.getEncoder().encodeToString(frame))
                .isEqualTo("AhtQAA8MJQAlACcAJwAnAfUBBwEsAS0BLQEtZ71hjb0Q");
    }

    @Test
    void sessionIsNewEachRunAndTenantIsChosen() {
        TtnUplinks.Device first = TtnUplinks.device(0, 1, "ttn", new SplittableRandom(7));
        TtnUplinks.Device second = TtnUplinks.device(0, 1, "lantaarn", new SplittableRandom(8));

        assertThat(first.sessionKeyId).isNotEqualTo(second.sessionKeyId);
        assertThat(first.devEui).isEqualTo(second.devEui);
        assertThat(second.topic).isEqualTo("v3/eindhoven-sound@lantaarn/devices/ers-sound-1/up");
        SplittableRandom random = new SplittableRandom(9);
        assertThat(uplink(second, random).get("uplink_message").asObject().get("network_ids").asObject()
                .getString("tenant_id", null)).isEqualTo("lantaarn");
    }

    private static long littleEndian(byte[] frame, int offset, int length) {
        long value = 0;
        for (int i = length - 1; i >= 0; i--) {
            value = (value << 8) | (frame[offset + i] & 0xFF);
        }
        return value;
    }

    private static int bigEndian(byte[] frame, int offset) {
        return ((frame[offset] & 0xFF) << 8) | (frame[offset + 1] & 0xFF);
    }
}
