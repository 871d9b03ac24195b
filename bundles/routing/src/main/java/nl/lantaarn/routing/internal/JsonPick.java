package nl.lantaarn.routing.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bean {@code json} in every route's registry: builds a new JSON-ready map from fields of a body map, so routes can
 * shape an outgoing message without code:
 *
 * <pre>
 * - setBody:
 *     method:
 *       ref: json
 *       method: "pick(${body}, 'thingId=thingId; laeq=features/noise/properties/laeq')"
 * </pre>
 *
 * The spec is {@code name=path} pairs separated by {@code ;}; a path is keys separated by {@code /} (a number indexes
 * a list). A path that does not exist gives {@code null}, so the result is always complete JSON.
 */
public final class JsonPick {

    static final String BEAN_NAME = "json";

    /** @return a new map with one entry per pair of the spec, in the spec's order */
    public Map<String, Object> pick(Object body, String spec) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("json.pick: the spec is empty; write 'name=path; name=path'");
        }
        for (String pair : spec.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("json.pick: '" + pair.trim() + "' is not name=path");
            }
            result.put(pair.substring(0, eq).trim(), at(body, pair.substring(eq + 1).trim()));
        }
        return result;
    }

    private static Object at(Object value, String path) {
        Object current = value;
        for (String key : path.split("/")) {
            if (key.isEmpty()) {
                continue;
            }
            if (current instanceof Map<?, ?> map) {
                current = map.get(key);
            } else if (current instanceof List<?> list && isIndex(key) && Integer.parseInt(key) < list.size()) {
                current = list.get(Integer.parseInt(key));
            } else {
                return null;
            }
        }
        return current;
    }

    private static boolean isIndex(String key) {
        return key.length() < 10 && key.chars().allMatch(Character::isDigit);
    }
}
