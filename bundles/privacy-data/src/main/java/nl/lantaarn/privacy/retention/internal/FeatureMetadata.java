package nl.lantaarn.privacy.retention.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;

/**
 * The privacy metadata the adapter runtime writes with every feature an adapter writes:
 * {@code /attributes/privacy/features/<feature>} = {@code {"adapter","categories","personalData","retention"}}.
 *
 * @param categories   the manifest's data categories
 * @param personalData whether the manifest says the data is personal
 * @param retention    the manifest's retention
 */
record FeatureMetadata(List<String> categories, boolean personalData, Duration retention) {

    /** The metadata of each feature of the thing that has it, by feature id; unreadable entries are left out. */
    static Map<String, FeatureMetadata> of(Thing thing) {
        Map<String, FeatureMetadata> result = new LinkedHashMap<>();
        thing.getAttributes().flatMap(a -> a.getValue("privacy/features")).filter(JsonValue::isObject)
                .map(JsonValue::asObject).ifPresent(features -> features.forEach(field -> {
                    if (field.getValue().isObject()) {
                        parse(field.getValue().asObject()).ifPresent(m -> result.put(field.getKeyName(), m));
                    }
                }));
        return result;
    }

    private static Optional<FeatureMetadata> parse(JsonObject object) {
        try {
            Duration retention = Duration.parse(object.getValue("retention").filter(JsonValue::isString)
                    .map(JsonValue::asString).orElse(""));
            List<String> categories = object.getValue("categories").filter(JsonValue::isArray)
                    .map(a -> a.asArray().stream().filter(JsonValue::isString).map(JsonValue::asString).toList())
                    .orElse(List.of());
            boolean personal = object.getValue("personalData").filter(JsonValue::isBoolean)
                    .map(JsonValue::asBoolean).orElse(true);
            return Optional.of(new FeatureMetadata(categories, personal, retention));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
