package nl.lantaarn.adapter.support;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.adapter.api.PayloadRejectedException;

/**
 * Visits every field name, array and string of a JSON object at every depth, naming each by its path
 * ({@code a.b[2].c}), so that a guard can refuse a payload by rules on names and values. Objects nested deeper than
 * the given depth are refused. Stateless; the visitor decides about thread safety.
 */
public final class JsonWalker {

    /** What a guard checks; each method throws to refuse the payload. */
    public interface Visitor {

        /**
         * A field name, before its value.
         *
         * @param parent the path of the object holding the field, empty at the top
         * @param path   the path of the field
         */
        void name(String name, String parent, String path) throws PayloadRejectedException;

        /** An array, before its elements; {@code depth} is that of the object holding it (the top is 1). */
        default void array(JsonArray array, String path, int depth) throws PayloadRejectedException {
        }

        /** A string value. */
        default void string(String text, String path) throws PayloadRejectedException {
        }
    }

    private JsonWalker() {
        throw new AssertionError("no instances");
    }

    /** @throws PayloadRejectedException from the visitor, or for an object nested deeper than {@code maxDepth} */
    public static void walk(JsonObject payload, int maxDepth, Visitor visitor) throws PayloadRejectedException {
        object(payload, "", 1, maxDepth, visitor);
    }

    private static void object(JsonObject object, String path, int depth, int maxDepth, Visitor visitor)
            throws PayloadRejectedException {
        if (depth > maxDepth) {
            throw new PayloadRejectedException("field '" + path + "' is nested deeper than " + maxDepth + " levels");
        }
        for (JsonField field : object) {
            String name = field.getKeyName();
            String fieldPath = path.isEmpty() ? name : path + "." + name;
            visitor.name(name, path, fieldPath);
            value(field.getValue(), fieldPath, depth, maxDepth, visitor);
        }
    }

    private static void value(JsonValue value, String path, int depth, int maxDepth, Visitor visitor)
            throws PayloadRejectedException {
        if (value.isObject()) {
            object(value.asObject(), path, depth + 1, maxDepth, visitor);
        } else if (value.isArray()) {
            JsonArray array = value.asArray();
            visitor.array(array, path, depth);
            int index = 0;
            for (JsonValue element : array) {
                value(element, path + "[" + index++ + "]", depth + 1, maxDepth, visitor);
            }
        } else if (value.isString()) {
            visitor.string(value.asString(), path);
        }
    }
}
