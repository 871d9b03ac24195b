package nl.lantaarn.adapters.ttn.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
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
import nl.lantaarn.adapter.support.JsonTree;
import nl.lantaarn.adapter.support.Texts;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * Maps The Things Stack v3 uplinks ({@code v3/<application>@<tenant>/devices/<device>/up}) to thing updates, by the
 * instance's per-application mapping of decoded-payload fields to feature properties. Each device becomes the thing
 * {@code <cc>.<municipality>.<domain>:<application>-<device>}, one per domain its application maps to.
 * <p>
 * Called one message at a time (see {@link SensorAdapter}); the only state is the {@link FrameCounters}.
 */
final class TtnAdapter implements SensorAdapter {

    static final String MEASURED_AT = "measuredAt";
    static final String UNITS = "units";
    static final String SIMULATED = "simulated";
    static final String LORAWAN = "lorawan";

    /** Largest uplink accepted; one with a hundred gateways in rx_metadata stays well below. */
    static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    /** Longest decoded string value copied into a property. */
    static final int MAX_STRING_LENGTH = 256;
    /** Largest magnitude of a decoded number: beyond it a double no longer holds whole numbers exactly. */
    static final double MAX_MAGNITUDE = 1e15;

    // v3/{application id}[@{tenant id}]/devices/{device id}/up
    private static final String TOPIC_START = "v3/";
    private static final String TOPIC_DEVICES = "/devices/";
    private static final String TOPIC_END = "/up";

    private final String adapterId;
    private final TtnConfig config;
    private final FrameCounters counters;
    private final ThingIds thingIds;
    /** Per feature, its definition as written into each update. */
    private final Map<String, JsonArray> definitions = new HashMap<>();
    private final JsonValue adapterIdValue;

    TtnAdapter(String adapterId, TtnConfig config) {
        this.adapterId = adapterId;
        this.config = config;
        this.counters = new FrameCounters(config.maxDevices(), config.resetGap());
        this.thingIds = new ThingIds(config.country(), config.municipality(), config.maxDevices());
        config.definitions().forEach((feature, definition) ->
                definitions.put(feature, JsonArray.of(JsonValue.of(definition))));
        this.adapterIdValue = JsonValue.of(adapterId);
    }

    @Override
    public Inbound inbound() {
        return Inbound.mqtt(config.topic(), 1);
    }

    @Override
    public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
        byte[] payload = message.payload();
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new PayloadRejectedException("payload has " + payload.length + " bytes, more than the "
                    + MAX_PAYLOAD_BYTES + " an uplink of The Things Stack can have");
        }
        String text = Fields.checkEncodingAndDepth(payload);
        Map<String, Object> up = JsonTree.parseObject(message, text);

        Map<String, Object> ids = JsonTree.requiredObject(up, "end_device_ids", "end_device_ids");
        String device = PayloadReader.deviceId(JsonTree.requiredString(ids, "device_id", "end_device_ids.device_id"),
                "field 'end_device_ids.device_id'");
        String application = PayloadReader.deviceId(JsonTree.requiredString(
                JsonTree.requiredObject(ids, "application_ids", "end_device_ids.application_ids"), "application_id",
                "end_device_ids.application_ids.application_id"), "field 'end_device_ids.application_ids.application_id'");
        checkTopic(message.origin(), application, device);

        Map<String, Object> uplink = JsonTree.optionalObject(up, "uplink_message", "uplink_message");
        if (uplink == null) {
            throw new PayloadRejectedException("field 'uplink_message' is missing: only uplink messages can be "
                    + "mapped; subscribe to .../up topics only (setting 'topic' in " + config.configFile() + ")");
        }
        List<FieldMapping> mappings = config.mappings().get(application);
        if (mappings == null) {
            throw new PayloadRejectedException("application '" + application + "' has no mapping: add "
                    + TtnConfig.MAPPING + application + ".<decodedField> = <domain>:<feature>.<property>[:<unit>] "
                    + "to " + config.configFile());
        }
        Map<String, Object> decoded = JsonTree.optionalObject(uplink, "decoded_payload",
                "uplink_message.decoded_payload");
        if (decoded == null) {
            throw new PayloadRejectedException("field 'uplink_message.decoded_payload' is missing: set an uplink "
                    + "payload formatter for application '" + application + "' (or its devices) in The Things Stack; "
                    + "the hub does not decode frm_payload");
        }
        long frameCounter = Fields.unsigned32(uplink, "f_cnt", "uplink_message.f_cnt");
        String session = JsonTree.optionalString(uplink, "session_key_id", "uplink_message.session_key_id");
        session = session == null ? null : boundedSession(session);
        // The Things Stack leaves out false
        boolean simulated = JsonTree.optionalBoolean(up, SIMULATED, SIMULATED).orElse(false);
        // when the network server received it is closest to when it was measured; then when the application server did
        Optional<Instant> networkTime = JsonTree.optionalInstant(uplink, "received_at", "uplink_message.received_at");
        Optional<Instant> applicationTime = JsonTree.optionalInstant(up, "received_at", "received_at");
        Instant measuredAt = networkTime.or(() -> applicationTime).orElse(message.receivedAt());
        JsonValue measuredAtText = JsonValue.of(measuredAt.toString());

        Map<String, Map<String, JsonObjectBuilder>> byDomain = properties(application, mappings, decoded);
        JsonObject attributes = attributes(ids, uplink, application, device, simulated);
        String name = application + "-" + device;
        List<ThingUpdate> updates = new ArrayList<>(byDomain.size());
        for (Map.Entry<String, Map<String, JsonObjectBuilder>> domain : byDomain.entrySet()) {
            ThingId thingId = thingIds.get(domain.getKey(), name, application, device);
            JsonObjectBuilder features = JsonFactory.newObjectBuilder();
            for (Map.Entry<String, JsonObjectBuilder> feature : domain.getValue().entrySet()) {
                JsonObjectBuilder featureJson = JsonFactory.newObjectBuilder();
                JsonArray definition = definitions.get(feature.getKey());
                if (definition != null) {
                    featureJson.set("definition", definition);
                }
                JsonObject properties = feature.getValue().set(MEASURED_AT, measuredAtText).build();
                featureJson.set("properties", properties);
                features.set(feature.getKey(), featureJson.build());
            }
            updates.add(ThingUpdate.merge(thingId, JsonFactory.newObjectBuilder()
                    .set("attributes", attributes)
                    .set("features", features.build())
                    .build()));
        }
        // checked last, so that a repeat is validated like any uplink
        String deviceKey = application + "/" + device;
        if (counters.isRepeat(deviceKey, frameCounter, session)) {
            return List.of();
        }
        counters.applied(deviceKey, frameCounter, session);
        return updates;
    }

    /** The session id as remembered per device: real ones are 24 characters; longer ones are kept as a hash. */
    private static String boundedSession(String session) {
        return session.length() <= 64 ? session : "#" + session.length() + ":" + session.hashCode();
    }

    private void checkTopic(String origin, String application, String device) throws PayloadRejectedException {
        // v3/{application id}[@{tenant id}]/devices/{device id}/up, read without a regular expression (hot path)
        if (!origin.startsWith(TOPIC_START) || !origin.endsWith(TOPIC_END)) {
            return; // another topic layout (or a replayed file): the payload's ids are all there is
        }
        int applicationEnd = origin.indexOf('/', TOPIC_START.length());
        if (applicationEnd < 0 || !origin.startsWith(TOPIC_DEVICES, applicationEnd)) {
            return;
        }
        int tenant = origin.indexOf('@', TOPIC_START.length());
        int nameEnd = tenant >= 0 && tenant < applicationEnd ? tenant : applicationEnd;
        int deviceStart = applicationEnd + TOPIC_DEVICES.length();
        int deviceEnd = origin.length() - TOPIC_END.length();
        if (nameEnd == TOPIC_START.length() || nameEnd == applicationEnd - 1 || deviceEnd <= deviceStart
                || origin.indexOf('/', deviceStart) < deviceEnd) {
            return; // empty application, tenant or device, or more levels
        }
        // a publisher may only speak for the device its topic names
        String topicApplication = origin.substring(TOPIC_START.length(), nameEnd);
        if (!topicApplication.equals(application)) {
            throw new PayloadRejectedException("field 'end_device_ids.application_ids.application_id' is '"
                    + application + "' but the topic names application '" + Texts.abbreviate(topicApplication) + "'");
        }
        String topicDevice = origin.substring(deviceStart, deviceEnd);
        if (!topicDevice.equals(device)) {
            throw new PayloadRejectedException("field 'end_device_ids.device_id' is '" + device
                    + "' but the topic names device '" + Texts.abbreviate(topicDevice) + "'");
        }
    }

    /** The mapped properties, per domain and feature, in the order of the mappings. */
    private static Map<String, Map<String, JsonObjectBuilder>> properties(String application,
            List<FieldMapping> mappings, Map<String, Object> decoded) throws PayloadRejectedException {
        Map<String, Map<String, JsonObjectBuilder>> byDomain = new LinkedHashMap<>();
        Map<String, Map<String, JsonObjectBuilder>> units = new LinkedHashMap<>();
        for (FieldMapping mapping : mappings) {
            Optional<JsonValue> value = decodedValue(decoded, mapping);
            if (value.isEmpty()) {
                continue; // devices send different fields in different frames
            }
            byDomain.computeIfAbsent(mapping.domain(), d -> new LinkedHashMap<>())
                    .computeIfAbsent(mapping.feature(), f -> JsonFactory.newObjectBuilder())
                    .set(mapping.property(), value.get());
            mapping.unit().ifPresent(unit -> units.computeIfAbsent(mapping.domain(), d -> new LinkedHashMap<>())
                    .computeIfAbsent(mapping.feature(), f -> JsonFactory.newObjectBuilder())
                    .set(mapping.property(), unit));
        }
        if (byDomain.isEmpty()) {
            List<String> mapped = mappings.stream().map(FieldMapping::field).toList();
            throw new PayloadRejectedException("field 'uplink_message.decoded_payload' has none of the fields mapped "
                    + "for application '" + application + "' " + mapped + "; it has "
                    + Texts.abbreviate(decoded.keySet().toString()) + "; add a mapping."
                    + application + ".<decodedField> for one of these");
        }
        units.forEach((domain, features) -> features.forEach((feature, builder) ->
                byDomain.get(domain).get(feature).set(UNITS, builder.build())));
        return byDomain;
    }

    /** The value of a mapped decoded field: a finite number, a boolean or a short string; absent when missing. */
    private static Optional<JsonValue> decodedValue(Map<String, Object> decoded, FieldMapping mapping)
            throws PayloadRejectedException {
        Map<String, Object> current = decoded;
        List<String> segments = mapping.path();
        for (int i = 0; i < segments.size() - 1; i++) {
            Object next = JsonTree.value(current, segments.get(i));
            if (next == null) {
                return Optional.empty();
            }
            if (!(next instanceof Map)) {
                throw new PayloadRejectedException("field '" + decodedPath(mapping, i) + "' must be an object, was "
                        + JsonTree.kind(next));
            }
            current = JsonTree.asObject(next);
        }
        Object found = JsonTree.value(current, segments.get(segments.size() - 1));
        if (found == null) {
            return Optional.empty();
        }
        String path = decodedPath(mapping, segments.size() - 1);
        if (!(found instanceof JsonValue v)) {
            throw new PayloadRejectedException("field '" + path + "' (" + mapping.key() + ") must be a number, "
                    + "boolean or string, was " + JsonTree.kind(found) + "; map a field inside it with '/', e.g. "
                    + mapping.field() + "/value");
        }
        Optional<JsonValue> value = Optional.of(v);
        if (v.isNumber()) {
            double number = v.asDouble();
            if (!Double.isFinite(number) || Math.abs(number) > MAX_MAGNITUDE) {
                throw new PayloadRejectedException("field '" + path + "' (" + mapping.key() + ") must be a number "
                        + "between -1e15 and 1e15, was " + Texts.abbreviate(v.toString()));
            }
            return value;
        }
        if (v.isBoolean()) {
            return value;
        }
        if (v.isString()) {
            if (v.asString().length() > MAX_STRING_LENGTH) {
                throw new PayloadRejectedException("field '" + path + "' (" + mapping.key() + ") must be at most "
                        + MAX_STRING_LENGTH + " characters, was " + v.asString().length());
            }
            return value;
        }
        throw new PayloadRejectedException("field '" + path + "' (" + mapping.key() + ") must be a number, boolean "
                + "or string, was " + JsonFields.kind(v) + "; map a field inside it with '/', e.g. " + mapping.field()
                + "/value");
    }

    private JsonObject attributes(Map<String, Object> ids, Map<String, Object> uplink, String application,
            String device, boolean simulated) throws PayloadRejectedException {
        JsonObjectBuilder attributes = JsonFactory.newObjectBuilder()
                .set(HubConventions.ADAPTER, adapterIdValue)
                .set(SIMULATED, simulated);
        JsonObjectBuilder lorawan = JsonFactory.newObjectBuilder()
                .set("applicationId", application)
                .set("deviceId", device);
        String devEui = JsonTree.optionalString(ids, "dev_eui", "end_device_ids.dev_eui");
        if (devEui != null) {
            if (!isEui(devEui)) {
                throw new PayloadRejectedException("field 'end_device_ids.dev_eui' must be 16 hexadecimal digits, was '"
                        + Texts.abbreviate(devEui) + "'");
            }
            lorawan.set("devEui", devEui.toUpperCase(Locale.ROOT));
        }
        attributes.set(LORAWAN, lorawan.build());
        Map<String, Object> versions = JsonTree.optionalObject(uplink, "version_ids", "uplink_message.version_ids");
        if (versions != null) {
            String brand = JsonTree.optionalString(versions, "brand_id", "uplink_message.version_ids.brand_id");
            String model = JsonTree.optionalString(versions, "model_id", "uplink_message.version_ids.model_id");
            if (brand != null) {
                attributes.set(HubConventions.VENDOR, Texts.abbreviate(brand));
            }
            if (model != null) {
                attributes.set(HubConventions.MODEL, Texts.abbreviate(model));
            }
        }
        JsonObject location = location(uplink);
        if (location != null) {
            attributes.set(HubConventions.LOCATION, location);
        }
        return attributes.build();
    }

    /** 16 hexadecimal digits, as a DevEUI is written. */
    private static boolean isEui(String text) {
        if (text.length() != 16) {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The dotted path of a mapped field's segment {@code last}, for messages (built only when needed). */
    private static String decodedPath(FieldMapping mapping, int last) {
        StringBuilder path = new StringBuilder("uplink_message.decoded_payload");
        for (int i = 0; i <= last; i++) {
            path.append('.').append(mapping.path().get(i));
        }
        return path.toString();
    }

    /**
     * The device's location: {@code uplink_message.locations.user} (set in the device registry), else another entry of
     * {@code locations} (e.g. {@code frm-payload}), else, when {@code location.gateways} is set, the location of the
     * gateway that received the uplink best; {@code null} when there is none.
     */
    private JsonObject location(Map<String, Object> uplink) throws PayloadRejectedException {
        Map<String, Object> locations = JsonTree.optionalObject(uplink, "locations", "uplink_message.locations");
        if (locations != null) {
            String base = "uplink_message.locations.";
            Map<String, Object> user = JsonTree.optionalObject(locations, "user", base + "user");
            if (user != null) {
                return point(user, base + "user");
            }
            Iterator<Map.Entry<String, Object>> others = locations.entrySet().iterator();
            if (others.hasNext()) {
                Map.Entry<String, Object> other = others.next();
                String path = base + Texts.abbreviate(other.getKey());
                if (!(other.getValue() instanceof Map)) {
                    throw new PayloadRejectedException("field '" + path + "' must be an object, was "
                            + JsonTree.kind(other.getValue()));
                }
                return point(JsonTree.asObject(other.getValue()), path);
            }
        }
        if (!config.gatewayLocation()) {
            return null;
        }
        Object rx = JsonTree.value(uplink, "rx_metadata");
        if (rx == null) {
            return null;
        }
        if (!(rx instanceof List)) {
            throw new PayloadRejectedException("field 'uplink_message.rx_metadata' must be an array, was "
                    + JsonTree.kind(rx));
        }
        Map<String, Object> best = null;
        int bestIndex = -1;
        double bestRssi = Double.NEGATIVE_INFINITY;
        List<Object> gateways = JsonTree.asArray(rx);
        for (int index = 0; index < gateways.size(); index++) {
            Object gateway = gateways.get(index);
            if (!(gateway instanceof Map)) {
                throw new PayloadRejectedException("field '" + gatewayPath(index) + "' must be an object, was "
                        + JsonTree.kind(gateway));
            }
            Map<String, Object> fields = JsonTree.asObject(gateway);
            Object gatewayLocation = JsonTree.value(fields, "location");
            if (gatewayLocation == null) {
                continue;
            }
            if (!(gatewayLocation instanceof Map)) {
                throw new PayloadRejectedException("field '" + gatewayPath(index) + ".location' must be an object, "
                        + "was " + JsonTree.kind(gatewayLocation));
            }
            double rssi = fields.get("rssi") instanceof JsonValue v && v.isNumber() && Double.isFinite(v.asDouble())
                    ? v.asDouble()
                    : JsonTree.optionalNumber(fields, "rssi", gatewayPath(index) + ".rssi").orElse(-1000.0);
            if (best == null || rssi > bestRssi) {
                best = JsonTree.asObject(gatewayLocation);
                bestIndex = index;
                bestRssi = rssi;
            }
        }
        return best == null ? null : point(best, gatewayPath(bestIndex) + ".location");
    }

    private static String gatewayPath(int index) {
        return "uplink_message.rx_metadata[" + index + "]";
    }

    /** A GeoJSON Point from a The Things Stack location; a coordinate that is 0 is left out of the JSON. */
    private static JsonObject point(Map<String, Object> location, String path) throws PayloadRejectedException {
        Optional<Double> latitude = JsonTree.optionalNumber(location, "latitude", path + ".latitude");
        Optional<Double> longitude = JsonTree.optionalNumber(location, "longitude", path + ".longitude");
        if (latitude.isEmpty() && longitude.isEmpty()) {
            throw new PayloadRejectedException("field '" + path + "' has neither latitude nor longitude");
        }
        try {
            return HubConventions.location(latitude.orElse(0.0), longitude.orElse(0.0));
        } catch (IllegalArgumentException e) {
            throw new PayloadRejectedException("field '" + path + "': " + e.getMessage(), e);
        }
    }
}
