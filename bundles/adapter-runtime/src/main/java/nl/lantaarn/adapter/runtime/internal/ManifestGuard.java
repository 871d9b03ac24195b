package nl.lantaarn.adapter.runtime.internal;

import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;

import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinService;

/**
 * Enforces an adapter type's privacy manifest on its thing updates, between the adapter and the twin:
 * <ol>
 * <li>fields the manifest does not declare are cut out of the update ({@link FieldFilter}), so they are never
 * stored;</li>
 * <li>each feature the update writes gets the hub's privacy metadata, {@code /attributes/privacy/features/<feature>}
 * = {@code {"adapter","categories","personalData","retention"}}, written only when the thing does not carry exactly
 * that already, so that retention, purpose checks, the register and the API find the categories of every
 * feature.</li>
 * </ol>
 * Made once per adapter type; thread safe and immutable.
 */
final class ManifestGuard {

    /** Where the hub keeps the privacy metadata of a thing's features. */
    static final String ATTRIBUTE = "privacy";

    private static final JsonPointer OWN = JsonPointer.of("/attributes/" + ATTRIBUTE);
    private static final JsonPointer FEATURES = JsonPointer.of("/attributes/" + ATTRIBUTE + "/features");

    private final FieldFilter filter;
    private final JsonObject metadata;

    private ManifestGuard(FieldFilter filter, JsonObject metadata) {
        this.filter = filter;
        this.metadata = metadata;
    }

    static ManifestGuard of(AdapterType type) {
        PrivacyManifest manifest = type.privacy();
        JsonArrayBuilder categories = JsonArray.newBuilder();
        new TreeSet<>(manifest.dataCategories()).forEach(categories::add);
        JsonObject metadata = JsonObject.newBuilder()
                .set("adapter", type.id())
                .set("categories", categories.build())
                .set("personalData", manifest.personalData())
                .set("retention", manifest.retention().toString())
                .build();
        return new ManifestGuard(FieldFilter.of(manifest), metadata);
    }

    /** The metadata this type writes for each of its features. */
    JsonObject metadata() {
        return metadata;
    }

    /**
     * The update as it may be stored: undeclared fields cut out (each named to {@code dropped}), privacy metadata
     * added for the features it writes that lack it.
     *
     * @return {@code null} when the update had fields and none of them is declared
     */
    ThingUpdate apply(ThingUpdate update, TwinService twin, Consumer<String> dropped) {
        JsonObject patch = filter.filter(update.patch(), dropped);
        // never trust metadata an adapter wrote itself (a manifest may declare /attributes/*)
        if (patch.contains(OWN)) {
            patch = patch.remove(OWN);
        }
        if (patch.isEmpty() && !update.patch().isEmpty()) {
            return null;
        }
        Optional<JsonValue> features = patch.getValue("features");
        if (features.isEmpty() || !features.get().isObject()) {
            return patch == update.patch() ? update : ThingUpdate.merge(update.thingId(), patch);
        }
        JsonObject current = twin.retrieve(update.thingId()).flatMap(Thing::getAttributes)
                .flatMap(attributes -> attributes.getValue(ATTRIBUTE + "/features"))
                .filter(JsonValue::isObject).map(JsonValue::asObject).orElse(JsonObject.empty());
        JsonObject missing = null;
        for (JsonField feature : features.get().asObject()) {
            if (feature.getValue().isNull()) {
                continue;
            }
            String featureId = feature.getKeyName();
            if (!current.getValue(JsonPointer.of(featureId)).filter(metadata::equals).isPresent()) {
                missing = (missing == null ? JsonObject.empty() : missing).setValue(featureId, metadata);
            }
        }
        if (missing != null) {
            patch = patch.setValue(FEATURES, missing);
        }
        return patch == update.patch() ? update : ThingUpdate.merge(update.thingId(), patch);
    }
}
