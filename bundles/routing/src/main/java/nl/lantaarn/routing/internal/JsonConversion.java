package nl.lantaarn.routing.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

/**
 * Converts between Ditto JSON and plain Java values (Maps, Lists, Strings, Numbers, Booleans), so that route
 * expressions can navigate bodies and maps built in routes can be sent as JSON.
 */
final class JsonConversion {

    private JsonConversion() {
        throw new AssertionError("no instances");
    }

    /** A mutable map of the object's fields, converted recursively. */
    static Map<String, Object> toMap(JsonObject object) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonField field : object) {
            map.put(field.getKeyName(), toJava(field.getValue()));
        }
        return map;
    }

    /** The Java value of a JSON value: Map, List, String, Integer/Long/Double, Boolean or {@code null}. */
    static Object toJava(JsonValue value) {
        if (value.isObject()) {
            return toMap(value.asObject());
        }
        if (value.isArray()) {
            JsonArray array = value.asArray();
            List<Object> list = new ArrayList<>(array.getSize());
            for (JsonValue element : array) {
                list.add(toJava(element));
            }
            return list;
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            if (value.isInt()) {
                return value.asInt();
            }
            if (value.isLong()) {
                return value.asLong();
            }
            return value.asDouble();
        }
        return null;
    }

    /**
     * The JSON value of a Java value: Maps become objects (keys by {@code toString}), Collections and arrays become
     * arrays, Numbers and Booleans stay themselves, Ditto JSON is taken as is; anything else becomes its
     * {@code toString} as a JSON string (for example an {@code Instant} becomes its ISO-8601 text).
     */
    static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.nullLiteral();
        }
        if (value instanceof JsonValue json) {
            return json;
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return JsonValue.of(value.toString());
        }
        if (value instanceof Boolean b) {
            return JsonValue.of(b.booleanValue());
        }
        if (value instanceof Number number) {
            return number(number);
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder builder = JsonObject.newBuilder();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                builder.set(String.valueOf(entry.getKey()), toJson(entry.getValue()));
            }
            return builder.build();
        }
        if (value instanceof Collection<?> collection) {
            JsonArrayBuilder builder = JsonArray.newBuilder();
            for (Object element : collection) {
                builder.add(toJson(element));
            }
            return builder.build();
        }
        if (value instanceof Object[] array) {
            return toJson(Arrays.asList(array));
        }
        if (value instanceof Enum<?> e) {
            return JsonValue.of(e.name());
        }
        return JsonValue.of(value.toString());
    }

    private static JsonValue number(Number number) {
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return JsonValue.of(number.intValue());
        }
        if (number instanceof Long) {
            return JsonValue.of(number.longValue());
        }
        if (number instanceof BigInteger big) {
            return big.bitLength() < 64 ? JsonValue.of(big.longValue()) : JsonValue.of(big.doubleValue());
        }
        if (number instanceof BigDecimal big) {
            try {
                return JsonValue.of(big.longValueExact());
            } catch (ArithmeticException notIntegral) {
                return JsonValue.of(big.doubleValue());
            }
        }
        double d = number.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            // JSON has no NaN or infinity
            return JsonValue.nullLiteral();
        }
        return JsonValue.of(d);
    }
}
