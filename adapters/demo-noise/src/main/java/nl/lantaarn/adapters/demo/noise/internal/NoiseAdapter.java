package nl.lantaarn.adapters.demo.noise.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
 * Maps simulated sound-level readings, {@code {"id":"n-7","laeq":72.4,"measuredAt":"2026-11-23T21:14:05Z","lat":51.44,"lon":5.48}}
 * on {@code sim/noise/<id>}, to thing {@code nl.demo.safety:noise-<id>} with feature {@code noise}. Holds nothing
 * between payloads.
 */
final class NoiseAdapter implements SensorAdapter {

    static final String NAMESPACE = "nl.demo.safety";
    static final String FEATURE = "noise";

    private final String instanceId;
    private final Inbound inbound;

    /**
     * @param instanceId written to the things' {@code adapter} attribute
     * @param inbound    where the readings come from
     */
    NoiseAdapter(String instanceId, Inbound inbound) {
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
        double laeq = PayloadReader.requiredNumber(reading, "laeq");
        if (laeq < 0 || laeq > 200) {
            throw new PayloadRejectedException("field 'laeq' must be a sound level between 0 and 200 dB(A), was " + laeq);
        }
        String sensor = PayloadReader.deviceId(
                PayloadReader.optionalString(reading, "id").orElse(message.lastTopicLevel()), "sensor id");
        Instant measuredAt = PayloadReader.optionalInstant(reading, "measuredAt").orElse(message.receivedAt());
        Optional<Double> lat = PayloadReader.optionalNumber(reading, "lat");
        Optional<Double> lon = PayloadReader.optionalNumber(reading, "lon");
        if (lat.isPresent() != lon.isPresent()) {
            throw new PayloadRejectedException("fields 'lat' and 'lon' must be given together");
        }

        var thing = Thing.newBuilder()
                .setId(ThingId.of(NAMESPACE, "noise-" + sensor))
                .setAttribute(JsonPointer.of(HubConventions.ADAPTER), JsonValue.of(instanceId))
                .setFeature(ThingsModelFactory.newFeatureBuilder()
                        .properties(JsonObject.newBuilder()
                                .set("laeq", laeq)
                                .set("measuredAt", measuredAt.toString())
                                .set("units", JsonObject.newBuilder().set("laeq", "dB(A)").build())
                                .build())
                        .definition(FeatureDefinitions.of(FeatureDefinitions.NOISE_LEVEL_OBSERVED))
                        .withId(FEATURE)
                        .build());
        if (lat.isPresent()) {
            try {
                thing.setAttribute(JsonPointer.of(HubConventions.LOCATION), HubConventions.location(lat.get(), lon.get()));
            } catch (IllegalArgumentException e) {
                throw new PayloadRejectedException("fields 'lat'/'lon': " + e.getMessage());
            }
        }
        return List.of(ThingUpdate.merge(thing.build()));
    }
}
