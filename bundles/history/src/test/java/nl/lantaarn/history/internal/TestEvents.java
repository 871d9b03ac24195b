package nl.lantaarn.history.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;

import nl.lantaarn.twin.api.TwinEvent;

/** Twin events as the twin raises them, built by hand, and a clock the test moves. */
final class TestEvents {

    static final String NOISE = "org.fiware.smartdatamodels:NoiseLevelObserved:1.0.0";
    static final String LIGHT = "org.fiware.smartdatamodels:Streetlight:1.0.0";

    private TestEvents() {
    }

    /** A noise sensor's thing with one reading, as {@code ThingCreated}. */
    static TwinEvent created(ThingId id, double laeq, Instant at) {
        Thing thing = ThingsModelFactory.newThing(JsonObject.newBuilder()
                .set("thingId", id.toString())
                .set("attributes", JsonObject.of("{\"adapter\":\"demo-noise\"}"))
                .set("features", JsonObject.newBuilder().set("noise", JsonObject.newBuilder()
                        .set("definition", org.eclipse.ditto.json.JsonArray.of(JsonValue.of(NOISE)))
                        .set("properties", JsonObject.newBuilder().set("laeq", laeq)
                                .set("units", JsonObject.of("{\"laeq\":\"dB(A)\"}")).build())
                        .build()).build())
                .build()).toBuilder().setRevision(1).setModified(at).build();
        return new TwinEvent(ThingCreated.of(thing, 1, at, DittoHeaders.empty(), null), thing);
    }

    /** A merge patch on {@code before} at the thing's root, as {@code ThingMerged}. */
    static TwinEvent merged(Thing before, JsonObject patch, Instant at) {
        long revision = before.getRevision().orElseThrow().toLong() + 1;
        Thing after = ThingsModelFactory.newThing(JsonMergePatch.of(patch).applyOn(before.toJson()).asObject())
                .toBuilder().setRevision(revision).setModified(at).build();
        return new TwinEvent(ThingMerged.of(before.getEntityId().orElseThrow(), JsonPointer.empty(), patch, revision, at,
                DittoHeaders.empty(), null), after);
    }

    /** A new laeq reading on the thing of {@code previous}. */
    static TwinEvent reading(TwinEvent previous, double laeq, Instant at) {
        return merged(previous.thing(), JsonObject.of("{\"features\":{\"noise\":{\"properties\":{\"laeq\":" + laeq
                + "}}}}"), at);
    }

    /** A clock that stands still until the test moves it. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
