package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlertKeysTest {

    private static final long T = Instant.parse("2026-11-23T21:14:05.005Z").toEpochMilli();

    private final AlertKeys keys = new AlertKeys();

    @Test
    void readsTheDeviceFromThingIdAndTheTimeFromAt() {
        assertThat(alert("{\"thingId\":\"nl.demo.safety:eindhoven-sound-bench-000042\",\"at\":"
                + "\"2026-11-23T21:14:05.005Z\",\"value\":77}")).isTrue();
        assertThat(keys.device()).isEqualTo(42);
        assertThat(keys.epochMillis()).isEqualTo(T);
    }

    @Test
    void fieldOrderWhiteSpaceAndOtherFieldsDoNotMatter() {
        assertThat(alert("{ \"value\" : {\"at\":1,\"thingId\":\"x\"}, \"at\" : \"2026-11-23T21:14:05.005Z\" ,"
                + "\"kind\":\"at\", \"thingId\" :\"nl.demo.crowd:bench-000007\"}")).isTrue();
        // the first thingId with a device id and the first "at" with an instant: the nested ones are passed over
        assertThat(keys.device()).isEqualTo(7);
        assertThat(keys.epochMillis()).isEqualTo(T);
        assertThat(alert("{\"at\":\"2026-11-23T21:14:05.005Z\",\"measuredAt\":\"2020-01-01T00:00:00Z\","
                + "\"thingId\":\"nl.demo.safety:bench-000001\"}")).isTrue();
        assertThat(keys.epochMillis()).isEqualTo(T);
    }

    @Test
    void takesTheLastBenchIdInTheThingId() {
        assertThat(alert("{\"thingId\":\"bench-000001:bench-000099\",\"at\":\"2026-11-23T21:14:05.005Z\"}")).isTrue();
        assertThat(keys.device()).isEqualTo(99);
    }

    @Test
    void readsTimesWithAndWithoutFractionDigitsAndOffsets() {
        assertThat(time("2026-11-23T21:14:05Z")).isEqualTo(T - 5);
        assertThat(time("2026-11-23T21:14:05.005Z")).isEqualTo(T);
        assertThat(time("2026-11-23T21:14:05.0050Z")).isEqualTo(T);
        assertThat(time("2026-11-23T21:14:05.005999999Z")).isEqualTo(T);
        assertThat(time("2026-11-23T21:14:05.5Z")).isEqualTo(T + 495);
        assertThat(time("2026-11-23T22:14:05.005+01:00")).isEqualTo(T);
        assertThat(time("2026-11-23T20:44:05.005-00:30")).isEqualTo(T);
    }

    @Test
    void agreesWithJavaTimeOverManyInstants() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long millis = random.nextLong(-2_000_000_000_000L, 8_000_000_000_000L);
            String text = BenchDevices.keyTime(millis);
            assertThat(time(text)).as(text).isEqualTo(millis);
            assertThat(time(Instant.ofEpochMilli(millis).toString())).as(text).isEqualTo(millis);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json at all",
        "{}",
        "{\"thingId\":\"nl.demo.safety:bench-000042\"}",
        "{\"at\":\"2026-11-23T21:14:05.005Z\"}",
        "{\"thingId\":\"nl.demo.safety:noise-000042\",\"at\":\"2026-11-23T21:14:05.005Z\"}",
        "{\"thingId\":\"nl.demo.safety:bench-00042\",\"at\":\"2026-11-23T21:14:05.005Z\"}",
        "{\"thingId\":\"nl.demo.safety:bench-0000421\",\"at\":\"2026-11-23T21:14:05.005Z\"}",
        "{\"thingId\":\"nl.demo.safety:bench-00004x\",\"at\":\"2026-11-23T21:14:05.005Z\"}",
        "{\"thingId\":\"bench-000042\",\"at\":1795561109000}",
        "{\"thingId\":\"bench-000042\",\"at\":\"yesterday\"}",
        "{\"thingId\":\"bench-000042\",\"at\":\"2026-13-23T21:14:05.005Z\"}",
        "{\"thingId\":\"bench-000042\",\"at\":\"2026-02-30T21:14:05Z\"}",
        "{\"thingId\":\"bench-000042\",\"at\":\"2026-11-23T24:14:05Z\"}",
        "{\"thingId\":\"bench-000042\",\"at\":\"2026-11-23T21:14:05\"}",
        "{\"thingId\":\"bench-000042\",\"at\":\"2026-11-23T21:14:05.Z\"}",
        "{\"thingId\":\"bench-000042\",\"at\":\"2026-11-23T21:14:05.0050000000Z\"}",
        "{\"thingId\":\"bench-000042\",\"at\":\"2026-11-23 21:14:05Z\"}",
        "{\"thingId\":\"bench-000042\",\"at\":\"2026-11-23T21:14:05Zjunk\"}",
        "{\"thingId\":\"bench-000042\",\"at\":\"2026-11-23T21:14:05.005",
        "{\"thingId\":\"bench-0000",
        "{\"thingId\":\"bench-"})
    void garbageIsNoKeyAndNoException(String body) {
        assertThat(alert(body)).isFalse();
    }

    @Test
    void randomBytesAreNoKey() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] prefix = "{\"thingId\":\"bench-000001\",\"at\":\"2026-11-23T2".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2_000; i++) {
            byte[] body = new byte[random.nextInt(0, 80)];
            random.nextBytes(body);
            assertThat(keys.parseAlert(ByteBuffer.wrap(body))).isFalse();
            byte[] cut = new byte[prefix.length + body.length];
            System.arraycopy(prefix, 0, cut, 0, prefix.length);
            System.arraycopy(body, 0, cut, prefix.length, body.length);
            keys.parseAlert(ByteBuffer.wrap(cut)); // no exception, whatever it makes of it
        }
    }

    @Test
    void readsOnlyTheBufferBetweenPositionAndLimit() {
        byte[] bytes = ("xx{\"thingId\":\"bench-000003\",\"at\":\"2026-11-23T21:14:05.005Z\"}yy")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 2, bytes.length - 4).slice();
        assertThat(keys.parseAlert(buffer)).isTrue();
        assertThat(keys.device()).isEqualTo(3);
        assertThat(buffer.position()).isZero();
    }

    @Test
    void readsTheInputsOfEveryKind() {
        BenchDevices.Device[] devices = BenchDevices.devices(5, new SplittableRandom(1));
        SplittableRandom random = new SplittableRandom(2);
        for (int i : new int[] {0, 3, 4}) {
            byte[] payload = BenchDevices.payload(devices[i], 1000, T + 995, random);
            assertThat(keys.parseInput(devices[i].topic(), ByteBuffer.wrap(payload))).as(devices[i].topic()).isTrue();
            assertThat(keys.device()).isEqualTo(i);
            assertThat(keys.epochMillis()).isEqualTo(T + 995);
        }
        byte[] sound = BenchDevices.payload(devices[3], 1, T, random);
        assertThat(keys.parseInput("other/bench-000003/events", ByteBuffer.wrap(sound))).isFalse();
        assertThat(keys.parseInput("sound/se-3/events", ByteBuffer.wrap(sound))).isFalse();
        assertThat(keys.parseInput("crowd/bench-000003/counts", ByteBuffer.wrap(sound))).isFalse();
        assertThat(keys.parseInput("sound/bench-000003/events", ByteBuffer.wrap(new byte[0]))).isFalse();
    }

    private boolean alert(String body) {
        return keys.parseAlert(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }

    private long time(String text) {
        assertThat(alert("{\"thingId\":\"bench-000000\",\"at\":\"" + text + "\"}")).as(text).isTrue();
        return keys.epochMillis();
    }
}
