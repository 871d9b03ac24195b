package nl.lantaarn.twin.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Attributes;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.FeatureDefinition;
import org.eclipse.ditto.things.model.FeatureProperties;
import org.eclipse.ditto.things.model.Features;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingDefinition;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.AttributeCreated;
import org.eclipse.ditto.things.model.signals.events.AttributeDeleted;
import org.eclipse.ditto.things.model.signals.events.AttributeModified;
import org.eclipse.ditto.things.model.signals.events.AttributesCreated;
import org.eclipse.ditto.things.model.signals.events.AttributesDeleted;
import org.eclipse.ditto.things.model.signals.events.AttributesModified;
import org.eclipse.ditto.things.model.signals.events.FeatureCreated;
import org.eclipse.ditto.things.model.signals.events.FeatureDefinitionCreated;
import org.eclipse.ditto.things.model.signals.events.FeatureDefinitionDeleted;
import org.eclipse.ditto.things.model.signals.events.FeatureDefinitionModified;
import org.eclipse.ditto.things.model.signals.events.FeatureDeleted;
import org.eclipse.ditto.things.model.signals.events.FeatureDesiredPropertiesCreated;
import org.eclipse.ditto.things.model.signals.events.FeatureDesiredPropertiesDeleted;
import org.eclipse.ditto.things.model.signals.events.FeatureDesiredPropertiesModified;
import org.eclipse.ditto.things.model.signals.events.FeatureDesiredPropertyCreated;
import org.eclipse.ditto.things.model.signals.events.FeatureDesiredPropertyDeleted;
import org.eclipse.ditto.things.model.signals.events.FeatureDesiredPropertyModified;
import org.eclipse.ditto.things.model.signals.events.FeatureModified;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertiesCreated;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertiesDeleted;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertiesModified;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyCreated;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyDeleted;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyModified;
import org.eclipse.ditto.things.model.signals.events.FeaturesCreated;
import org.eclipse.ditto.things.model.signals.events.FeaturesDeleted;
import org.eclipse.ditto.things.model.signals.events.FeaturesModified;
import org.eclipse.ditto.things.model.signals.events.PolicyIdModified;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.eclipse.ditto.things.model.signals.events.ThingDefinitionCreated;
import org.eclipse.ditto.things.model.signals.events.ThingDefinitionDeleted;
import org.eclipse.ditto.things.model.signals.events.ThingDefinitionModified;
import org.eclipse.ditto.things.model.signals.events.ThingDeleted;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.eclipse.ditto.things.model.signals.events.ThingModified;

import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.twin.api.TwinNotFoundException;

/**
 * Computes what a write does to one thing: the thing after it and the Ditto event that describes it. Pure functions;
 * the caller holds the thing's lock and supplies the revision and time.
 */
final class ThingChanges {

    /** The outcome of one write: the thing after it ({@code null} when it was deleted) and its event. */
    record Change(Thing thing, ThingEvent<?> event) {
    }

    /** The parts of a thing a path can address. */
    enum Part {
        THING, POLICY_ID, DEFINITION, ATTRIBUTES, ATTRIBUTE, FEATURES, FEATURE, FEATURE_DEFINITION,
        PROPERTIES, PROPERTY, DESIRED_PROPERTIES, DESIRED_PROPERTY
    }

    private static final String ATTRIBUTES = "attributes";
    private static final String FEATURES = "features";
    private static final String PROPERTIES = "properties";
    private static final String DESIRED_PROPERTIES = "desiredProperties";
    private static final String DEFINITION = "definition";
    private static final String POLICY_ID = "policyId";
    private static final String THING_ID = "thingId";

    private ThingChanges() {
        throw new AssertionError("no instances");
    }

    /** Which part of a thing {@code path} addresses; refuses paths that address no part a client may write. */
    static Part partOf(JsonPointer path) {
        int levels = path.getLevelCount();
        if (levels == 0) {
            return Part.THING;
        }
        String root = key(path, 0);
        switch (root) {
            case POLICY_ID:
                if (levels == 1) {
                    return Part.POLICY_ID;
                }
                break;
            case DEFINITION:
                if (levels == 1) {
                    return Part.DEFINITION;
                }
                break;
            case ATTRIBUTES:
                return levels == 1 ? Part.ATTRIBUTES : Part.ATTRIBUTE;
            case FEATURES:
                if (levels == 1) {
                    return Part.FEATURES;
                }
                if (levels == 2) {
                    return Part.FEATURE;
                }
                switch (key(path, 2)) {
                    case DEFINITION:
                        if (levels == 3) {
                            return Part.FEATURE_DEFINITION;
                        }
                        break;
                    case PROPERTIES:
                        return levels == 3 ? Part.PROPERTIES : Part.PROPERTY;
                    case DESIRED_PROPERTIES:
                        return levels == 3 ? Part.DESIRED_PROPERTIES : Part.DESIRED_PROPERTY;
                    default:
                        break;
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("path '" + path + "' addresses no writable part of a thing; use /policyId, "
                + "/definition, /attributes[/...], /features[/<id>[/definition|/properties[/...]"
                + "|/desiredProperties[/...]]] or the empty path for the whole thing");
    }

    /** Sets the part at {@code path} to {@code value} (HTTP PUT). {@code existing} is {@code null} for a new thing. */
    static Change modify(ThingId id, Thing existing, JsonPointer path, JsonValue value, long revision, Instant now) {
        Part part = partOf(path);
        boolean leaf = part == Part.ATTRIBUTE || part == Part.PROPERTY || part == Part.DESIRED_PROPERTY;
        if (value == null || (value.isNull() && !leaf)) {
            throw new IllegalArgumentException(path + ": a value is needed; to remove it, delete it");
        }
        requireFinite(path, value);
        if (part == Part.THING) {
            JsonObject json = thingJson(id, value);
            Thing next = finish(id, json, existing, revision, now);
            ThingEvent<?> event = existing == null
                    ? ThingCreated.of(next, revision, now, DittoHeaders.empty(), null)
                    : ThingModified.of(next, revision, now, DittoHeaders.empty(), null);
            return new Change(next, event);
        }
        requireExists(id, existing, path);
        JsonObject before = existing.toJson();
        boolean created = before.getValue(path).isEmpty();
        Thing next = finish(id, before.setValue(path, value), existing, revision, now);
        return new Change(next, modifiedEvent(id, next, part, path, value, created, revision, now));
    }

    /**
     * A number too large for a double (such as {@code 1e309}) parses as infinity and would be stored as the text
     * {@code Infinity}, which is no JSON: the thing could not be read back. Refused here, for every way in.
     */
    private static void requireFinite(JsonPointer path, JsonValue value) {
        if (value.isNumber()) {
            if (!Double.isFinite(value.asDouble())) {
                throw new IllegalArgumentException(path + ": the number is too large for JSON (it reads as "
                        + value + "); send a finite number");
            }
        } else if (value.isObject()) {
            for (JsonField field : value.asObject()) {
                requireFinite(path.addLeaf(field.getKey()), field.getValue());
            }
        } else if (value.isArray()) {
            for (JsonValue element : value.asArray()) {
                requireFinite(path, element);
            }
        }
    }

    /** Merges {@code patch} into the part at {@code path} (RFC 7396). {@code existing} is {@code null} for a new thing. */
    static Change merge(ThingId id, Thing existing, JsonPointer path, JsonValue patch, long revision, Instant now) {
        Part part = partOf(path);
        if (patch == null) {
            throw new IllegalArgumentException(path + ": a merge patch is needed");
        }
        requireFinite(path, patch);
        if (part == Part.THING) {
            JsonObject rootPatch = thingJson(id, patch).remove(THING_ID);
            if (existing == null) {
                // on a new thing there is nothing for a null to remove
                JsonObject json = JsonMergePatch.of(rootPatch).applyOn(JsonObject.empty()).asObject();
                Thing next = finish(id, json, null, revision, now);
                return new Change(next, ThingCreated.of(next, revision, now, DittoHeaders.empty(), null));
            }
            Thing next = mergeParts(existing, rootPatch, revision, now);
            if (next == null) {
                next = finish(id, JsonMergePatch.of(rootPatch).applyOn(existing.toJson()).asObject(), existing,
                        revision, now);
            }
            return new Change(next, ThingMerged.of(id, path, rootPatch, revision, now, DittoHeaders.empty(), null));
        }
        requireExists(id, existing, path);
        JsonObject wrapped = JsonObject.empty().setValue(path, patch);
        JsonValue merged = JsonMergePatch.of(wrapped).applyOn(existing.toJson());
        Thing next = finish(id, merged.asObject(), existing, revision, now);
        return new Change(next, ThingMerged.of(id, path, patch, revision, now, DittoHeaders.empty(), null));
    }

    /**
     * The merge of a patch that touches only the attributes and existing features of a thing (what adapters send on
     * every reading), part by part: only the parts the patch changes are rebuilt and their keys checked, and the hub's
     * conventions (which look at the id and the attributes only) are checked again only when the attributes changed.
     * The result equals that of merging into the whole thing's JSON. {@code null} when the patch touches anything else
     * (a new feature, a removal of all attributes or features, the definition, the policy): the caller merges the
     * whole thing then.
     */
    private static Thing mergeParts(Thing existing, JsonObject rootPatch, long revision, Instant now) {
        Attributes attributes = null;
        Map<String, Feature> features = null;
        List<String> removedFeatures = null;
        for (JsonField field : rootPatch) {
            String key = field.getKeyName();
            JsonValue value = field.getValue();
            if (ATTRIBUTES.equals(key) && value.isObject()) {
                JsonObject before = existing.getAttributes().map(Attributes::toJson).orElse(JsonObject.empty());
                JsonObject after = JsonMergePatch.of(value).applyOn(before).asObject();
                if (!sameJson(after, before)) {
                    attributes = ThingsModelFactory.newAttributes(after);
                }
            } else if (FEATURES.equals(key) && value.isObject()) {
                Features current = existing.getFeatures().orElse(null);
                for (JsonField featureField : value.asObject()) {
                    String featureId = featureField.getKeyName();
                    Feature feature = current == null ? null : current.getFeature(featureId).orElse(null);
                    if (feature == null) {
                        return null; // a new feature: its id is checked by the whole-thing path
                    }
                    JsonValue featurePatch = featureField.getValue();
                    if (featurePatch.isNull()) {
                        removedFeatures = removedFeatures == null ? new ArrayList<>(1) : removedFeatures;
                        removedFeatures.add(featureId);
                    } else if (featurePatch.isObject()) {
                        JsonObject before = feature.toJson();
                        JsonObject after = JsonMergePatch.of(featurePatch).applyOn(before).asObject();
                        if (!sameJson(after, before)) {
                            features = features == null ? new LinkedHashMap<>(4) : features;
                            features.put(featureId, ThingsModelFactory.newFeatureBuilder(after).useId(featureId).build());
                        }
                    } else {
                        return null;
                    }
                }
            } else {
                return null;
            }
        }
        // a fresh shell with the new revision and times, then the parts set on the Thing itself: Ditto's builders copy
        // (and check again) every attribute, which costs more than the merge
        Thing next = ThingsModelFactory.newThingBuilder()
                .setId(existing.getEntityId().orElseThrow())
                .setPolicyId(existing.getPolicyEntityId().orElse(null))
                .setDefinition(existing.getDefinition().orElse(null))
                .setLifecycle(existing.getLifecycle().orElse(null))
                .setMetadata(existing.getMetadata().orElse(null))
                .setRevision(revision)
                .setModified(now)
                .setCreated(existing.getCreated().orElse(now))
                .build();
        Attributes nextAttributes = attributes != null ? attributes : existing.getAttributes().orElse(null);
        if (nextAttributes != null) {
            next = next.setAttributes(nextAttributes);
        }
        Features nextFeatures = existing.getFeatures().orElse(null);
        if (nextFeatures != null) {
            if (features != null) {
                for (Feature feature : features.values()) {
                    nextFeatures = nextFeatures.setFeature(feature);
                }
            }
            if (removedFeatures != null) {
                for (String featureId : removedFeatures) {
                    nextFeatures = nextFeatures.removeFeature(featureId);
                }
            }
            next = next.setFeatures(nextFeatures);
        }
        return attributes == null ? next : HubConventions.requireValid(next);
    }

    /**
     * Whether two JSON values are the same JSON. Ditto's model types (Attributes, FeatureProperties) are JSON objects
     * that equal only their own kind, so objects are compared field by field.
     */
    static boolean sameJson(JsonValue a, JsonValue b) {
        if (a.isObject() && b.isObject()) {
            JsonObject x = a.asObject();
            JsonObject y = b.asObject();
            if (x.getSize() != y.getSize()) {
                return false;
            }
            for (JsonField field : x) {
                Optional<JsonValue> other = y.getValue(field.getKey());
                if (other.isEmpty() || !sameJson(field.getValue(), other.get())) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Deletes the thing or the part at {@code path}; {@link Change#thing()} is {@code null} when the thing went. */
    static Change delete(ThingId id, Thing existing, JsonPointer path, long revision, Instant now) {
        Part part = partOf(path);
        if (part == Part.POLICY_ID) {
            throw new IllegalArgumentException(path + ": a thing's policy id cannot be deleted, only replaced");
        }
        requireExists(id, existing, path);
        if (part == Part.THING) {
            return new Change(null, ThingDeleted.of(id, revision, now, DittoHeaders.empty(), null));
        }
        JsonObject before = existing.toJson();
        if (before.getValue(path).isEmpty()) {
            throw new TwinNotFoundException(id, path, true);
        }
        Thing next = finish(id, before.remove(path), existing, revision, now);
        return new Change(next, deletedEvent(id, part, path, revision, now));
    }

    private static void requireExists(ThingId id, Thing existing, JsonPointer path) {
        if (existing == null) {
            throw new TwinNotFoundException(id, path, false);
        }
    }

    /** The JSON of a whole thing given by a client: an object whose thingId, if any, is this one. */
    private static JsonObject thingJson(ThingId id, JsonValue value) {
        if (!value.isObject()) {
            throw new IllegalArgumentException("a thing must be a JSON object, not " + value);
        }
        JsonObject json = value.asObject();
        Optional<JsonValue> given = json.getValue(THING_ID);
        if (given.isPresent() && !(given.get().isString() && given.get().asString().equals(id.toString()))) {
            throw new IllegalArgumentException(THING_ID + ": " + given.get() + " differs from the addressed thing "
                    + id);
        }
        return json.setValue(THING_ID, id.toString());
    }

    /** Builds the thing from its JSON, checks the hub's conventions and stamps revision and times. */
    private static Thing finish(ThingId id, JsonObject json, Thing existing, long revision, Instant now) {
        Thing parsed;
        try {
            parsed = ThingsModelFactory.newThing(json.setValue(THING_ID, id.toString()));
        } catch (DittoRuntimeException | JsonRuntimeException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid Ditto thing: " + e.getMessage(), e);
        }
        return HubConventions.requireValid(parsed).toBuilder()
                .setRevision(revision)
                .setModified(now)
                .setCreated(existing == null ? now : existing.getCreated().orElse(now))
                .build();
    }

    private static ThingEvent<?> modifiedEvent(ThingId id, Thing next, Part part, JsonPointer path, JsonValue value,
            boolean created, long rev, Instant now) {
        DittoHeaders h = DittoHeaders.empty();
        switch (part) {
            case POLICY_ID:
                return PolicyIdModified.of(id, next.getPolicyEntityId().orElseThrow(), rev, now, h, null);
            case DEFINITION: {
                ThingDefinition definition = next.getDefinition().orElseThrow();
                return created ? ThingDefinitionCreated.of(id, definition, rev, now, h, null)
                        : ThingDefinitionModified.of(id, definition, rev, now, h, null);
            }
            case ATTRIBUTES: {
                Attributes attributes = next.getAttributes().orElseGet(ThingsModelFactory::emptyAttributes);
                return created ? AttributesCreated.of(id, attributes, rev, now, h, null)
                        : AttributesModified.of(id, attributes, rev, now, h, null);
            }
            case ATTRIBUTE: {
                JsonPointer attribute = path.nextLevel();
                return created ? AttributeCreated.of(id, attribute, value, rev, now, h, null)
                        : AttributeModified.of(id, attribute, value, rev, now, h, null);
            }
            case FEATURES: {
                Features features = next.getFeatures().orElseGet(ThingsModelFactory::emptyFeatures);
                return created ? FeaturesCreated.of(id, features, rev, now, h, null)
                        : FeaturesModified.of(id, features, rev, now, h, null);
            }
            case FEATURE: {
                Feature feature = feature(next, path);
                return created ? FeatureCreated.of(id, feature, rev, now, h, null)
                        : FeatureModified.of(id, feature, rev, now, h, null);
            }
            case FEATURE_DEFINITION: {
                String featureId = key(path, 1);
                FeatureDefinition definition = feature(next, path).getDefinition().orElseThrow();
                return created ? FeatureDefinitionCreated.of(id, featureId, definition, rev, now, h, null)
                        : FeatureDefinitionModified.of(id, featureId, definition, rev, now, h, null);
            }
            case PROPERTIES: {
                String featureId = key(path, 1);
                FeatureProperties properties = feature(next, path).getProperties()
                        .orElseGet(ThingsModelFactory::emptyFeatureProperties);
                return created ? FeaturePropertiesCreated.of(id, featureId, properties, rev, now, h, null)
                        : FeaturePropertiesModified.of(id, featureId, properties, rev, now, h, null);
            }
            case PROPERTY: {
                String featureId = key(path, 1);
                JsonPointer property = path.getSubPointer(3).orElseThrow();
                return created ? FeaturePropertyCreated.of(id, featureId, property, value, rev, now, h, null)
                        : FeaturePropertyModified.of(id, featureId, property, value, rev, now, h, null);
            }
            case DESIRED_PROPERTIES: {
                String featureId = key(path, 1);
                FeatureProperties properties = feature(next, path).getDesiredProperties()
                        .orElseGet(ThingsModelFactory::emptyFeatureProperties);
                return created ? FeatureDesiredPropertiesCreated.of(id, featureId, properties, rev, now, h, null)
                        : FeatureDesiredPropertiesModified.of(id, featureId, properties, rev, now, h, null);
            }
            case DESIRED_PROPERTY: {
                String featureId = key(path, 1);
                JsonPointer property = path.getSubPointer(3).orElseThrow();
                return created ? FeatureDesiredPropertyCreated.of(id, featureId, property, value, rev, now, h, null)
                        : FeatureDesiredPropertyModified.of(id, featureId, property, value, rev, now, h, null);
            }
            default:
                throw new IllegalStateException("no modify event for " + part);
        }
    }

    private static ThingEvent<?> deletedEvent(ThingId id, Part part, JsonPointer path, long rev, Instant now) {
        DittoHeaders h = DittoHeaders.empty();
        switch (part) {
            case DEFINITION:
                return ThingDefinitionDeleted.of(id, rev, now, h, null);
            case ATTRIBUTES:
                return AttributesDeleted.of(id, rev, now, h, null);
            case ATTRIBUTE:
                return AttributeDeleted.of(id, path.nextLevel(), rev, now, h, null);
            case FEATURES:
                return FeaturesDeleted.of(id, rev, now, h, null);
            case FEATURE:
                return FeatureDeleted.of(id, key(path, 1), rev, now, h, null);
            case FEATURE_DEFINITION:
                return FeatureDefinitionDeleted.of(id, key(path, 1), rev, now, h, null);
            case PROPERTIES:
                return FeaturePropertiesDeleted.of(id, key(path, 1), rev, now, h, null);
            case PROPERTY:
                return FeaturePropertyDeleted.of(id, key(path, 1), path.getSubPointer(3).orElseThrow(), rev, now, h,
                        null);
            case DESIRED_PROPERTIES:
                return FeatureDesiredPropertiesDeleted.of(id, key(path, 1), rev, now, h, null);
            case DESIRED_PROPERTY:
                return FeatureDesiredPropertyDeleted.of(id, key(path, 1), path.getSubPointer(3).orElseThrow(), rev, now,
                        h, null);
            default:
                throw new IllegalStateException("no delete event for " + part);
        }
    }

    private static Feature feature(Thing thing, JsonPointer path) {
        String featureId = key(path, 1);
        return thing.getFeatures().flatMap(features -> features.getFeature(featureId))
                .orElseThrow(() -> new IllegalStateException("feature " + featureId + " missing after the change"));
    }

    private static String key(JsonPointer path, int level) {
        return path.get(level).map(JsonKey::toString).orElse("");
    }
}
