package nl.lantaarn.history.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.FeatureDefinition;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;

/**
 * Finds the feature property values a twin event sets. Works on any Ditto thing event from its resource path and
 * entity: {@code ThingCreated} and {@code ThingModified} (the whole thing), {@code ThingMerged} (a merge patch at any
 * path), and the feature and property events. Each leaf under {@code features/<f>/properties} is one change; objects
 * are walked into, arrays are one value. {@code null} (a removal in a merge patch) records nothing, and neither do
 * attributes, definitions and desired properties.
 */
final class PropertyChanges {

    private static final JsonKey FEATURES = JsonKey.of("features");
    private static final JsonKey PROPERTIES = JsonKey.of("properties");

    /** One property set by an event: feature id, path inside the feature's properties, stored value. */
    record Change(String feature, JsonPointer property, Object value) {
    }

    private PropertyChanges() {
        throw new AssertionError("no instances");
    }

    static List<Change> of(ThingEvent<?> event) {
        Optional<JsonValue> entity = event.getEntity();
        if (entity.isEmpty()) {
            return List.of();
        }
        List<Change> changes = new ArrayList<>();
        JsonPointer path = event.getResourcePath();
        JsonValue value = entity.get();
        int levels = path.getLevelCount();
        if (levels == 0) {
            if (value.isObject()) {
                value.asObject().getValue(FEATURES).ifPresent(features -> features(features, changes));
            }
        } else if (path.get(0).filter(FEATURES::equals).isPresent()) {
            if (levels == 1) {
                features(value, changes);
            } else {
                String feature = path.get(1).orElseThrow().toString();
                if (levels == 2) {
                    feature(feature, value, changes);
                } else if (path.get(2).filter(PROPERTIES::equals).isPresent()) {
                    properties(feature, path.getSubPointer(3).orElse(JsonPointer.empty()), value, changes);
                }
            }
        }
        return changes;
    }

    private static void features(JsonValue features, List<Change> changes) {
        if (features.isObject()) {
            for (JsonField field : features.asObject()) {
                feature(field.getKeyName(), field.getValue(), changes);
            }
        }
    }

    private static void feature(String feature, JsonValue value, List<Change> changes) {
        if (value.isObject()) {
            value.asObject().getValue(PROPERTIES).ifPresent(properties ->
                    properties(feature, JsonPointer.empty(), properties, changes));
        }
    }

    private static void properties(String feature, JsonPointer path, JsonValue value, List<Change> changes) {
        if (value.isNull()) {
            return;
        }
        if (value.isObject()) {
            for (JsonField field : value.asObject()) {
                properties(feature, path.addLeaf(field.getKey()), field.getValue(), changes);
            }
        } else if (!path.isEmpty()) {
            changes.add(new Change(feature, path, Values.of(value)));
        }
    }

    /** The first identifier of the feature's definition in {@code thing}, or "" when it has none. */
    static String definition(Thing thing, String feature) {
        return thing.getFeatures().flatMap(features -> features.getFeature(feature))
                .flatMap(Feature::getDefinition)
                .map(FeatureDefinition::getFirstIdentifier)
                .map(Object::toString)
                .orElse("");
    }
}
