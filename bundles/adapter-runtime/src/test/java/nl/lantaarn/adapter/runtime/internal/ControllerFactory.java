package nl.lantaarn.adapter.runtime.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.adapter.api.Acknowledgement;
import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.CommandRejectedException;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.adapter.api.ThingCommand;
import nl.lantaarn.adapter.api.VendorCommand;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * A small commanded adapter type for the command path: {@code ctl/<lamp>/state} {"level":n} reports a lamp (thing
 * {@code nl.test.lighting:<lamp>}, attribute {@code adapter} = the instance id); a desired {@code level} becomes
 * {"id":..., "level":n} on {@code ctl/<lamp>/set}; {@code ctl/ack} {"id":..., "status":"ok"|"error", "reason":...}
 * acknowledges it. A level over 100 is refused.
 */
final class ControllerFactory implements AdapterFactory {

    static final String NAMESPACE = "nl.test.lighting";

    private final AdapterType type = AdapterType.builder("ctl").vendor("Test controllers").domains("lighting")
            .description("for tests").defaultInstance(true)
            .privacy(PrivacyManifest.builder().dataCategories("light-level").purpose("tests")
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK).retention(Duration.ofDays(1))
                    .fields("/attributes/adapter", "/features/lamp/properties/level").build())
            .build();

    @Override
    public AdapterType type() {
        return type;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) {
        String instanceId = configuration.instanceId();
        return new SensorAdapter() {
            @Override
            public Inbound inbound() {
                return Inbound.mqtt("ctl/#", 1);
            }

            @Override
            public Optional<Acknowledgement> acknowledgement(InboundMessage message) throws PayloadRejectedException {
                if (!message.origin().equals("ctl/ack")) {
                    return Optional.empty();
                }
                JsonObject ack = PayloadReader.jsonObject(message);
                String id = PayloadReader.optionalString(ack, "id")
                        .orElseThrow(() -> new PayloadRejectedException("field 'id' is required"));
                return Optional.of("ok".equals(ack.getValue("status").map(JsonValue::formatAsString).orElse(""))
                        ? Acknowledgement.ok(id)
                        : Acknowledgement.error(id, ack.getValue("reason").map(JsonValue::formatAsString)
                                .orElse(null)));
            }

            @Override
            public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
                String[] levels = message.origin().split("/");
                if (levels.length != 3 || !levels[2].equals("state")) {
                    return List.of(); // our own commands on .../set
                }
                double level = PayloadReader.requiredNumber(PayloadReader.jsonObject(message), "level");
                return List.of(ThingUpdate.merge(ThingId.of(NAMESPACE, levels[1]), JsonObject.newBuilder()
                        .set("attributes", JsonObject.newBuilder().set(HubConventions.ADAPTER, instanceId).build())
                        .set("features", JsonObject.of("{\"lamp\":{\"properties\":{\"level\":" + level + "}}}"))
                        .build()));
            }

            @Override
            public List<VendorCommand> command(ThingCommand command) throws CommandRejectedException {
                JsonObject desired = command.desiredProperties()
                        .orElseThrow(() -> new CommandRejectedException("only desired properties"));
                int level = desired.getValue("level").filter(JsonValue::isNumber).map(JsonValue::asInt)
                        .orElseThrow(() -> new CommandRejectedException("level: a number is required"));
                if (level > 100) {
                    throw new CommandRejectedException("level: must be 0 to 100, was " + level);
                }
                String payload = "{\"id\":\"" + command.correlationId() + "\",\"level\":" + level + "}";
                return List.of(VendorCommand.mqtt("ctl/" + command.thingId().getName() + "/set",
                        payload.getBytes(StandardCharsets.UTF_8), 1));
            }
        };
    }
}
