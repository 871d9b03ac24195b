package nl.lantaarn.adapter.support;

import java.time.Instant;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;

/**
 * Reads fields of nested JSON objects; every problem becomes a {@link PayloadRejectedException} that names the field by
 * its dotted path (e.g. {@code uplink_message.f_cnt}) in the words of {@link PayloadReader}, which reads top-level
 * fields. A field that is JSON {@code null} counts as absent. Stateless and thread safe.
 */
public final class JsonFields {

    private JsonFields() {
        throw new AssertionError("no instances");
    }

    /** The value of {@code key}, unless absent or JSON null. */
    public static Optional<JsonValue> value(JsonObject json, String key) {
        return json.getValue(key).filter(value -> !value.isNull());
    }

    /** @param path the field's dotted path, for the message */
    public static JsonObject requiredObject(JsonObject json, String key, String path) throws PayloadRejectedException {
        return optionalObject(json, key, path).orElseThrow(() -> missing(path));
    }

    /** @param path the field's dotted path, for the message */
    public static Optional<JsonObject> optionalObject(JsonObject json, String key, String path)
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

    /** @param path the field's dotted path, for the message */
    public static String requiredString(JsonObject json, String key, String path) throws PayloadRejectedException {
        return optionalString(json, key, path).orElseThrow(() -> missing(path));
    }

    /** @param path the field's dotted path, for the message; the message never quotes the value */
    public static Optional<String> optionalString(JsonObject json, String key, String path)
            throws PayloadRejectedException {
        Optional<JsonValue> value = value(json, key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isString()) {
            throw new PayloadRejectedException("field '" + path + "' must be a string, was " + kind(value.get()));
        }
        return Optional.of(value.get().asString());
    }

    /** @param path the field's dotted path, for the message */
    public static Optional<Boolean> optionalBoolean(JsonObject json, String key, String path)
            throws PayloadRejectedException {
        Optional<JsonValue> value = value(json, key);
        if (value.isPresent() && !value.get().isBoolean()) {
            throw new PayloadRejectedException("field '" + path + "' must be true or false, was " + kind(value.get()));
        }
        return value.map(JsonValue::asBoolean);
    }

    /** A finite number. @param path the field's dotted path, for the message */
    public static Optional<Double> optionalNumber(JsonObject json, String key, String path)
            throws PayloadRejectedException {
        Optional<JsonValue> value = value(json, key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isNumber() || !Double.isFinite(value.get().asDouble())) {
            throw new PayloadRejectedException("field '" + path + "' must be a finite number, was "
                    + kind(value.get()) + " " + Texts.abbreviate(value.get().toString()));
        }
        return Optional.of(value.get().asDouble());
    }

    /** An ISO-8601 UTC time such as {@code 2026-11-23T21:14:05Z}. @param path the field's dotted path */
    public static Optional<Instant> optionalInstant(JsonObject json, String key, String path)
            throws PayloadRejectedException {
        Optional<String> text = optionalString(json, key, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Times.instant(text.get(), path));
    }

    /** What a value is, for a message: {@code null}, {@code a string}, {@code an object}, ... */
    public static String kind(JsonValue value) {
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

    /**
     * Where JSON text first nests objects and arrays deeper than {@code maxDepth}, found without parsing it, so that a
     * recursive parser never sees such input.
     *
     * @return the index of the bracket that goes too deep, or -1 when the text stays within {@code maxDepth}
     */
    public static int depthExceededAt(CharSequence json, int maxDepth) {
        int depth = 0;
        boolean inString = false;
        int length = json.length();
        for (int i = 0; i < length; i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > maxDepth) {
                    return i;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return -1;
    }

    private static PayloadRejectedException missing(String path) {
        return new PayloadRejectedException("field '" + path + "' is missing");
    }
}
