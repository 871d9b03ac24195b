package nl.lantaarn.adapters.soundevents.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.adapter.support.Readings;
import nl.lantaarn.adapter.support.Texts;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * Maps one acoustic event detection,
 * {@code {"sensorId":"se-12","eventType":"gunshot","confidence":0.91,"peakDb":112.5,"lat":51.44,"lon":5.48,
 * "detectedAt":"2026-11-23T23:41:07.250Z"}}, to feature {@code gunshot} of thing
 * {@code <country>.<municipality>.safety:sound-se-12}. Payloads carrying audio are refused first (see
 * {@link AudioGuard}).
 */
final class SoundEventsAdapter implements SensorAdapter {

    static final String DOMAIN = "safety";
    static final String THING_PREFIX = "sound-";
    /** No FIWARE Smart Data Model describes a single acoustic event; this names the feature shape of this adapter. */
    static final String DEFINITION = "nl.lantaarn:SoundEvent:1.0.0";

    static final String SENSOR_ID = "sensorId";
    static final String EVENT_TYPE = "eventType";
    static final String CONFIDENCE = "confidence";
    static final String PEAK_DB = "peakDb";
    static final String COUNT = "count";
    static final String LAT = "lat";
    static final String LON = "lon";
    static final String DETECTED_AT = "detectedAt";

    /** Feature properties. */
    static final String P_CONFIDENCE = "confidence";
    static final String P_PEAK_LEVEL = "peakLevel";
    static final String P_DETECTED_AT = "detectedAt";
    static final String P_COUNT = "count";
    static final String P_UNITS = "units";

    static final double MAX_PEAK_DB = 200.0;
    static final int MAX_COUNT = 1000;
    /** How far a sensor's clock may run ahead of the hub's before its detection time is not believed. */
    static final Duration MAX_CLOCK_AHEAD = Duration.ofMinutes(5);

    private static final JsonArray DEFINITION_JSON = JsonArray.of(JsonValue.of(DEFINITION));
    private static final JsonObject UNITS = JsonObject.newBuilder().set(P_PEAK_LEVEL, "dB(A)").build();

    private final SoundEventsConfig config;
    private final AudioGuard guard = new AudioGuard();

    SoundEventsAdapter(SoundEventsConfig config) {
        this.config = config;
    }

    @Override
    public Inbound inbound() {
        return Inbound.mqtt(config.topic().filter(), 1);
    }

    @Override
    public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
        AudioGuard.checkSize(message.payload().length);
        JsonObject event = PayloadReader.jsonObject(message);
        guard.check(event);

        String sensor = config.topic().sensorId(event, SENSOR_ID, message.origin());
        String typeName = PayloadReader.optionalString(event, EVENT_TYPE)
                .orElseThrow(() -> new PayloadRejectedException("field '" + EVENT_TYPE + "' is missing; accepted: "
                        + SoundEventType.ACCEPTED));
        SoundEventType type = SoundEventType.parse(typeName)
                .orElseThrow(() -> new PayloadRejectedException("field '" + EVENT_TYPE + "': '"
                        + Texts.abbreviate(typeName) + "' is not an accepted event type; accepted: "
                        + SoundEventType.ACCEPTED));
        double confidence = PayloadReader.requiredNumber(event, CONFIDENCE);
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new PayloadRejectedException("field '" + CONFIDENCE + "' must be between 0 and 1, was "
                    + confidence);
        }
        double peak = PayloadReader.requiredNumber(event, PEAK_DB);
        if (!(peak >= 0 && peak <= MAX_PEAK_DB)) {
            throw new PayloadRejectedException("field '" + PEAK_DB + "' must be a sound level between 0 and "
                    + (int) MAX_PEAK_DB + " dB(A), was " + peak);
        }
        long count = count(event);
        Instant detectedAt = PayloadReader.optionalInstant(event, DETECTED_AT)
                .orElseThrow(() -> new PayloadRejectedException("field '" + DETECTED_AT + "' is missing: an event "
                        + "needs the time of detection, ISO-8601 UTC such as 2026-11-23T23:41:07Z"));
        Readings.checkNotAhead(detectedAt, DETECTED_AT, message, MAX_CLOCK_AHEAD, "sensor");
        Optional<JsonObject> location = Readings.latLon(event, LAT, LON);

        ThingId thingId = HubConventions.thingId(config.country(), config.municipality(), DOMAIN,
                THING_PREFIX + sensor);
        JsonObjectBuilder attributes = JsonObject.newBuilder()
                .set(HubConventions.ADAPTER, SoundEventsAdapterFactory.TYPE_ID);
        location.ifPresent(point -> attributes.set(HubConventions.LOCATION, point));
        JsonObject properties = JsonObject.newBuilder()
                .set(P_CONFIDENCE, confidence)
                .set(P_PEAK_LEVEL, peak)
                .set(P_DETECTED_AT, detectedAt.toString())
                .set(P_COUNT, count)
                .set(P_UNITS, UNITS)
                .build();
        JsonObject patch = JsonObject.newBuilder()
                .set("attributes", attributes.build())
                .set("features", JsonObject.newBuilder()
                        .set(type.feature(), JsonObject.newBuilder()
                                .set("definition", DEFINITION_JSON)
                                .set("properties", properties)
                                .build())
                        .build())
                .build();
        return List.of(ThingUpdate.merge(thingId, patch));
    }

    private static long count(JsonObject event) throws PayloadRejectedException {
        Optional<Double> count = PayloadReader.optionalNumber(event, COUNT);
        if (count.isEmpty()) {
            return 1;
        }
        double value = count.get();
        if (value != Math.rint(value) || value < 1 || value > MAX_COUNT) {
            throw new PayloadRejectedException("field '" + COUNT + "' must be a whole number from 1 to " + MAX_COUNT
                    + " (occurrences in this detection), was " + Texts.number(value));
        }
        return (long) value;
    }
}
