package nl.lantaarn.adapter.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

import com.eclipsesource.json.JsonHandler;
import com.eclipsesource.json.JsonParser;

import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;

/**
 * A JSON payload parsed for reading on the hot path: objects are {@code Map<String, Object>} in field order, arrays
 * {@code List<Object>}, and every other value is the Ditto {@link JsonValue} that {@link PayloadReader#jsonObject}
 * would hold, so that numbers, their types and their text are the same. It parses with the same grammar as Ditto but
 * skips what Ditto's parser does for every value besides (escaping each string and writing each object's JSON text),
 * and looks fields up without parsing a JSON pointer per call.
 * <p>
 * The readers mirror {@link JsonFields}, with the same messages: a field that is JSON {@code null} counts as absent.
 * Stateless and thread safe.
 */
public final class JsonTree {

    private JsonTree() {
        throw new AssertionError("no instances");
    }

    /**
     * Parses the payload as a JSON object. When it is not one, the rejection is exactly that of
     * {@link PayloadReader#jsonObject}. The caller bounds the nesting depth first (the parser is recursive).
     *
     * @param json the payload decoded as by {@link InboundMessage#payloadAsString()}
     */
    public static Map<String, Object> parseObject(InboundMessage message, String json)
            throws PayloadRejectedException {
        Object value;
        try {
            Handler handler = new Handler();
            new JsonParser(handler).parse(json);
            value = handler.value;
        } catch (RuntimeException e) {
            value = null;
        }
        if (value instanceof Map) {
            return asObject(value);
        }
        // rare: let Ditto's parser say why, in the words every adapter uses
        PayloadReader.jsonObject(message);
        throw new PayloadRejectedException("payload must be a JSON object");
    }

    /** The value of {@code key}, unless absent or JSON null: a map, a list or a {@link JsonValue}. */
    public static Object value(Map<String, Object> json, String key) {
        Object value = json.get(key);
        return value instanceof JsonValue v && v.isNull() ? null : value;
    }

    /** @param path the field's dotted path, for the message */
    public static Map<String, Object> requiredObject(Map<String, Object> json, String key, String path)
            throws PayloadRejectedException {
        Map<String, Object> object = optionalObject(json, key, path);
        if (object == null) {
            throw missing(path);
        }
        return object;
    }

    /** @param path the field's dotted path, for the message; {@code null} when absent */
    public static Map<String, Object> optionalObject(Map<String, Object> json, String key, String path)
            throws PayloadRejectedException {
        Object value = value(json, key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map)) {
            throw new PayloadRejectedException("field '" + path + "' must be an object, was " + kind(value));
        }
        return asObject(value);
    }

    /** @param path the field's dotted path, for the message */
    public static String requiredString(Map<String, Object> json, String key, String path)
            throws PayloadRejectedException {
        String text = optionalString(json, key, path);
        if (text == null) {
            throw missing(path);
        }
        return text;
    }

    /** @param path the field's dotted path, for the message (which never quotes the value); {@code null} when absent */
    public static String optionalString(Map<String, Object> json, String key, String path)
            throws PayloadRejectedException {
        Object value = value(json, key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonValue v && v.isString())) {
            throw new PayloadRejectedException("field '" + path + "' must be a string, was " + kind(value));
        }
        return v.asString();
    }

    /** @param path the field's dotted path, for the message */
    public static Optional<Boolean> optionalBoolean(Map<String, Object> json, String key, String path)
            throws PayloadRejectedException {
        Object value = value(json, key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonValue v && v.isBoolean())) {
            throw new PayloadRejectedException("field '" + path + "' must be true or false, was " + kind(value));
        }
        return Optional.of(v.asBoolean());
    }

    /** A finite number. @param path the field's dotted path, for the message */
    public static Optional<Double> optionalNumber(Map<String, Object> json, String key, String path)
            throws PayloadRejectedException {
        Object value = value(json, key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonValue v && v.isNumber() && Double.isFinite(v.asDouble()))) {
            throw new PayloadRejectedException("field '" + path + "' must be a finite number, was " + kind(value)
                    + " " + Texts.abbreviate(text(value)));
        }
        return Optional.of(v.asDouble());
    }

    /** An ISO-8601 UTC time such as {@code 2026-11-23T21:14:05Z}. @param path the field's dotted path */
    public static Optional<Instant> optionalInstant(Map<String, Object> json, String key, String path)
            throws PayloadRejectedException {
        String text = optionalString(json, key, path);
        return text == null ? Optional.empty() : Optional.of(Times.instant(text, path));
    }

    /** What a value is, for a message: {@code null}, {@code a string}, {@code an object}, ... */
    public static String kind(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof Map) {
            return "an object";
        } else if (value instanceof List) {
            return "an array";
        }
        return JsonFields.kind((JsonValue) value);
    }

    /** An object of the tree. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asObject(Object value) {
        return (Map<String, Object>) value;
    }

    /** An array of the tree. */
    @SuppressWarnings("unchecked")
    public static List<Object> asArray(Object value) {
        return (List<Object>) value;
    }

    /** A value's JSON text, as Ditto writes it. */
    public static String text(Object value) {
        return toJsonValue(value).toString();
    }

    /** A value of the tree as a Ditto value. */
    public static JsonValue toJsonValue(Object value) {
        if (value instanceof Map) {
            JsonObjectBuilder builder = JsonFactory.newObjectBuilder();
            asObject(value).forEach((key, field) -> builder.set(key, toJsonValue(field)));
            return builder.build();
        } else if (value instanceof List) {
            JsonArrayBuilder builder = JsonFactory.newArrayBuilder();
            asArray(value).forEach(element -> builder.add(toJsonValue(element)));
            return builder.build();
        }
        return (JsonValue) value;
    }

    private static PayloadRejectedException missing(String path) {
        return new PayloadRejectedException("field '" + path + "' is missing");
    }

    /** Builds the tree; numbers become the same Ditto values as in Ditto's own handler. */
    private static final class Handler extends JsonHandler<List<Object>, Map<String, Object>> {

        Object value;

        @Override
        public void endNull() {
            value = JsonValue.nullLiteral();
        }

        @Override
        public void endBoolean(boolean bool) {
            value = JsonValue.of(bool);
        }

        @Override
        public void endString(String string) {
            value = JsonValue.of(string);
        }

        @Override
        public void endNumber(String string) {
            if (string.indexOf('.') >= 0 || string.indexOf('e') >= 0 || string.indexOf('E') >= 0) {
                value = JsonValue.of(Double.parseDouble(string));
            } else {
                // beyond 64 bits this throws, and the payload is rejected as Ditto rejects it
                long number = Long.parseLong(string);
                value = number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE ? JsonValue.of((int) number)
                        : JsonValue.of(number);
            }
        }

        @Override
        public List<Object> startArray() {
            return new ArrayList<>();
        }

        @Override
        public void endArray(List<Object> array) {
            value = array;
        }

        @Override
        public void endArrayValue(List<Object> array) {
            array.add(value);
        }

        @Override
        public Map<String, Object> startObject() {
            return new LinkedHashMap<>();
        }

        @Override
        public void endObject(Map<String, Object> object) {
            value = object;
        }

        @Override
        public void endObjectValue(Map<String, Object> object, String name) {
            // a repeated name keeps its first place and its last value, as in Ditto
            object.put(name, value);
        }
    }
}
