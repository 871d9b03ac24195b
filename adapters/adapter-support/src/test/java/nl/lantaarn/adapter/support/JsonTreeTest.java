package nl.lantaarn.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;

class JsonTreeTest {

    private static final String JSON = "{\"a\":{\"b\":[1,2147483648,1.5,1e400,\"x\\\"y\",true,null]},\"n\":null,"
            + "\"s\":\"t\",\"a\":{\"c\":7},\"big\":-9223372036854775808}";

    private static Map<String, Object> parse(String json) throws PayloadRejectedException {
        return JsonTree.parseObject(message(json), json);
    }

    private static InboundMessage message(String json) {
        return new InboundMessage("t", json.getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    }

    @Test
    void holdsTheSameValuesAsDitto() throws PayloadRejectedException {
        Map<String, Object> tree = parse(JSON);
        JsonObject ditto = PayloadReader.jsonObject(message(JSON));
        // a repeated name keeps its first place and its last value
        assertThat(tree.keySet()).containsExactly("a", "n", "s", "big");
        assertThat(JsonTree.toJsonValue(tree.get("a"))).isEqualTo(ditto.getValue("a").orElseThrow());
        assertThat(tree.get("big")).isEqualTo(ditto.getValue("big").orElseThrow());
        String plain = "{\"a\":{\"b\":[1,2147483648,1.5,\"x\\\"y\",true,null]},\"n\":null,\"s\":\"t\"}";
        assertThat(JsonTree.toJsonValue(parse(plain))).isEqualTo(PayloadReader.jsonObject(message(plain)));
        assertThat(JsonTree.text(parse(plain))).isEqualTo(PayloadReader.jsonObject(message(plain)).toString());
    }

    @Test
    void numbersKeepDittosTypes() throws PayloadRejectedException {
        List<Object> numbers = JsonTree.asArray(JsonTree.asObject(parse(JSON.replace("\"c\":7", "\"c\":[]")
                .replace(",\"a\":{\"c\":[]}", "")).get("a")).get("b"));
        assertThat(((JsonValue) numbers.get(0)).isInt()).isTrue();
        assertThat(((JsonValue) numbers.get(1)).isInt()).isFalse();
        assertThat(((JsonValue) numbers.get(1)).isLong()).isTrue();
        assertThat(numbers.get(2)).isEqualTo(JsonFactory.newValue(1.5));
        assertThat(((JsonValue) numbers.get(3)).asDouble()).isInfinite();
    }

    @Test
    void readersSayWhatIsWrongLikeJsonFields() throws PayloadRejectedException {
        Map<String, Object> tree = parse(JSON);
        JsonObject ditto = PayloadReader.jsonObject(message(JSON));
        assertThat(JsonTree.optionalString(tree, "n", "n")).isNull();
        assertThat(JsonTree.optionalObject(tree, "missing", "missing")).isNull();
        assertThat(JsonTree.requiredString(tree, "s", "s")).isEqualTo("t");
        assertThatThrownBy(() -> JsonTree.optionalNumber(tree, "a", "x.a"))
                .hasMessage(message(() -> JsonFields.optionalNumber(ditto, "a", "x.a")));
        assertThatThrownBy(() -> JsonTree.optionalObject(tree, "s", "x.s"))
                .hasMessage(message(() -> JsonFields.optionalObject(ditto, "s", "x.s")));
        assertThatThrownBy(() -> JsonTree.optionalBoolean(tree, "a", "x.a"))
                .hasMessage(message(() -> JsonFields.optionalBoolean(ditto, "a", "x.a")));
        assertThatThrownBy(() -> JsonTree.requiredObject(tree, "n", "x.n")).hasMessage("field 'x.n' is missing");
    }

    @Test
    void rejectsAsPayloadReaderDoes() {
        for (String bad : new String[] {"", "[1]", "null", "{\"a\":", "{\"a\":99999999999999999999}", "{} x"}) {
            String expected = message(() -> PayloadReader.jsonObject(message(bad)));
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(PayloadRejectedException.class)
                    .hasMessage(expected);
        }
    }

    private interface Call {
        Object run() throws PayloadRejectedException;
    }

    private static String message(Call call) {
        try {
            call.run();
        } catch (PayloadRejectedException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a rejection");
    }
}
