package nl.lantaarn.routing.internal;

import java.time.Instant;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;

import nl.lantaarn.things.model.FeatureDefinitions;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.twin.api.TwinEvent;

/** Real Ditto things and events as the twin emits them. */
final class TestThings {

    static final ThingId POLE = ThingId.of("nl.eindhoven.safety:stratumseind-12");
    static final ThingId LAMP = ThingId.of("nl.eindhoven.lighting:lamppost-0042");

    private TestThings() {
    }

    /** A thing with a noise feature and a location. */
    static Thing noiseThing(ThingId id, double laeq, long revision) {
        return ThingsModelFactory.newThingBuilder()
                .setId(id)
                .setAttribute(JsonPointer.of(HubConventions.LOCATION), HubConventions.location(51.4416, 5.4697))
                .setFeature(ThingsModelFactory.newFeatureBuilder()
                        .definition(FeatureDefinitions.of(FeatureDefinitions.NOISE_LEVEL_OBSERVED))
                        .properties(noiseProperties(laeq))
                        .withId("noise")
                        .build())
                .setRevision(revision)
                .build();
    }

    static JsonObject noiseProperties(double laeq) {
        return JsonObject.newBuilder()
                .set("laeq", laeq)
                .set("measuredAt", "2026-11-21T23:14:05Z")
                .build();
    }

    static TwinEvent created(Thing thing) {
        ThingCreated event = ThingCreated.of(thing, thing.getRevision().orElseThrow().toLong(), Instant.now(),
                DittoHeaders.empty(), null);
        return new TwinEvent(event, thing);
    }

    /** The twin's event for merging {@code value} at {@code path}; {@code after} is the thing after the merge. */
    static TwinEvent merged(Thing after, String path, JsonValue value) {
        ThingMerged event = ThingMerged.of(after.getEntityId().orElseThrow(), JsonPointer.of(path), value,
                after.getRevision().orElseThrow().toLong(), Instant.now(), DittoHeaders.empty(), null);
        return new TwinEvent(event, after);
    }
}
