package nl.lantaarn.adapters.demo.crowd.internal;

import java.time.Instant;
import java.util.List;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.FeatureDefinitions;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * Maps simulated people counters, {@code {"id":"c-1","count":120,"measuredAt":"2026-11-23T21:14:05Z"}} on
 * {@code sim/crowd/<id>}, to thing {@code nl.demo.crowd:crowd-<id>} with feature {@code crowd}. Counts only, never
 * identities.
 */
final class CrowdAdapter implements SensorAdapter {

    static final String FEATURE = "crowd";

    private final String instanceId;
    private final Inbound inbound;

    CrowdAdapter(String instanceId, Inbound inbound) {
        this.instanceId = instanceId;
        this.inbound = inbound;
    }

    @Override
    public Inbound inbound() {
        return inbound;
    }

    @Override
    public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
        JsonObject reading = PayloadReader.jsonObject(message);
        double count = PayloadReader.requiredNumber(reading, "count");
        if (count < 0 || count != Math.rint(count)) {
            throw new PayloadRejectedException("field 'count' must be a whole number of people >= 0, was " + count);
        }
        String sensor = PayloadReader.deviceId(
                PayloadReader.optionalString(reading, "id").orElse(message.lastTopicLevel()), "sensor id");
        Instant measuredAt = PayloadReader.optionalInstant(reading, "measuredAt").orElse(message.receivedAt());
        Thing thing = Thing.newBuilder()
                .setId(ThingId.of("nl.demo.crowd", "crowd-" + sensor))
                .setAttribute(JsonPointer.of(HubConventions.ADAPTER), JsonValue.of(instanceId))
                .setFeature(ThingsModelFactory.newFeatureBuilder()
                        .properties(JsonObject.newBuilder()
                                .set("count", (long) count)
                                .set("measuredAt", measuredAt.toString())
                                .build())
                        .definition(FeatureDefinitions.of(FeatureDefinitions.CROWD_FLOW_OBSERVED))
                        .withId(FEATURE)
                        .build())
                .build();
        return List.of(ThingUpdate.merge(thing));
    }
}
