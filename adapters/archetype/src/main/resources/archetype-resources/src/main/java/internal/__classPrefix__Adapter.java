package ${package}.internal;

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
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * Maps {@code {"id":"s-1","value":42.5,"measuredAt":"2026-11-24T12:00:00Z","lat":51.44,"lon":5.48}} on
 * {@code ${adapterId}/<id>} to thing {@code <namespace>:${adapterId}-<id>} with feature {@code reading}. Only
 * {@code value} is required: the id defaults to the topic's last level, the time to the arrival time.
 */
final class ${classPrefix}Adapter implements SensorAdapter {

    static final String DOMAIN = "${domain}";
    static final String FEATURE = "reading";
    /** The thing fields this adapter writes: its privacy manifest. */
    static final List<String> FIELDS = List.of(
            "/attributes/" + HubConventions.ADAPTER,
            "/attributes/" + HubConventions.VENDOR,
            "/attributes/" + HubConventions.LOCATION,
            "/features/" + FEATURE + "/properties/value",
            "/features/" + FEATURE + "/properties/measuredAt");

    private final String topic;
    private final String namespace;

    ${classPrefix}Adapter(String topic, String namespace) {
        this.topic = topic;
        this.namespace = namespace;
    }

    @Override
    public Inbound inbound() {
        // QoS 1: readings published while the adapter is being upgraded are delivered afterwards
        return Inbound.mqtt(topic, 1);
    }

    @Override
    public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
        JsonObject reading = PayloadReader.jsonObject(message);
        double value = PayloadReader.requiredNumber(reading, "value");
        if (!Double.isFinite(value)) {
            throw new PayloadRejectedException("field 'value' must be a finite number, was " + value);
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
                .setId(ThingId.of(namespace, ${classPrefix}AdapterFactory.TYPE_ID + "-" + sensor))
                .setAttribute(JsonPointer.of(HubConventions.ADAPTER), JsonValue.of(${classPrefix}AdapterFactory.TYPE_ID))
                .setAttribute(JsonPointer.of(HubConventions.VENDOR), JsonValue.of(${classPrefix}AdapterFactory.TYPE.vendor()))
                .setFeature(ThingsModelFactory.newFeatureBuilder()
                        .properties(JsonObject.newBuilder()
                                .set("value", value)
                                .set("measuredAt", measuredAt.toString())
                                .build())
                        .withId(FEATURE)
                        .build());
        if (lat.isPresent()) {
            try {
                thing.setAttribute(JsonPointer.of(HubConventions.LOCATION),
                        HubConventions.location(lat.get(), lon.get()));
            } catch (IllegalArgumentException e) {
                throw new PayloadRejectedException("fields 'lat'/'lon': " + e.getMessage());
            }
        }
        return List.of(ThingUpdate.merge(thing.build()));
    }
}
