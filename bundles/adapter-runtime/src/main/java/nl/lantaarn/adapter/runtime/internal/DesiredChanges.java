package nl.lantaarn.adapter.runtime.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;

/**
 * Finds new desired properties in a twin change, whatever way they were written: a PUT or PATCH of one desired
 * property, of a feature's desired properties, of a feature, of all features or of the whole thing. Values set to
 * {@code null} (removed) are no command and are left out.
 */
final class DesiredChanges {

    private static final String FEATURES = "features";
    private static final String DESIRED = "desiredProperties";
    // made once: Ditto parses a field name given as a string into a pointer on every look-up, and these look-ups run
    // for every change an adapter writes
    private static final JsonPointer FEATURES_POINTER = JsonPointer.of(FEATURES);
    private static final JsonPointer DESIRED_POINTER = JsonPointer.of(DESIRED);

    /** New desired properties of one feature. */
    record Desired(String feature, JsonObject properties) {
    }

    private DesiredChanges() {
    }

    /**
     * Whether a change at {@code path} can hold desired properties: the whole thing, or something under
     * {@code /features}. Lets the caller skip building the event's value for the other changes.
     */
    static boolean mayHold(JsonPointer path) {
        return path.isEmpty() || path.get(0).map(JsonKey::toString).orElse("").equals(FEATURES);
    }

    /**
     * @param path  the changed part of the thing (the event's resource path)
     * @param value the new value there
     */
    static List<Desired> of(JsonPointer path, JsonValue value) {
        if (!mayHold(path)) {
            return List.of(); // attributes, policy id, definition
        }
        int levels = path.getLevelCount();
        List<Desired> found = new ArrayList<>(1);
        switch (levels) {
            case 0 -> {
                if (value.isObject()) {
                    value.asObject().getValue(FEATURES_POINTER).ifPresent(features -> allFeatures(features, found));
                }
            }
            case 1 -> allFeatures(value, found);
            case 2 -> {
                if (value.isObject()) {
                    value.asObject().getValue(DESIRED_POINTER).ifPresent(desired -> add(key(path, 1), desired, found));
                }
            }
            default -> {
                if (key(path, 2).equals(DESIRED)) {
                    JsonValue wrapped = value;
                    for (int i = levels - 1; i >= 3; i--) {
                        wrapped = JsonObject.newBuilder().set(key(path, i), wrapped).build();
                    }
                    add(key(path, 1), wrapped, found);
                }
            }
        }
        return found;
    }

    private static String key(JsonPointer path, int level) {
        return path.get(level).map(JsonKey::toString).orElse("");
    }

    private static void allFeatures(JsonValue features, List<Desired> found) {
        if (!features.isObject()) {
            return;
        }
        for (JsonField feature : features.asObject()) {
            if (feature.getValue().isObject()) {
                feature.getValue().asObject().getValue(DESIRED_POINTER)
                        .ifPresent(desired -> add(feature.getKeyName(), desired, found));
            }
        }
    }

    private static void add(String feature, JsonValue desired, List<Desired> found) {
        if (!desired.isObject()) {
            return;
        }
        JsonObject kept = withoutNulls(desired.asObject());
        if (!kept.isEmpty()) {
            found.add(new Desired(feature, kept));
        }
    }

    private static JsonObject withoutNulls(JsonObject object) {
        JsonObjectBuilder builder = JsonObject.newBuilder();
        for (JsonField field : object) {
            JsonValue value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (value.isObject()) {
                JsonObject nested = withoutNulls(value.asObject());
                if (!nested.isEmpty()) {
                    builder.set(field.getKey(), nested);
                }
            } else {
                builder.set(field.getKey(), value);
            }
        }
        return builder.build();
    }
}
