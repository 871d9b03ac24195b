package nl.lantaarn.privacy.retention.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import nl.lantaarn.personaldata.api.DataSubject;
import nl.lantaarn.personaldata.api.PersonalDataStore;
import nl.lantaarn.personaldata.api.RetentionRules;
import nl.lantaarn.twin.api.TwinJsonSource;
import nl.lantaarn.twin.api.TwinNotFoundException;
import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.WriteCondition;

/**
 * The twin as a {@link PersonalDataStore}, through the twin service, so that it works the same on every twin store
 * (embedded, PostgreSQL): each change is one twin write, made durable by the store in use.
 * <ul>
 * <li><b>Expired</b>: a feature an adapter declared (it has privacy metadata) whose last write is older than its
 * retention loses its properties; a thing all of whose declared features are expired and personal is deleted
 * whole, since its attributes (a reporter's pseudonym, an address) were written with that data.</li>
 * <li><b>Erasure</b> of a thing deletes it; of a pseudonym, removes every feature and every top-level attribute whose
 * value contains it.</li>
 * </ul>
 */
final class TwinData implements PersonalDataStore {

    private static final JsonPointer ROOT = JsonPointer.empty();
    /** The key of the privacy metadata in the stored JSON of a thing (attributes/privacy/features). */
    private static final String PRIVACY = "\"privacy\"";

    private final TwinService twin;
    private final FeatureClock clock;

    TwinData(TwinService twin, FeatureClock clock) {
        this.twin = twin;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "twin";
    }

    /** What retention removes from one thing: the whole thing, or the properties of some of its features. */
    private record Expired(ThingId thingId, boolean whole, List<String> toClear) {
    }

    @Override
    public long expire(RetentionRules rules, Instant now) {
        List<Expired> found = new ArrayList<>();
        if (twin instanceof TwinJsonSource stored) {
            // from the stored JSON: only a thing whose JSON names privacy metadata is parsed, so that a run over a
            // million things, most of them without personal data, costs a text search each instead of a parse (the
            // first run is at start, beside the search index being built)
            stored.forEachJson((id, json) -> {
                if (json.contains(PRIVACY)) {
                    Thing thing = parse(id, json);
                    Expired expired = thing == null ? null : expired(thing, rules, now);
                    if (expired != null) {
                        found.add(expired);
                    }
                }
            });
        } else {
            for (Thing thing : twin.list()) {
                Expired expired = expired(thing, rules, now);
                if (expired != null) {
                    found.add(expired);
                }
            }
        }
        long removed = 0;
        for (Expired expired : found) {
            try {
                if (expired.whole()) {
                    twin.delete(expired.thingId(), ROOT, WriteCondition.any());
                    removed++;
                    continue;
                }
                for (String featureId : expired.toClear()) {
                    twin.delete(expired.thingId(), JsonPointer.of("/features/" + featureId + "/properties"),
                            WriteCondition.any());
                    removed++;
                }
            } catch (TwinNotFoundException e) {
                // changed meanwhile: the next run looks again
            }
        }
        return removed;
    }

    /** The stored thing with the twin's id for it; {@code null} when its JSON cannot be read (the twin names it). */
    private static Thing parse(String thingId, String json) {
        try {
            Thing thing = ThingsModelFactory.newThing(JsonFactory.readFrom(json).asObject());
            boolean sameId = thing.getEntityId().map(id -> id.toString().equals(thingId)).orElse(false);
            return sameId ? thing : thing.toBuilder().setId(ThingId.of(thingId)).build();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** What retention removes from the thing now; {@code null} when nothing. */
    private Expired expired(Thing thing, RetentionRules rules, Instant now) {
        Map<String, FeatureMetadata> declared = FeatureMetadata.of(thing);
        if (declared.isEmpty()) {
            return null;
        }
        ThingId id = thing.getEntityId().orElseThrow();
        int expired = 0;
        boolean allPersonal = true;
        List<String> toClear = new ArrayList<>();
        for (Map.Entry<String, FeatureMetadata> entry : declared.entrySet()) {
            String featureId = entry.getKey();
            Optional<Duration> retention = rules.feature(id.toString(), featureId);
            Instant last = clock.lastWrite(thing, featureId);
            allPersonal &= entry.getValue().personalData();
            if (retention.isEmpty() || last == null || !last.plus(retention.get()).isBefore(now)) {
                continue;
            }
            expired++;
            Optional<Feature> feature = thing.getFeatures().flatMap(f -> f.getFeature(featureId));
            if (feature.flatMap(Feature::getProperties).filter(p -> !p.isEmpty()).isPresent()) {
                toClear.add(featureId);
            }
        }
        if (expired == declared.size() && allPersonal) {
            return new Expired(id, true, List.of());
        }
        return toClear.isEmpty() ? null : new Expired(id, false, toClear);
    }

    @Override
    public List<String> export(DataSubject subject) {
        List<String> result = new ArrayList<>();
        if (subject.kind() == DataSubject.Kind.THING) {
            retrieve(subject.value()).ifPresent(thing -> result.add(thing.toJson().toString()));
            return result;
        }
        for (Thing thing : twin.list()) {
            // a thing the pseudonym identifies is exported whole, as a thing (see thingsOf)
            if (!subject.occursIn(thing.toJson().toString()) || named(thing, subject)) {
                continue;
            }
            JsonObject linked = JsonObject.newBuilder().set("thingId", thing.getEntityId().orElseThrow().toString())
                    .set("attributes", linkedParts(thing.getAttributes().map(a -> (JsonObject) a)
                            .orElse(JsonObject.empty()), subject))
                    .set("features", linkedParts(thing.getFeatures().map(f -> f.toJson())
                            .orElse(JsonObject.empty()), subject))
                    .build();
            result.add(linked.toString());
        }
        return result;
    }

    private static JsonObject linkedParts(JsonObject object, DataSubject subject) {
        JsonObject result = JsonObject.empty();
        for (var field : object) {
            if (subject.occursIn(field.getValue().toString())) {
                result = result.setValue(field.getKeyName(), field.getValue());
            }
        }
        return result;
    }

    /**
     * The things a pseudonym identifies: those with an attribute that contains it (a report's reporter). All of such a
     * thing's data is linked to the pseudonym, also in stores that never saw the pseudonym itself (the history of the
     * report's status).
     */
    List<DataSubject> thingsOf(DataSubject subject) {
        List<DataSubject> result = new ArrayList<>();
        if (subject.kind() != DataSubject.Kind.PSEUDONYM) {
            return result;
        }
        for (Thing thing : twin.list()) {
            if (named(thing, subject)) {
                result.add(DataSubject.thing(thing.getEntityId().orElseThrow().toString()));
            }
        }
        return result;
    }

    private static boolean named(Thing thing, DataSubject subject) {
        return thing.getAttributes().map(attributes -> {
            for (var field : attributes) {
                if (!field.getKeyName().equals("privacy") && subject.occursIn(field.getValue().toString())) {
                    return true;
                }
            }
            return false;
        }).orElse(false);
    }

    @Override
    public long erase(DataSubject subject) {
        long removed = 0;
        if (subject.kind() == DataSubject.Kind.THING) {
            if (retrieve(subject.value()).isPresent()) {
                try {
                    twin.delete(ThingId.of(subject.value()), ROOT, WriteCondition.any());
                    removed++;
                } catch (TwinNotFoundException e) {
                    // gone already
                }
            }
            return removed;
        }
        for (Thing thing : twin.list()) {
            if (!subject.occursIn(thing.toJson().toString())) {
                continue;
            }
            ThingId id = thing.getEntityId().orElseThrow();
            List<JsonPointer> parts = new ArrayList<>();
            thing.getFeatures().ifPresent(features -> features.forEach(feature -> {
                if (subject.occursIn(feature.toJson().toString())) {
                    parts.add(JsonPointer.of("/features/" + feature.getId()));
                }
            }));
            thing.getAttributes().ifPresent(attributes -> attributes.forEach(field -> {
                if (subject.occursIn(field.getValue().toString())) {
                    parts.add(JsonPointer.of("/attributes/" + field.getKeyName()));
                }
            }));
            for (JsonPointer part : parts) {
                try {
                    twin.delete(id, part, WriteCondition.any());
                    removed++;
                } catch (TwinNotFoundException e) {
                    // gone already
                }
            }
        }
        return removed;
    }

    private Optional<Thing> retrieve(String thingId) {
        try {
            return twin.retrieve(ThingId.of(thingId));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
