package nl.lantaarn.adapter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

class PayloadReaderTest {

    private static InboundMessage message(String payload) {
        return new InboundMessage("sim/noise/n-7", payload.getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    }

    @Test
    void readsFields() throws Exception {
        JsonObject json = PayloadReader.jsonObject(message("{\"laeq\":72.4,\"measuredAt\":\"2026-11-23T21:14:05Z\"}"));
        assertThat(PayloadReader.requiredNumber(json, "laeq")).isEqualTo(72.4);
        assertThat(PayloadReader.optionalInstant(json, "measuredAt")).contains(Instant.parse("2026-11-23T21:14:05Z"));
        assertThat(PayloadReader.optionalNumber(json, "lat")).isEmpty();
    }

    @Test
    void namesTheProblem() throws Exception {
        assertThatThrownBy(() -> PayloadReader.jsonObject(message("not json"))).isInstanceOf(PayloadRejectedException.class)
                .hasMessageStartingWith("payload is not JSON");
        assertThatThrownBy(() -> PayloadReader.jsonObject(message("[1]"))).hasMessage("payload must be a JSON object, was an array");
        JsonObject json = PayloadReader.jsonObject(message("{\"laeq\":\"loud\",\"measuredAt\":\"yesterday\"}"));
        assertThatThrownBy(() -> PayloadReader.requiredNumber(json, "laeq"))
                .hasMessage("field 'laeq' must be a number, was a string \"loud\"");
        assertThatThrownBy(() -> PayloadReader.requiredNumber(json, "db")).hasMessage("field 'db' is missing");
        assertThatThrownBy(() -> PayloadReader.optionalInstant(json, "measuredAt"))
                .hasMessageContaining("field 'measuredAt' must be an ISO-8601 UTC time");
        assertThatThrownBy(() -> PayloadReader.deviceId("a/b", "topic level")).hasMessageStartingWith("topic level must be");
    }

    @Test
    void refusesNullPayloadAndNumbersThatAreNotFinite() throws Exception {
        assertThatThrownBy(() -> PayloadReader.jsonObject(message("null")))
                .hasMessage("payload must be a JSON object, was null");
        JsonObject json = PayloadReader.jsonObject(message("{\"laeq\":1e309}"));
        assertThatThrownBy(() -> PayloadReader.requiredNumber(json, "laeq"))
                .hasMessageStartingWith("field 'laeq' must be a finite number");
        assertThatThrownBy(() -> PayloadReader.optionalNumber(json, "laeq"))
                .isInstanceOf(PayloadRejectedException.class);
    }
}
