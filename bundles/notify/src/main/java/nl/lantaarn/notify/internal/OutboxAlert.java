package nl.lantaarn.notify.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.notify.api.Alert;

/**
 * An alert as a channel's outbox keeps it: a format byte, the time the hub took it (seconds, nanoseconds), then the
 * alert JSON exactly as the channels send it; read back into the alert at the next start.
 */
final class OutboxAlert {

    private static final byte FORMAT = 1;
    private static final int HEADER = 1 + Long.BYTES + Integer.BYTES;

    private OutboxAlert() {
        throw new AssertionError("no instances");
    }

    static byte[] bytes(Channel.Pending pending) {
        byte[] json = pending.json();
        return ByteBuffer.allocate(HEADER + json.length).put(FORMAT)
                .putLong(pending.receivedAt().getEpochSecond()).putInt(pending.receivedAt().getNano())
                .put(json).array();
    }

    /**
     * @throws IllegalArgumentException when the entry is not one this class wrote
     */
    static Channel.Pending read(byte[] bytes, long entry) {
        if (bytes.length < HEADER || bytes[0] != FORMAT) {
            throw new IllegalArgumentException("not an outbox alert of format " + FORMAT);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get();
        Instant receivedAt = Instant.ofEpochSecond(buffer.getLong(), buffer.getInt());
        byte[] json = new byte[buffer.remaining()];
        buffer.get(json);
        return new Channel.Pending(alert(json), json, receivedAt, entry);
    }

    /** The alert of its JSON ({@link AlertJson}); the body is the JSON object that was sent. */
    private static Alert alert(byte[] json) {
        JsonObject object;
        try {
            object = JsonFactory.newObject(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the alert JSON cannot be read: " + e.getMessage(), e);
        }
        return new Alert(text(object, "id"), text(object, "source"), text(object, "severity"), text(object, "title"),
                text(object, "thingId"), text(object, "zone"),
                object.getValue("body").filter(JsonValue::isObject).map(JsonValue::toString).orElse("{}"),
                Instant.parse(text(object, "occurredAt")));
    }

    private static String text(JsonObject object, String key) {
        return object.getValue(key).filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
    }
}
