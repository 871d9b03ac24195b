package nl.lantaarn.adapters.ttn.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
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
    private static final Pattern UPLINK_TOPIC = Pattern.compile("v3/([^/@]+)(?:@[^/]+)?/devices/([^/]+)/up");

    private final String adapterId;
    private final TtnConfig config;
    private final FrameCounters counters;

    TtnAdapter(String adapterId, TtnConfig config) {
        this.adapterId = adapterId;
        this.config = config;
        this.counters = new FrameCounters(config.maxDevices(), config.resetGap());
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
        Fields.checkEncodingAndDepth(payload);
        JsonObject up = PayloadReader.jsonObject(message);

        JsonObject ids = JsonFields.requiredObject(up, "end_device_ids", "end_device_ids");
        String device = PayloadReader.deviceId(JsonFields.requiredString(ids, "device_id", "end_device_ids.device_id"),
                "field 'end_device_ids.device_id'");
        String application = PayloadReader.deviceId(JsonFields.requiredString(
                JsonFields.requiredObject(ids, "application_ids", "end_device_ids.application_ids"), "application_id",
                "end_device_ids.application_ids.application_id"), "field 'end_device_ids.application_ids.application_id'");
        checkTopic(message.origin(), application, device);

        JsonObject uplink = JsonFields.optionalObject(up, "uplink_message", "uplink_message")
                .orElseThrow(() -> new PayloadRejectedException("field 'uplink_message' is missing: only uplink "
                        + "messages can be mapped; subscribe to .../up topics only (setting 'topic' in "
                        + config.configFile() + ")"));
        List<FieldMapping> mappings = config.mappings().get(application);
        if (mappings == null) {
            throw new PayloadRejectedException("application '" + application + "' has no mapping: add "
                    + TtnConfig.MAPPING + application + ".<decodedField> = <domain>:<feature>.<property>[:<unit>] "
                    + "to " + config.configFile());
        }
        JsonObject decoded = JsonFields.optionalObject(uplink, "decoded_payload", "uplink_message.decoded_payload")
                .orElseThrow(() -> new PayloadRejectedException("field 'uplink_message.decoded_payload' is missing: "
                        + "set an uplink payload formatter for application '" + application + "' (or its devices) in "
                        + "The Things Stack; the hub does not decode frm_payload"));
        long frameCounter = Fields.unsigned32(uplink, "f_cnt", "uplink_message.f_cnt");
        String session = JsonFields.optionalString(uplink, "session_key_id", "uplink_message.session_key_id")
                .map(TtnAdapter::boundedSession).orElse(null);
        // The Things Stack leaves out false
        boolean simulated = JsonFields.optionalBoolean(up, SIMULATED, SIMULATED).orElse(false);
        // when the network server received it is closest to when it was measured; then when the application server did
        Optional<Instant> networkTime = JsonFields.optionalInstant(uplink, "received_at", "uplink_message.received_at");
        Optional<Instant> applicationTime = JsonFields.optionalInstant(up, "received_at", "received_at");
        Instant measuredAt = networkTime.or(() -> applicationTime).orElse(message.receivedAt());

        Map<String, Map<String, JsonObjectBuilder>> byDomain = properties(application, mappings, decoded);
        JsonObject attributes = attributes(ids, uplink, application, device, simulated);
        String name = application + "-" + device;
        List<ThingUpdate> updates = new ArrayList<>(byDomain.size());
        for (Map.Entry<String, Map<String, JsonObjectBuilder>> domain : byDomain.entrySet()) {
            ThingId thingId;
            try {
                thingId = HubConventions.thingId(config.country(), config.municipality(), domain.getKey(), name);
            } catch (IllegalArgumentException e) {
                throw new PayloadRejectedException("thing id of application '" + application + "' device '" + device
                        + "': " + e.getMessage(), e);
            }
            JsonObjectBuilder features = JsonFactory.newObjectBuilder();
            for (Map.Entry<String, JsonObjectBuilder> feature : domain.getValue().entrySet()) {
                JsonObjectBuilder featureJson = JsonFactory.newObjectBuilder();
                config.definition(feature.getKey()).ifPresent(definition ->
                        featureJson.set("definition", JsonArray.of(JsonValue.of(definition))));
                JsonObject properties = feature.getValue().set(MEASURED_AT, measuredAt.toString()).build();
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
        Matcher topic = UPLINK_TOPIC.matcher(origin);
        if (!topic.matches()) {
            return; // another topic layout (or a replayed file): the payload's ids are all there is
        }
        // a publisher may only speak for the device its topic names
        if (!topic.group(1).equals(application)) {
            throw new PayloadRejectedException("field 'end_device_ids.application_ids.application_id' is '"
                    + application + "' but the topic names application '" + Texts.abbreviate(topic.group(1)) + "'");
        }
        if (!topic.group(2).equals(device)) {
            throw new PayloadRejectedException("field 'end_device_ids.device_id' is '" + device
                    + "' but the topic names device '" + Texts.abbreviate(topic.group(2)) + "'");
        }
    }

    /** The mapped properties, per domain and feature, in the order of the mappings. */
    private static Map<String, Map<String, JsonObjectBuilder>> properties(String application,
            List<FieldMapping> mappings, JsonObject decoded) throws PayloadRejectedException {
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
                    + Texts.abbreviate(decoded.getKeys().toString()) + "; add a mapping."
                    + application + ".<decodedField> for one of these");
        }
        units.forEach((domain, features) -> features.forEach((feature, builder) ->
                byDomain.get(domain).get(feature).set(UNITS, builder.build())));
        return byDomain;
    }

    /** The value of a mapped decoded field: a finite number, a boolean or a short string; absent when missing. */
    private static Optional<JsonValue> decodedValue(JsonObject decoded, FieldMapping mapping)
            throws PayloadRejectedException {
        JsonObject current = decoded;
        String path = "uplink_message.decoded_payload";
        List<String> segments = mapping.path();
        for (int i = 0; i < segments.size() - 1; i++) {
            path += "." + segments.get(i);
            Optional<JsonObject> next = JsonFields.optionalObject(current, segments.get(i), path);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get();
        }
        path += "." + segments.get(segments.size() - 1);
        Optional<JsonValue> value = JsonFields.value(current, segments.get(segments.size() - 1));
        if (value.isEmpty()) {
            return Optional.empty();
        }
        JsonValue v = value.get();
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

    private JsonObject attributes(JsonObject ids, JsonObject uplink, String application, String device,
            boolean simulated) throws PayloadRejectedException {
        JsonObjectBuilder attributes = JsonFactory.newObjectBuilder()
                .set(HubConventions.ADAPTER, adapterId)
                .set(SIMULATED, simulated);
        JsonObjectBuilder lorawan = JsonFactory.newObjectBuilder()
                .set("applicationId", application)
                .set("deviceId", device);
        Optional<String> devEui = JsonFields.optionalString(ids, "dev_eui", "end_device_ids.dev_eui");
        if (devEui.isPresent()) {
            if (!devEui.get().matches("[0-9A-Fa-f]{16}")) {
                throw new PayloadRejectedException("field 'end_device_ids.dev_eui' must be 16 hexadecimal digits, was '"
                        + Texts.abbreviate(devEui.get()) + "'");
            }
            lorawan.set("devEui", devEui.get().toUpperCase(Locale.ROOT));
        }
        attributes.set(LORAWAN, lorawan.build());
        Optional<JsonObject> versions = JsonFields.optionalObject(uplink, "version_ids", "uplink_message.version_ids");
        if (versions.isPresent()) {
            Optional<String> brand = JsonFields.optionalString(versions.get(), "brand_id",
                    "uplink_message.version_ids.brand_id");
            Optional<String> model = JsonFields.optionalString(versions.get(), "model_id",
                    "uplink_message.version_ids.model_id");
            brand.map(Texts::abbreviate).ifPresent(b -> attributes.set(HubConventions.VENDOR, b));
            model.map(Texts::abbreviate).ifPresent(m -> attributes.set(HubConventions.MODEL, m));
        }
        Optional<JsonObject> location = location(uplink);
        location.ifPresent(point -> attributes.set(HubConventions.LOCATION, point));
        return attributes.build();
    }

    /**
     * The device's location: {@code uplink_message.locations.user} (set in the device registry), else another entry of
     * {@code locations} (e.g. {@code frm-payload}), else, when {@code location.gateways} is set, the location of the
     * gateway that received the uplink best.
     */
    private Optional<JsonObject> location(JsonObject uplink) throws PayloadRejectedException {
        Optional<JsonObject> locations = JsonFields.optionalObject(uplink, "locations", "uplink_message.locations");
        if (locations.isPresent()) {
            String base = "uplink_message.locations.";
            Optional<JsonObject> user = JsonFields.optionalObject(locations.get(), "user", base + "user");
            if (user.isPresent()) {
                return Optional.of(point(user.get(), base + "user"));
            }
            Iterator<JsonField> others = locations.get().iterator();
            if (others.hasNext()) {
                JsonField other = others.next();
                String path = base + Texts.abbreviate(other.getKeyName());
                if (!other.getValue().isObject()) {
                    throw new PayloadRejectedException("field '" + path + "' must be an object, was "
                            + JsonFields.kind(other.getValue()));
                }
                return Optional.of(point(other.getValue().asObject(), path));
            }
        }
        if (!config.gatewayLocation()) {
            return Optional.empty();
        }
        Optional<JsonValue> rx = JsonFields.value(uplink, "rx_metadata");
        if (rx.isEmpty()) {
            return Optional.empty();
        }
        if (!rx.get().isArray()) {
            throw new PayloadRejectedException("field 'uplink_message.rx_metadata' must be an array, was "
                    + JsonFields.kind(rx.get()));
        }
        JsonObject best = null;
        String bestPath = null;
        double bestRssi = Double.NEGATIVE_INFINITY;
        int index = 0;
        for (JsonValue gateway : rx.get().asArray()) {
            String path = "uplink_message.rx_metadata[" + index++ + "]";
            if (!gateway.isObject()) {
                throw new PayloadRejectedException("field '" + path + "' must be an object, was "
                        + JsonFields.kind(gateway));
            }
            Optional<JsonObject> gatewayLocation = JsonFields.optionalObject(gateway.asObject(), "location",
                    path + ".location");
            if (gatewayLocation.isEmpty()) {
                continue;
            }
            double rssi = JsonFields.optionalNumber(gateway.asObject(), "rssi", path + ".rssi").orElse(-1000.0);
            if (best == null || rssi > bestRssi) {
                best = gatewayLocation.get();
                bestPath = path + ".location";
                bestRssi = rssi;
            }
        }
        return best == null ? Optional.empty() : Optional.of(point(best, bestPath));
    }

    /** A GeoJSON Point from a The Things Stack location; a coordinate that is 0 is left out of the JSON. */
    private static JsonObject point(JsonObject location, String path) throws PayloadRejectedException {
        Optional<Double> latitude = JsonFields.optionalNumber(location, "latitude", path + ".latitude");
        Optional<Double> longitude = JsonFields.optionalNumber(location, "longitude", path + ".longitude");
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
