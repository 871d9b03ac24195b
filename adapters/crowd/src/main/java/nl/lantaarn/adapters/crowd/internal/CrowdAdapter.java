package nl.lantaarn.adapters.crowd.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
import nl.lantaarn.adapter.support.JsonFields;
import nl.lantaarn.adapter.support.Readings;
import nl.lantaarn.adapter.support.Texts;
import nl.lantaarn.things.model.FeatureDefinitions;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * Maps people counts to feature {@code crowd} of thing {@code <country>.<municipality>.crowd:crowd-<sensor>}. Accepts
 * the counter JSON of this adapter ({@code {"sensorId":"cc-7","count":142,"areaM2":400,"direction":"inbound",
 * "observedAt":"2026-11-23T21:15:00Z"}}), a FIWARE CrowdFlowObserved entity in key-values form (NGSI-v2, or NGSI-LD
 * with {@code @context}), and an NGSI notification carrying such entities in {@code data}. Payloads carrying a device
 * or person identifier are refused first (see {@link IdentifierGuard}).
 */
final class CrowdAdapter implements SensorAdapter {

    static final String DOMAIN = "crowd";
    static final String FEATURE = "crowd";
    static final String THING_PREFIX = "crowd-";
    static final String FIWARE_TYPE = "CrowdFlowObserved";

    static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    static final int MAX_ENTITIES = 100;
    static final long MAX_COUNT = 1_000_000;
    static final int MAX_VERTICES = 1000;
    static final int MAX_KNOWN_SENSORS = 10_000;
    static final double MAX_AREA_M2 = 10_000_000;
    static final double MAX_SPEED_KMH = 50;
    /** What sends the readings, for messages. */
    static final String DEVICE = "counter";
    /** How far a counter's clock may run ahead of the hub's before its observation time is not believed. */
    static final Duration MAX_CLOCK_AHEAD = Duration.ofMinutes(5);

    // the counter JSON
    static final String SENSOR_ID = "sensorId";
    static final String COUNT = "count";
    static final String DENSITY = "density";
    static final String AREA_M2 = "areaM2";
    static final String DIRECTION = "direction";
    static final String DISTANCING_RISK = "distancingRisk";
    static final String TECHNOLOGY = "technology";
    static final String LAT = "lat";
    static final String LON = "lon";
    static final String OBSERVED_AT = "observedAt";
    // FIWARE CrowdFlowObserved (key-values) and NGSI notifications
    static final String ID = "id";
    static final String TYPE = "type";
    static final String DATA = "data";
    static final String DATE_OBSERVED = "dateObserved";
    static final String DATE_OBSERVED_FROM = "dateObservedFrom";
    static final String DATE_OBSERVED_TO = "dateObservedTo";
    static final String PEOPLE_COUNT = "peopleCount";
    static final String PEOPLE_COUNT_TOWARDS = "peopleCountTowards";
    static final String PEOPLE_COUNT_AWAY = "peopleCountAway";
    static final String OCCUPANCY = "occupancy";
    static final String CONGESTED = "congested";
    static final String AVERAGE_HEADWAY_TIME = "averageHeadwayTime";
    static final String AVERAGE_CROWD_SPEED = "averageCrowdSpeed";
    static final String LOCATION = "location";

    /** Feature properties, each written on every observation (null when the observation lacks it). */
    static final List<String> PROPERTIES = List.of("count", "density", "direction", "distancingRisk", "observedAt",
            "countTowards", "countAway", "occupancy", "congested", "averageHeadwayTime", "averageCrowdSpeed",
            "units");
    static final String ATTRIBUTE_TECHNOLOGY = "technology";

    static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");
    static final List<String> TECHNOLOGIES = List.of("camera", "wifi", "bluetooth", "radar", "infrared", "lidar",
            "thermal");

    private static final JsonArray DEFINITION = JsonArray.of(JsonValue.of(FeatureDefinitions.CROWD_FLOW_OBSERVED));
    private static final JsonObject UNITS = JsonObject.newBuilder()
            .set("density", "persons/m²")
            .set("averageHeadwayTime", "s")
            .set("averageCrowdSpeed", "km/h")
            .build();

    /** One observation, whichever shape it came in; absent values are null. */
    private record Observation(String sensor, long count, Double density, String direction, DistancingRisk vendorRisk,
            Instant observedAt, JsonObject location, String technology, Long countTowards, Long countAway,
            Double occupancy, Boolean congested, Double averageHeadwayTime, Double averageCrowdSpeed) {
    }

    private final CrowdConfig config;
    private final IdentifierGuard guard = new IdentifierGuard();
    /** Per sensor, its thing id; not thread safe, as the hub calls the adapter one message at a time. */
    private final Map<String, ThingId> thingIds = new HashMap<>();

    CrowdAdapter(CrowdConfig config) {
        this.config = config;
    }

    @Override
    public Inbound inbound() {
        return Inbound.mqtt(config.topic().filter(), 1);
    }

    @Override
    public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
        if (message.payload().length > MAX_PAYLOAD_BYTES) {
            throw new PayloadRejectedException("payload is " + message.payload().length + " bytes, at most "
                    + MAX_PAYLOAD_BYTES + " are accepted");
        }
        JsonObject json = PayloadReader.jsonObject(message);
        guard.check(json);
        if (CrowdFields.contains(json, DATA)) {
            return notification(json, message);
        }
        if (CrowdFields.contains(json, TYPE)) {
            return List.of(update(fiware(json, message)));
        }
        return List.of(update(counter(json, message)));
    }

    /** An NGSI notification: {@code {"subscriptionId":"...","data":[entity, ...]}}. */
    private List<ThingUpdate> notification(JsonObject json, InboundMessage message) throws PayloadRejectedException {
        JsonValue data = CrowdFields.raw(json, DATA).orElseThrow();
        if (!data.isArray()) {
            throw new PayloadRejectedException("field '" + DATA + "' must be an array of CrowdFlowObserved entities "
                    + "(an NGSI notification)");
        }
        JsonArray entities = data.asArray();
        if (entities.getSize() > MAX_ENTITIES) {
            throw new PayloadRejectedException("field '" + DATA + "' holds " + entities.getSize() + " entities, at "
                    + "most " + MAX_ENTITIES + " are accepted in one notification");
        }
        List<ThingUpdate> updates = new ArrayList<>(entities.getSize());
        for (int i = 0; i < entities.getSize(); i++) {
            JsonValue entity = entities.get(i).orElseThrow();
            try {
                if (!entity.isObject()) {
                    throw new PayloadRejectedException("must be a CrowdFlowObserved entity object");
                }
                updates.add(update(fiware(entity.asObject(), message)));
            } catch (PayloadRejectedException e) {
                throw new PayloadRejectedException(DATA + "[" + i + "]: " + e.getMessage(), e);
            }
        }
        return updates;
    }

    /** A FIWARE CrowdFlowObserved entity in key-values form. */
    private Observation fiware(JsonObject entity, InboundMessage message) throws PayloadRejectedException {
        String type = CrowdFields.optionalString(entity, TYPE).orElse("");
        if (!type.equals(FIWARE_TYPE)) {
            throw new PayloadRejectedException("field '" + TYPE + "' must be " + FIWARE_TYPE + " (a FIWARE entity in "
                    + "key-values form), or absent (the counter JSON), was '" + Texts.abbreviate(type) + "'");
        }
        String id = CrowdFields.optionalString(entity, ID)
                .orElseThrow(() -> new PayloadRejectedException("field '" + ID + "' is missing: a FIWARE entity "
                        + "needs its id, e.g. urn:ngsi-ld:CrowdFlowObserved:stratumseind-1"));
        // urn:ngsi-ld:CrowdFlowObserved:stratumseind-1 names sensor stratumseind-1; a plain NGSI-v2 id is used as is
        String sensor = PayloadReader.deviceId(id.substring(id.lastIndexOf(':') + 1), "field '" + ID + "' (its last "
                + "':'-separated part)");
        long count = whole(entity, PEOPLE_COUNT).orElseThrow(() -> new PayloadRejectedException("field '"
                + PEOPLE_COUNT + "' is missing"));
        Instant observedAt = fiwareTime(entity, message);
        Double occupancy = CrowdFields.optionalNumber(entity, OCCUPANCY).orElse(null);
        if (occupancy != null && !(occupancy >= 0 && occupancy <= 1)) {
            throw new PayloadRejectedException("field '" + OCCUPANCY + "' must be a fraction between 0 and 1, was "
                    + occupancy);
        }
        return new Observation(sensor, count, density(entity, count), direction(entity), null, observedAt,
                geoJson(entity).orElse(null), null, whole(entity, PEOPLE_COUNT_TOWARDS).orElse(null),
                whole(entity, PEOPLE_COUNT_AWAY).orElse(null), occupancy,
                JsonFields.optionalBoolean(entity, CONGESTED, CONGESTED).orElse(null),
                nonNegative(entity, AVERAGE_HEADWAY_TIME, Double.MAX_VALUE, "s").orElse(null),
                nonNegative(entity, AVERAGE_CROWD_SPEED, MAX_SPEED_KMH, "km/h").orElse(null));
    }

    /** The counter JSON of this adapter. */
    private Observation counter(JsonObject json, InboundMessage message) throws PayloadRejectedException {
        String sensor = config.topic().sensorId(json, SENSOR_ID, message.origin());
        long count = whole(json, COUNT).orElseThrow(() -> new PayloadRejectedException("field '" + COUNT
                + "' is missing: the number of people counted"));
        Instant observedAt = CrowdFields.optionalInstant(json, OBSERVED_AT).orElse(message.receivedAt());
        Readings.checkNotAhead(observedAt, OBSERVED_AT, message, MAX_CLOCK_AHEAD, DEVICE);
        DistancingRisk vendorRisk = null;
        Optional<String> risk = CrowdFields.optionalString(json, DISTANCING_RISK);
        if (risk.isPresent()) {
            vendorRisk = DistancingRisk.parse(risk.get()).orElseThrow(() -> new PayloadRejectedException("field '"
                    + DISTANCING_RISK + "' must be one of " + DistancingRisk.ACCEPTED + ", was '"
                    + Texts.abbreviate(risk.get()) + "'"));
        }
        String technology = null;
        Optional<String> tech = CrowdFields.optionalString(json, TECHNOLOGY);
        if (tech.isPresent()) {
            technology = tech.get().trim().toLowerCase(Locale.ROOT);
            if (!TECHNOLOGIES.contains(technology)) {
                throw new PayloadRejectedException("field '" + TECHNOLOGY + "' must be one of "
                        + String.join(", ", TECHNOLOGIES) + ", was '" + Texts.abbreviate(tech.get()) + "'");
            }
        }
        return new Observation(sensor, count, density(json, count), direction(json), vendorRisk, observedAt,
                Readings.latLon(json, LAT, LON).orElse(null), technology, null, null, null, null, null, null);
    }

    private ThingUpdate update(Observation o) throws PayloadRejectedException {
        DistancingRisk risk = o.density() != null
                ? DistancingRisk.of(o.density(), config.lowRiskDensity(), config.highRiskDensity())
                : o.vendorRisk();
        JsonObjectBuilder attributes = JsonObject.newBuilder().set(CrowdFields.key(HubConventions.ADAPTER),
                CrowdAdapterFactory.TYPE_ID);
        if (o.location() != null) {
            attributes.set(CrowdFields.key(HubConventions.LOCATION), o.location());
        }
        if (o.technology() != null) {
            attributes.set(CrowdFields.key(ATTRIBUTE_TECHNOLOGY), o.technology());
        }
        // every property is written, null when absent, so that a merge leaves nothing of an older observation
        JsonObject properties = JsonObject.newBuilder()
                .set(CrowdFields.key("count"), o.count())
                .set(CrowdFields.key("density"), nullable(o.density()))
                .set(CrowdFields.key("direction"), text(o.direction()))
                .set(CrowdFields.key("distancingRisk"), text(risk == null ? null : risk.value()))
                .set(CrowdFields.key("observedAt"), o.observedAt().toString())
                .set(CrowdFields.key("countTowards"), nullable(o.countTowards()))
                .set(CrowdFields.key("countAway"), nullable(o.countAway()))
                .set(CrowdFields.key("occupancy"), nullable(o.occupancy()))
                .set(CrowdFields.key("congested"), o.congested() == null ? JsonValue.nullLiteral()
                        : JsonValue.of(o.congested()))
                .set(CrowdFields.key("averageHeadwayTime"), nullable(o.averageHeadwayTime()))
                .set(CrowdFields.key("averageCrowdSpeed"), nullable(o.averageCrowdSpeed()))
                .set(CrowdFields.key("units"), UNITS)
                .build();
        ThingId thingId = thingId(o.sensor());
        return ThingUpdate.merge(thingId, JsonObject.newBuilder()
                .set(CrowdFields.key("attributes"), attributes.build())
                .set(CrowdFields.key("features"), JsonObject.newBuilder()
                        .set(CrowdFields.key(FEATURE), JsonObject.newBuilder()
                                .set(CrowdFields.key("definition"), DEFINITION)
                                .set(CrowdFields.key("properties"), properties)
                                .build())
                        .build())
                .build());
    }

    /** The sensor's thing id, validated once per sensor (Ditto checks an id with a regular expression). */
    private ThingId thingId(String sensor) {
        ThingId known = thingIds.get(sensor);
        if (known == null) {
            known = HubConventions.thingId(config.country(), config.municipality(), DOMAIN, THING_PREFIX + sensor);
            if (thingIds.size() >= MAX_KNOWN_SENSORS) {
                thingIds.clear(); // bounded: a sender making up sensors cannot grow it
            }
            thingIds.put(sensor, known);
        }
        return known;
    }

    /** Persons/m²: field {@code density}, else {@code count / areaM2} when {@code areaM2} is given. */
    private static Double density(JsonObject json, long count) throws PayloadRejectedException {
        Optional<Double> density = CrowdFields.optionalNumber(json, DENSITY);
        Optional<Double> area = CrowdFields.optionalNumber(json, AREA_M2);
        if (area.isPresent() && !(area.get() > 0 && area.get() <= MAX_AREA_M2)) {
            throw new PayloadRejectedException("field '" + AREA_M2 + "' must be an area of more than 0 and at most "
                    + (long) MAX_AREA_M2 + " m², was " + area.get());
        }
        if (density.isPresent()) {
            if (!(density.get() >= 0 && density.get() <= CrowdConfig.MAX_DENSITY)) {
                throw new PayloadRejectedException("field '" + DENSITY + "' must be between 0 and "
                        + (int) CrowdConfig.MAX_DENSITY + " persons/m², was " + density.get());
            }
            return density.get();
        }
        if (area.isEmpty()) {
            return null;
        }
        double computed = Math.round(count / area.get() * 1000) / 1000.0;
        if (computed > CrowdConfig.MAX_DENSITY) {
            throw new PayloadRejectedException("fields '" + COUNT + "'/'" + AREA_M2 + "' give a density of "
                    + computed + " persons/m², more than " + (int) CrowdConfig.MAX_DENSITY + ": check the area");
        }
        return computed;
    }

    private static String direction(JsonObject json) throws PayloadRejectedException {
        Optional<String> direction = CrowdFields.optionalString(json, DIRECTION);
        if (direction.isPresent() && !DIRECTIONS.contains(direction.get())) {
            throw new PayloadRejectedException("field '" + DIRECTION + "' must be inbound or outbound (with respect "
                    + "to the city centre, as in FIWARE CrowdFlowObserved), was '" + Texts.abbreviate(direction.get())
                    + "'");
        }
        return direction.orElse(null);
    }

    /**
     * FIWARE's observation time: the end of the period ({@code dateObservedTo}, else the end of {@code dateObserved},
     * else {@code dateObservedFrom}). Every one present must be a valid time.
     */
    private static Instant fiwareTime(JsonObject entity, InboundMessage message) throws PayloadRejectedException {
        Instant observedAt = null;
        for (String field : List.of(DATE_OBSERVED_TO, DATE_OBSERVED, DATE_OBSERVED_FROM)) {
            Optional<String> text = CrowdFields.optionalString(entity, field);
            if (text.isPresent()) {
                String value = text.get();
                int slash = value.indexOf('/');
                if (slash >= 0) {
                    time(value.substring(0, slash), field);
                }
                // an ISO-8601 interval start/end: the observation is complete at its end
                Instant time = time(slash < 0 ? value : value.substring(slash + 1), field);
                Readings.checkNotAhead(time, field, message, MAX_CLOCK_AHEAD, DEVICE);
                if (observedAt == null) {
                    observedAt = time;
                }
            }
        }
        if (observedAt == null) {
            throw new PayloadRejectedException("field '" + DATE_OBSERVED + "' is missing: the time of the observation, "
                    + "ISO-8601 such as 2026-11-23T21:15:00Z");
        }
        return observedAt;
    }

    /** An ISO-8601 time with 'Z' or an offset, or without either (FIWARE says UTC). */
    private static Instant time(String text, String field) throws PayloadRejectedException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new PayloadRejectedException("field '" + field + "' must be an ISO-8601 time such as "
                    + "2026-11-23T21:15:00Z or an interval of two, was '" + Texts.abbreviate(text) + "'", e);
        }
    }

    /**
     * FIWARE's {@code location}: a GeoJSON Point as is; for a LineString, MultiPoint or Polygon the mean of its
     * vertices (outer ring), since the hub's {@code location} attribute is a point.
     */
    private static Optional<JsonObject> geoJson(JsonObject entity) throws PayloadRejectedException {
        Optional<JsonValue> value = CrowdFields.raw(entity, LOCATION).filter(v -> !v.isNull());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String field = "field '" + LOCATION + "'";
        if (!value.get().isObject()) {
            throw new PayloadRejectedException(field + " must be a GeoJSON geometry object");
        }
        JsonObject geometry = value.get().asObject();
        String type = CrowdFields.optionalString(geometry, TYPE).orElse("");
        JsonValue coordinates = CrowdFields.raw(geometry, "coordinates").orElse(JsonValue.nullLiteral());
        List<double[]> vertices = new ArrayList<>();
        switch (type) {
            case "Point" -> vertices.add(position(coordinates, field));
            case "LineString", "MultiPoint" -> positions(coordinates, field, vertices);
            case "Polygon" -> {
                if (!coordinates.isArray() || coordinates.asArray().isEmpty()) {
                    throw new PayloadRejectedException(field + ": a Polygon needs an array of rings of positions");
                }
                positions(coordinates.asArray().get(0).orElseThrow(), field, vertices);
                if (vertices.size() > 1 && vertices.get(0)[0] == vertices.get(vertices.size() - 1)[0]
                        && vertices.get(0)[1] == vertices.get(vertices.size() - 1)[1]) {
                    vertices.remove(vertices.size() - 1); // the closing position repeats the first
                }
            }
            default -> throw new PayloadRejectedException(field + " must be a GeoJSON Point, LineString, MultiPoint or "
                    + "Polygon, was '" + Texts.abbreviate(type) + "'");
        }
        double lon = 0;
        double lat = 0;
        for (double[] vertex : vertices) {
            lon += vertex[0];
            lat += vertex[1];
        }
        return Optional.of(point(round7(lat / vertices.size()), round7(lon / vertices.size()), field));
    }

    private static void positions(JsonValue value, String field, List<double[]> into) throws PayloadRejectedException {
        if (!value.isArray() || value.asArray().isEmpty()) {
            throw new PayloadRejectedException(field + ": coordinates must be a non-empty array of positions");
        }
        if (value.asArray().getSize() > MAX_VERTICES) {
            throw new PayloadRejectedException(field + " has " + value.asArray().getSize() + " positions, at most "
                    + MAX_VERTICES + " are accepted");
        }
        for (JsonValue position : value.asArray()) {
            into.add(position(position, field));
        }
    }

    private static double[] position(JsonValue value, String field) throws PayloadRejectedException {
        if (!value.isArray() || value.asArray().getSize() < 2 || !value.asArray().get(0).orElseThrow().isNumber()
                || !value.asArray().get(1).orElseThrow().isNumber()) {
            throw new PayloadRejectedException(field + ": a position must be [longitude, latitude], was "
                    + Texts.abbreviate(value.toString()));
        }
        return new double[] {value.asArray().get(0).orElseThrow().asDouble(),
            value.asArray().get(1).orElseThrow().asDouble()};
    }

    private static JsonObject point(double lat, double lon, String field) throws PayloadRejectedException {
        try {
            return HubConventions.location(lat, lon);
        } catch (IllegalArgumentException e) {
            throw new PayloadRejectedException(field + ": " + e.getMessage());
        }
    }

    private static Optional<Long> whole(JsonObject json, String field) throws PayloadRejectedException {
        Optional<JsonValue> raw = CrowdFields.raw(json, field).filter(v -> !v.isNull());
        if (raw.isPresent() && raw.get().isObject() && CrowdFields.contains(raw.get().asObject(), "value")) {
            throw new PayloadRejectedException("field '" + field + "' is an object with a 'value': normalized NGSI is "
                    + "not accepted; send key-values (NGSI-v2 options=keyValues, NGSI-LD simplified)");
        }
        Optional<Double> value = CrowdFields.optionalNumber(json, field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        double number = value.get();
        if (number != Math.rint(number) || number < 0 || number > MAX_COUNT) {
            throw new PayloadRejectedException("field '" + field + "' must be a whole number from 0 to " + MAX_COUNT
                    + ", was " + Texts.number(number));
        }
        return Optional.of((long) number);
    }

    private static Optional<Double> nonNegative(JsonObject json, String field, double max, String unit)
            throws PayloadRejectedException {
        Optional<Double> value = CrowdFields.optionalNumber(json, field);
        if (value.isPresent() && !(value.get() >= 0 && value.get() <= max)) {
            throw new PayloadRejectedException("field '" + field + "' must be " + (max == Double.MAX_VALUE
                    ? "at least 0 " + unit : "between 0 and " + Texts.number(max) + " " + unit) + ", was "
                    + value.get());
        }
        return value;
    }

    private static JsonValue nullable(Double value) {
        return value == null ? JsonValue.nullLiteral() : JsonValue.of(value.doubleValue());
    }

    private static JsonValue nullable(Long value) {
        return value == null ? JsonValue.nullLiteral() : JsonValue.of(value.longValue());
    }

    private static JsonValue text(String value) {
        return value == null ? JsonValue.nullLiteral() : JsonValue.of(value);
    }

    private static double round7(double value) {
        return Math.round(value * 1e7) / 1e7;
    }
}
