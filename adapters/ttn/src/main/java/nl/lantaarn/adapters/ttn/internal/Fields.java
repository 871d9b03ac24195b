package nl.lantaarn.adapters.ttn.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.adapter.api.PayloadRejectedException;

/**
 * Reads nested fields of an uplink; every problem becomes a {@link PayloadRejectedException} naming the field by its
 * dotted path (e.g. {@code uplink_message.f_cnt}) in the words of {@code PayloadReader}. Stateless.
 */
final class Fields {

    /** Deepest nesting of JSON arrays and objects accepted; uplinks of The Things Stack nest about 6 deep. */
    static final int MAX_DEPTH = 32;

    private Fields() {
        throw new AssertionError("no instances");
    }

    /** Rejects a payload that is not UTF-8 or nests deeper than {@link #MAX_DEPTH}, before it is parsed. */
    static void checkEncodingAndDepth(byte[] payload) throws PayloadRejectedException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(payload));
        } catch (CharacterCodingException e) {
            throw new PayloadRejectedException("payload is not UTF-8 text: " + e.getMessage(), e);
        }
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < payload.length; i++) {
            byte b = payload[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > MAX_DEPTH) {
                    throw new PayloadRejectedException("payload nests JSON objects and arrays more than " + MAX_DEPTH
                            + " deep (at byte " + i + "); an uplink of The Things Stack nests about 6 deep");
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
    }

    static Optional<JsonValue> value(JsonObject json, String key) {
        return json.getValue(key).filter(value -> !value.isNull());
    }

    static JsonObject requiredObject(JsonObject json, String key, String path) throws PayloadRejectedException {
        return optionalObject(json, key, path)
                .orElseThrow(() -> new PayloadRejectedException("field '" + path + "' is missing"));
    }

    static Optional<JsonObject> optionalObject(JsonObject json, String key, String path)
            throws PayloadRejectedException {
        Optional<JsonValue> value = value(json, key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isObject()) {
            throw new PayloadRejectedException("field '" + path + "' must be an object, was " + kind(value.get()));
        }
        return Optional.of(value.get().asObject());
    }

    static String requiredString(JsonObject json, String key, String path) throws PayloadRejectedException {
        return optionalString(json, key, path)
                .orElseThrow(() -> new PayloadRejectedException("field '" + path + "' is missing"));
    }

    static Optional<String> optionalString(JsonObject json, String key, String path) throws PayloadRejectedException {
        Optional<JsonValue> value = value(json, key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isString()) {
            throw new PayloadRejectedException("field '" + path + "' must be a string, was " + kind(value.get()));
        }
        return Optional.of(value.get().asString());
    }

    static boolean bool(JsonObject json, String key, String path) throws PayloadRejectedException {
        Optional<JsonValue> value = value(json, key);
        if (value.isEmpty()) {
            return false; // The Things Stack leaves out false
        }
        if (!value.get().isBoolean()) {
            throw new PayloadRejectedException("field '" + path + "' must be true or false, was " + kind(value.get()));
        }
        return value.get().asBoolean();
    }

    /** A LoRaWAN 32-bit unsigned counter; absent is 0, which The Things Stack leaves out. */
    static long unsigned32(JsonObject json, String key, String path) throws PayloadRejectedException {
        Optional<JsonValue> value = value(json, key);
        if (value.isEmpty()) {
            return 0;
        }
        if (!value.get().isNumber()) {
            throw new PayloadRejectedException("field '" + path + "' must be a number, was " + kind(value.get()));
        }
        if (!value.get().isLong() || value.get().asLong() < 0 || value.get().asLong() > 0xFFFF_FFFFL) {
            throw new PayloadRejectedException("field '" + path + "' must be a whole number from 0 to 4294967295, "
                    + "was " + abbreviate(value.get().toString()));
        }
        return value.get().asLong();
    }

    /** A finite number, e.g. a coordinate. */
    static Optional<Double> optionalNumber(JsonObject json, String key, String path) throws PayloadRejectedException {
        Optional<JsonValue> value = value(json, key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isNumber() || !Double.isFinite(value.get().asDouble())) {
            throw new PayloadRejectedException("field '" + path + "' must be a finite number, was "
                    + kind(value.get()) + " " + abbreviate(value.get().toString()));
        }
        return Optional.of(value.get().asDouble());
    }

    static Optional<Instant> optionalInstant(JsonObject json, String key, String path)
            throws PayloadRejectedException {
        Optional<String> text = optionalString(json, key, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text.get()));
        } catch (DateTimeParseException e) {
            throw new PayloadRejectedException("field '" + path + "' must be an ISO-8601 UTC time such as "
                    + "2026-11-23T21:14:05.123456789Z, was '" + abbreviate(text.get()) + "'", e);
        }
    }

    static String kind(JsonValue value) {
        if (value.isNull()) {
            return "null";
        } else if (value.isString()) {
            return "a string";
        } else if (value.isBoolean()) {
            return "a boolean";
        } else if (value.isArray()) {
            return "an array";
        } else if (value.isObject()) {
            return "an object";
        }
        return "a number";
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
