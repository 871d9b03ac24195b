package nl.lantaarn.adapter.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;

class DesiredChangesTest {

    private static DesiredChanges.Desired desired(String feature, String json) {
        return new DesiredChanges.Desired(feature, JsonObject.of(json));
    }

    @Test
    void findsDesiredPropertiesAtEveryLevelOfTheThing() {
        assertThat(DesiredChanges.of(JsonPointer.of("/features/lamp/desiredProperties/dimLevel"), JsonValue.of(40)))
                .containsExactly(desired("lamp", "{\"dimLevel\":40}"));
        assertThat(DesiredChanges.of(JsonPointer.of("/features/lamp/desiredProperties/a/b"), JsonValue.of(1)))
                .containsExactly(desired("lamp", "{\"a\":{\"b\":1}}"));
        assertThat(DesiredChanges.of(JsonPointer.of("/features/lamp/desiredProperties"),
                JsonObject.of("{\"scene\":\"calm\"}"))).containsExactly(desired("lamp", "{\"scene\":\"calm\"}"));
        assertThat(DesiredChanges.of(JsonPointer.of("/features/lamp"),
                JsonObject.of("{\"properties\":{\"x\":1},\"desiredProperties\":{\"power\":\"on\"}}")))
                .containsExactly(desired("lamp", "{\"power\":\"on\"}"));
        assertThat(DesiredChanges.of(JsonPointer.of("/features"), JsonObject.of(
                "{\"a\":{\"desiredProperties\":{\"x\":1}},\"b\":{\"properties\":{\"y\":2}}}")))
                .containsExactly(desired("a", "{\"x\":1}"));
        assertThat(DesiredChanges.of(JsonPointer.empty(), JsonObject.of(
                "{\"attributes\":{\"adapter\":\"x\"},\"features\":{\"a\":{\"desiredProperties\":{\"x\":1}},"
                        + "\"b\":{\"desiredProperties\":{\"y\":2}}}}")))
                .containsExactlyInAnyOrder(desired("a", "{\"x\":1}"), desired("b", "{\"y\":2}"));
    }

    @Test
    void reportedStateRemovalsAndOtherPathsAreNoCommands() {
        assertThat(DesiredChanges.of(JsonPointer.empty(), JsonObject.of(
                "{\"features\":{\"lamp\":{\"properties\":{\"dimLevel\":40}}}}"))).isEmpty();
        assertThat(DesiredChanges.of(JsonPointer.of("/features/lamp/properties/dimLevel"), JsonValue.of(4))).isEmpty();
        assertThat(DesiredChanges.of(JsonPointer.of("/attributes/desiredProperties"), JsonObject.of("{\"a\":1}")))
                .isEmpty();
        assertThat(DesiredChanges.of(JsonPointer.of("/features/lamp/desiredProperties/dimLevel"),
                JsonValue.nullLiteral())).isEmpty();
        assertThat(DesiredChanges.of(JsonPointer.of("/features/lamp/desiredProperties"),
                JsonObject.of("{\"dimLevel\":null,\"scene\":\"calm\",\"x\":{\"y\":null}}")))
                .containsExactly(desired("lamp", "{\"scene\":\"calm\"}"));
    }
}
