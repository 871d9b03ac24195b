package nl.lantaarn.adapters.lighting.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.adapter.api.Acknowledgement;
import nl.lantaarn.adapter.api.CommandRejectedException;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.adapter.api.ThingCommand;
import nl.lantaarn.adapter.api.VendorCommand;
import nl.lantaarn.things.model.FeatureDefinitions;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * One lighting instance. Maps lamp and group states ({@code <root>/<controller>/lamp/<lamp>/state},
 * {@code .../group/<group>/state}) to things, turns the controllers' acknowledgements ({@code <root>/<controller>/ack})
 * into {@link Acknowledgement}s, and desired properties of feature {@code lamp} into commands on
 * {@code .../lamp/<lamp>/set} or {@code .../group/<group>/set}. Values are checked the same way in both directions.
 */
final class LightingAdapter implements SensorAdapter {

    static final String DOMAIN = "lighting";
    static final String FEATURE = "lamp";
    static final String A_CONTROLLER = "controller";
    static final String DIM_LEVEL = "dimLevel";
    static final String SCENE = "scene";
    static final String POWER = "power";
    static final String FAILURE = "failure";
    static final String REPORTED_AT = "reportedAt";
    static final String COMMAND_ID = "commandId";
    /** Lamp groups follow FIWARE StreetlightGroup; things-model has no constant for it yet. */
    static final String STREETLIGHT_GROUP = "org.fiware.smartdatamodels:StreetlightGroup:1.0.0";

    private static final String LAMP = "lamp";
    private static final String GROUP = "group";
    private static final int MAX_TEXT = 200;
    private static final int MAX_COMMAND_ID = 100;
    private static final List<String> COMMAND_FIELDS = List.of(DIM_LEVEL, SCENE, POWER);
    /** Controller ids carry no '-': it separates them from the lamp id in the thing name. */
    private static final Pattern CONTROLLER_ID = Pattern.compile("[A-Za-z0-9_]{1,32}");
    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}\\x{FFFD}]*");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final LightingConfig config;
    private final String instanceId;
    private final String namespace;
    private final JsonArray lampDefinition = JsonArray.of(JsonValue.of(FeatureDefinitions.STREETLIGHT));
    private final JsonArray groupDefinition = JsonArray.of(JsonValue.of(STREETLIGHT_GROUP));

    LightingAdapter(LightingConfig config, String instanceId) {
        this.config = config;
        this.instanceId = instanceId;
        this.namespace = config.country() + "." + config.municipality() + "." + DOMAIN;
    }

    @Override
    public Inbound inbound() {
        // one filter for states and acknowledgements; it also brings back the hub's own commands, which map() skips
        return Inbound.mqtt(config.topicRoot() + "/#", config.qos());
    }

    // ---------------------------------------------------------------- controller -> hub

    @Override
    public Optional<Acknowledgement> acknowledgement(InboundMessage message) throws PayloadRejectedException {
        String[] levels = message.origin().split("/", -1);
        if (levels.length != 3 || !levels[2].equals("ack") || !levels[0].equals(config.topicRoot())) {
            return Optional.empty();
        }
        JsonObject ack = PayloadReader.jsonObject(message);
        String id = requiredText(ack, COMMAND_ID, MAX_COMMAND_ID);
        String status = requiredText(ack, "status", 16);
        Optional<String> reason = PayloadReader.optionalString(ack, "reason");
        return switch (status) {
            case "ok" -> Optional.of(Acknowledgement.ok(id));
            case "error" -> Optional.of(Acknowledgement.error(id, reason.orElse(null)));
            default -> throw new PayloadRejectedException("field 'status' must be ok or error, was '" + status + "'");
        };
    }

    @Override
    public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
        String[] levels = message.origin().split("/", -1);
        if (levels.length == 3 && levels[2].equals("ack")) {
            return List.of(); // acknowledgements are taken by acknowledgement()
        }
        if (levels.length != 5 || !levels[0].equals(config.topicRoot())
                || !(levels[2].equals(LAMP) || levels[2].equals(GROUP))) {
            throw new PayloadRejectedException("topic '" + abbreviate(message.origin()) + "' is not a lighting topic: "
                    + "expected " + config.topicRoot() + "/<controller>/lamp/<lamp>/state or .../group/<group>/state");
        }
        if (levels[4].equals("set")) {
            return List.of(); // the hub's own command, seen through the shared subscription
        }
        if (!levels[4].equals("state")) {
            throw new PayloadRejectedException("topic '" + abbreviate(message.origin()) + "' must end in /state");
        }
        String controller = controllerId(levels[1], "controller id in the topic");
        String device = PayloadReader.deviceId(levels[3], levels[2] + " id in the topic");
        boolean group = levels[2].equals(GROUP);
        JsonObject state = PayloadReader.jsonObject(message);

        JsonObjectBuilder properties = JsonObject.newBuilder();
        boolean any = false;
        Optional<JsonValue> dim = state.getValue(DIM_LEVEL);
        if (dim.isPresent()) {
            properties.set(DIM_LEVEL, dimLevel(dim.get(), "field"));
            any = true;
        }
        Optional<JsonValue> scene = state.getValue(SCENE);
        if (scene.isPresent()) {
            properties.set(SCENE, scene(scene.get(), "field"));
            any = true;
        }
        Optional<JsonValue> power = state.getValue(POWER);
        if (power.isPresent()) {
            properties.set(POWER, power(power.get(), "field"));
            any = true;
        }
        Optional<JsonValue> failure = state.getValue(FAILURE);
        if (failure.isPresent()) {
            // null: the failure is over; it is removed from the thing (merge-patch semantics)
            properties.set(FAILURE, failure(failure.get()));
            any = true;
        }
        if (!any) {
            throw new PayloadRejectedException("state holds none of the fields dimLevel, scene, power, failure");
        }
        Instant reportedAt = PayloadReader.optionalInstant(state, REPORTED_AT).orElse(message.receivedAt());
        properties.set(REPORTED_AT, reportedAt.toString());

        JsonObject feature = JsonObject.newBuilder().set("definition", group ? groupDefinition : lampDefinition)
                .set("properties", properties.build()).build();
        JsonObject patch = JsonObject.newBuilder()
                .set("attributes", JsonObject.newBuilder().set(HubConventions.ADAPTER, instanceId)
                        .set(A_CONTROLLER, controller).build())
                .set("features", JsonObject.newBuilder().set(FEATURE, feature).build())
                .build();
        return List.of(ThingUpdate.merge(ThingId.of(namespace, (group ? GROUP : LAMP) + "-" + controller + "-"
                + device), patch));
    }

    // ---------------------------------------------------------------- hub -> controller

    @Override
    public List<VendorCommand> command(ThingCommand command) throws CommandRejectedException {
        JsonObject desired = command.desiredProperties().orElseThrow(() -> new CommandRejectedException(
                "lighting takes desired properties of feature lamp, not messages (subject "
                        + command.subject().orElse("") + ")"));
        if (!command.feature().orElse("").equals(FEATURE)) {
            throw new CommandRejectedException("feature '" + command.feature().orElse("") + "' takes no commands; "
                    + "desired properties belong to feature lamp");
        }
        ThingId thingId = command.thingId();
        if (!thingId.getNamespace().equals(namespace)) {
            throw new CommandRejectedException("thing " + thingId + " is not in namespace " + namespace
                    + " of adapter instance " + instanceId);
        }
        String name = thingId.getName();
        String kind = name.startsWith(LAMP + "-") ? LAMP : name.startsWith(GROUP + "-") ? GROUP : null;
        int dash = kind == null ? -1 : name.indexOf('-', kind.length() + 1);
        if (kind == null || dash < 0) {
            throw new CommandRejectedException("thing name '" + name + "' must be lamp-<controller>-<lamp> or "
                    + "group-<controller>-<group>");
        }
        String controller = name.substring(kind.length() + 1, dash);
        String device = name.substring(dash + 1);
        if (!CONTROLLER_ID.matcher(controller).matches() || !DEVICE_ID.matcher(device).matches()) {
            throw new CommandRejectedException("thing name '" + name + "' must be " + kind + "-<controller>-<"
                    + kind + "> with a controller id of letters, digits and '_'");
        }

        JsonObjectBuilder payload = JsonObject.newBuilder().set(COMMAND_ID, command.correlationId());
        for (JsonField field : desired) {
            String key = field.getKeyName();
            JsonValue value = field.getValue();
            try {
                switch (key) {
                    case DIM_LEVEL -> payload.set(DIM_LEVEL, dimLevel(value, "desired property"));
                    case SCENE -> payload.set(SCENE, scene(value, "desired property"));
                    case POWER -> payload.set(POWER, power(value, "desired property"));
                    default -> throw new CommandRejectedException("desired property '" + abbreviate(key)
                            + "' is not supported; feature lamp takes " + String.join(", ", COMMAND_FIELDS));
                }
            } catch (PayloadRejectedException e) {
                throw new CommandRejectedException(e.getMessage());
            }
        }
        String topic = config.topicRoot() + "/" + controller + "/" + kind + "/" + device + "/set";
        return List.of(VendorCommand.mqtt(topic, payload.build().toString().getBytes(StandardCharsets.UTF_8),
                config.qos()));
    }

    // ---------------------------------------------------------------- checks shared by both directions

    private static JsonValue dimLevel(JsonValue value, String what) throws PayloadRejectedException {
        if (!value.isNumber()) {
            throw new PayloadRejectedException(what + " 'dimLevel' must be a number from 0 to 100 (percent), was "
                    + describe(value));
        }
        double level = value.asDouble();
        if (!(level >= 0 && level <= 100)) {
            throw new PayloadRejectedException(what + " 'dimLevel' must be from 0 to 100 (percent), was " + value);
        }
        return value;
    }

    private JsonValue scene(JsonValue value, String what) throws PayloadRejectedException {
        if (!value.isString() || !config.scenes().contains(value.asString())) {
            throw new PayloadRejectedException(what + " 'scene' must be one of " + config.scenes()
                    + " (scenes in the instance configuration), was " + describe(value));
        }
        return value;
    }

    private static JsonValue power(JsonValue value, String what) throws PayloadRejectedException {
        if (!value.isString() || !(value.asString().equals("on") || value.asString().equals("off"))) {
            throw new PayloadRejectedException(what + " 'power' must be on or off, was " + describe(value));
        }
        return value;
    }

    private static JsonValue failure(JsonValue value) throws PayloadRejectedException {
        if (value.isNull()) {
            return value;
        }
        if (!value.isString() || value.asString().isBlank() || value.asString().length() > MAX_TEXT) {
            throw new PayloadRejectedException("field 'failure' must be null or a text of 1-" + MAX_TEXT
                    + " characters, was " + describe(value));
        }
        if (!PRINTABLE.matcher(value.asString()).matches()) {
            // e.g. bytes that were not UTF-8: the text would show as replacement characters on the thing
            throw new PayloadRejectedException("field 'failure' must be printable UTF-8 text without control "
                    + "characters");
        }
        return value;
    }

    private static String requiredText(JsonObject json, String field, int max) throws PayloadRejectedException {
        String text = PayloadReader.optionalString(json, field)
                .orElseThrow(() -> new PayloadRejectedException("field '" + field + "' is required"));
        if (text.isBlank() || text.length() > max) {
            throw new PayloadRejectedException("field '" + field + "' must be 1-" + max + " characters, was "
                    + text.length());
        }
        return text;
    }

    private static String controllerId(String candidate, String where) throws PayloadRejectedException {
        if (!CONTROLLER_ID.matcher(candidate).matches()) {
            throw new PayloadRejectedException(where + " must be 1-32 letters, digits or '_', was '"
                    + abbreviate(candidate) + "'");
        }
        return candidate;
    }

    private static String describe(JsonValue value) {
        return abbreviate(value.toString());
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
