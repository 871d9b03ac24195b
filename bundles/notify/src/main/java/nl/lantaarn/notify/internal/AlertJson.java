package nl.lantaarn.notify.internal;

import java.nio.charset.StandardCharsets;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonParseException;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.notify.api.Alert;

/**
 * The alert as JSON, the same on every channel (webhook body, MQTT payload, e-mail text):
 * {@code {"id","source","severity","title","thingId","zone","occurredAt","body":{...}}}.
 */
final class AlertJson {

    private AlertJson() {
        throw new AssertionError("no instances");
    }

    static JsonObject toJson(Alert alert) {
        return JsonFactory.newObjectBuilder()
                .set("id", alert.id())
                .set("source", alert.source())
                .set("severity", alert.severity())
                .set("title", alert.title())
                .set("thingId", orNull(alert.thingId()))
                .set("zone", orNull(alert.zone()))
                .set("occurredAt", alert.occurredAt().toString())
                .set("body", body(alert.bodyJson()))
                .build();
    }

    static byte[] toBytes(Alert alert) {
        return toJson(alert).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonValue orNull(String text) {
        return text == null ? JsonFactory.nullLiteral() : JsonValue.of(text);
    }

    /** The body as sent; text that is not a JSON object is kept, as {"text": ...}, rather than lost. */
    private static JsonObject body(String bodyJson) {
        if (bodyJson.isBlank()) {
            return JsonFactory.newObject();
        }
        try {
            JsonValue value = JsonFactory.readFrom(bodyJson);
            if (value.isObject()) {
                return value.asObject();
            }
        } catch (JsonParseException | IllegalArgumentException e) {
            // not JSON: kept as text below
        }
        return JsonFactory.newObjectBuilder().set("text", bodyJson).build();
    }
}
