package nl.lantaarn.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.PayloadRejectedException;

class JsonFieldsTest {

    private static final JsonObject UPLINK = JsonObject.of("{\"ids\":{\"device_id\":\"ers-1\",\"app\":null},"
            + "\"up\":{\"f_cnt\":7,\"rssi\":-101.5,\"confirmed\":true,\"at\":\"2026-11-23T21:14:05.25Z\"},"
            + "\"none\":null,\"text\":\"x\",\"list\":[1]}");

    @Test
    void presentFieldsAreRead() throws Exception {
        JsonObject ids = JsonFields.requiredObject(UPLINK, "ids", "ids");
        JsonObject up = JsonFields.optionalObject(UPLINK, "up", "up").orElseThrow();

        assertThat(JsonFields.requiredString(ids, "device_id", "ids.device_id")).isEqualTo("ers-1");
        assertThat(JsonFields.optionalNumber(up, "rssi", "up.rssi")).contains(-101.5);
        assertThat(JsonFields.optionalBoolean(up, "confirmed", "up.confirmed")).contains(true);
        assertThat(JsonFields.optionalInstant(up, "at", "up.at")).contains(Instant.parse("2026-11-23T21:14:05.25Z"));
    }

    @Test
    void nullCountsAsAbsent() throws Exception {
        assertThat(JsonFields.value(UPLINK, "none")).isEmpty();
        assertThat(JsonFields.optionalObject(UPLINK, "none", "none")).isEmpty();
        assertThat(JsonFields.optionalString(JsonFields.requiredObject(UPLINK, "ids", "ids"), "app", "ids.app"))
                .isEmpty();
        assertThat(JsonFields.optionalBoolean(UPLINK, "absent", "absent")).isEmpty();
        assertThat(JsonFields.optionalNumber(UPLINK, "none", "none")).isEmpty();
        assertThat(JsonFields.optionalInstant(UPLINK, "none", "none")).isEmpty();
        assertThatThrownBy(() -> JsonFields.requiredObject(UPLINK, "none", "a.none"))
                .isInstanceOf(PayloadRejectedException.class).hasMessage("field 'a.none' is missing");
        assertThatThrownBy(() -> JsonFields.requiredString(UPLINK, "absent", "a.absent"))
                .hasMessage("field 'a.absent' is missing");
    }

    @Test
    void aValueOfAnotherTypeIsRefusedNamingThePath() {
        assertThatThrownBy(() -> JsonFields.optionalObject(UPLINK, "text", "p.text"))
                .hasMessage("field 'p.text' must be an object, was a string");
        assertThatThrownBy(() -> JsonFields.optionalString(UPLINK, "list", "p.list"))
                .hasMessage("field 'p.list' must be a string, was an array");
        assertThatThrownBy(() -> JsonFields.optionalBoolean(UPLINK, "text", "p.text"))
                .hasMessage("field 'p.text' must be true or false, was a string");
        assertThatThrownBy(() -> JsonFields.optionalNumber(UPLINK, "text", "p.text"))
                .hasMessage("field 'p.text' must be a finite number, was a string \"x\"");
        assertThatThrownBy(() -> JsonFields.optionalInstant(UPLINK, "text", "p.text"))
                .hasMessage("field 'p.text' must be an ISO-8601 UTC time such as 2026-11-23T21:14:05Z, was 'x'");
    }

    @Test
    void kindNamesEveryJsonType() {
        assertThat(JsonFields.kind(JsonValue.nullLiteral())).isEqualTo("null");
        assertThat(JsonFields.kind(JsonValue.of("x"))).isEqualTo("a string");
        assertThat(JsonFields.kind(JsonValue.of(true))).isEqualTo("a boolean");
        assertThat(JsonFields.kind(JsonValue.of(1))).isEqualTo("a number");
        assertThat(JsonFields.kind(JsonObject.empty())).isEqualTo("an object");
        assertThat(JsonFields.kind(UPLINK.getValue("list").orElseThrow())).isEqualTo("an array");
    }

    @Test
    void depthIsCountedOutsideStringsOnly() {
        assertThat(JsonFields.depthExceededAt("{\"a\":[{\"b\":1}]}", 3)).isEqualTo(-1);
        assertThat(JsonFields.depthExceededAt("{\"a\":[{\"b\":1}]}", 2)).isEqualTo(6);
        assertThat(JsonFields.depthExceededAt("{\"a\":\"[[[[\\\"[[[\"}", 1)).isEqualTo(-1);
        assertThat(JsonFields.depthExceededAt("[]".repeat(100), 1)).isEqualTo(-1);
        assertThat(JsonFields.depthExceededAt("[".repeat(10_000), 32)).isEqualTo(32);
    }
}
