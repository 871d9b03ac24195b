package nl.lantaarn.adapters.crowd.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.support.JsonFields;
import nl.lantaarn.adapter.support.Texts;
import nl.lantaarn.adapter.support.Times;
import nl.lantaarn.things.model.HubConventions;

/**
 * {@link PayloadReader}'s top-level readers with the same messages, for the fields this adapter reads: Ditto parses a
 * field name as a JSON pointer on every look-up, so the pointers are made once here. Stateless and thread safe.
 */
final class CrowdFields {

    /** The pointer of each field name this adapter reads; filled once, read only afterwards. */
    private static final Map<String, JsonPointer> POINTERS = pointers(CrowdAdapter.SENSOR_ID, CrowdAdapter.COUNT,
            CrowdAdapter.DENSITY, CrowdAdapter.AREA_M2, CrowdAdapter.DIRECTION, CrowdAdapter.DISTANCING_RISK,
            CrowdAdapter.TECHNOLOGY, CrowdAdapter.LAT, CrowdAdapter.LON, CrowdAdapter.OBSERVED_AT, CrowdAdapter.ID,
            CrowdAdapter.TYPE, CrowdAdapter.DATA, CrowdAdapter.DATE_OBSERVED, CrowdAdapter.DATE_OBSERVED_FROM,
            CrowdAdapter.DATE_OBSERVED_TO, CrowdAdapter.PEOPLE_COUNT, CrowdAdapter.PEOPLE_COUNT_TOWARDS,
            CrowdAdapter.PEOPLE_COUNT_AWAY, CrowdAdapter.OCCUPANCY, CrowdAdapter.CONGESTED,
            CrowdAdapter.AVERAGE_HEADWAY_TIME, CrowdAdapter.AVERAGE_CROWD_SPEED, CrowdAdapter.LOCATION, "coordinates",
            "value",
            // written
            "attributes", "features", "definition", "properties", "countTowards", "countAway",
            "distancingRisk", "averageHeadwayTime", "averageCrowdSpeed", "units", HubConventions.ADAPTER,
            HubConventions.LOCATION, CrowdAdapter.ATTRIBUTE_TECHNOLOGY, CrowdAdapter.FEATURE);

    private CrowdFields() {
        throw new AssertionError("no instances");
    }

    /**
     * The field name as a pointer, for {@code JsonObjectBuilder.set}, which parses any other name as a pointer on each
     * call; a one-level pointer sets the top-level field of that name.
     */
    static JsonPointer key(String name) {
        JsonPointer pointer = POINTERS.get(name);
        return pointer == null ? JsonPointer.of(name) : pointer;
    }

    /** The value of a field, JSON null included. */
    static Optional<JsonValue> raw(JsonObject json, String field) {
        JsonPointer pointer = POINTERS.get(field);
        return pointer == null ? json.getValue(field) : json.getValue(pointer);
    }

    static boolean contains(JsonObject json, String field) {
        JsonPointer pointer = POINTERS.get(field);
        return pointer == null ? json.contains(field) : json.contains(pointer);
    }

    /** As {@link PayloadReader#optionalNumber}. */
    static Optional<Double> optionalNumber(JsonObject json, String field) throws PayloadRejectedException {
        Optional<JsonValue> found = raw(json, field);
        if (found.isEmpty() || found.get().isNull()) {
            return Optional.empty();
        }
        JsonValue value = found.get();
        if (!value.isNumber()) {
            throw new PayloadRejectedException("field '" + field + "' must be a number, was " + JsonFields.kind(value)
                    + " " + Texts.abbreviate(value.toString()));
        }
        double number = value.asDouble();
        if (!Double.isFinite(number)) {
            throw new PayloadRejectedException("field '" + field + "' must be a finite number, was "
                    + Texts.abbreviate(value.toString()));
        }
        return Optional.of(number);
    }

    /** As {@link PayloadReader#optionalString}. */
    static Optional<String> optionalString(JsonObject json, String field) throws PayloadRejectedException {
        Optional<JsonValue> found = raw(json, field);
        if (found.isEmpty() || found.get().isNull()) {
            return Optional.empty();
        }
        if (!found.get().isString()) {
            throw new PayloadRejectedException("field '" + field + "' must be a string, was "
                    + JsonFields.kind(found.get()));
        }
        return Optional.of(found.get().asString());
    }

    /** As {@link PayloadReader#optionalInstant}. */
    static Optional<Instant> optionalInstant(JsonObject json, String field) throws PayloadRejectedException {
        Optional<String> text = optionalString(json, field);
        return text.isEmpty() ? Optional.empty() : Optional.of(Times.instant(text.get(), field));
    }

    private static Map<String, JsonPointer> pointers(String... fields) {
        Map<String, JsonPointer> pointers = new HashMap<>();
        for (String field : fields) {
            pointers.put(field, JsonPointer.of(field));
        }
        return Map.copyOf(pointers);
    }
}
