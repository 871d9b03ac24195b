package nl.lantaarn.adapters.lighting.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import nl.lantaarn.adapter.api.Acknowledgement;
import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.CommandRejectedException;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.adapter.api.ThingCommand;
import nl.lantaarn.adapter.api.VendorCommand;
import nl.lantaarn.things.model.FeatureDefinitions;
import nl.lantaarn.things.model.ThingUpdate;

class LightingAdapterTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-24T21:00:00Z");
    private static final ThingId LAMP = ThingId.of("nl.eindhoven.lighting", "lamp-ctl_7-l-0042");
    private static final ThingId GROUP = ThingId.of("nl.eindhoven.lighting", "group-ctl_7-stratumseind");

    private final SensorAdapter adapter = adapter(Map.of("municipality", "eindhoven"));

    private static SensorAdapter adapter(Map<String, ?> properties) {
        try {
            return new LightingAdapterFactory().create(new AdapterConfiguration("lighting", "eindhoven", properties));
        } catch (AdapterConfigurationException e) {
            throw new AssertionError(e);
        }
    }

    private static InboundMessage message(String topic, String payload) {
        return new InboundMessage(topic, payload.getBytes(StandardCharsets.UTF_8), RECEIVED);
    }

    private static Object at(ThingUpdate update, String pointer) {
        return update.patch().getValue(JsonPointer.of(pointer)).orElse(null);
    }

    private static String payload(VendorCommand command) {
        return new String(command.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void subscribesToTheControllersTopicRoot() {
        assertThat(adapter.inbound().toString()).isEqualTo("mqtt:lighting/# (qos 1)");
        assertThat(adapter(Map.of("topicRoot", "city-lights", "qos", "2")).inbound().toString())
                .isEqualTo("mqtt:city-lights/# (qos 2)");
    }

    @Test
    void mapsALampStateToTheLampThing() throws Exception {
        List<ThingUpdate> updates = adapter.map(message("lighting/ctl_7/lamp/l-0042/state",
                "{\"dimLevel\":40,\"scene\":\"calm\",\"power\":\"on\",\"failure\":null,"
                        + "\"reportedAt\":\"2026-11-24T21:15:00Z\"}"));

        assertThat(updates).singleElement().satisfies(update -> {
            assertThat((Object) update.thingId()).isEqualTo(LAMP);
            assertThat(at(update, "/attributes/adapter")).isEqualTo(JsonValue.of("lighting.eindhoven"));
            assertThat(at(update, "/attributes/controller")).isEqualTo(JsonValue.of("ctl_7"));
            assertThat(at(update, "/features/lamp/definition").toString())
                    .isEqualTo("[\"" + FeatureDefinitions.STREETLIGHT + "\"]");
            assertThat(at(update, "/features/lamp/properties")).isEqualTo(JsonObject.of(
                    "{\"dimLevel\":40,\"scene\":\"calm\",\"power\":\"on\",\"failure\":null,"
                            + "\"reportedAt\":\"2026-11-24T21:15:00Z\"}"));
        });
    }

    @Test
    void mapsAGroupStateToTheGroupThingAndDefaultsTheTimeToReceipt() throws Exception {
        ThingUpdate update = adapter.map(message("lighting/ctl_7/group/stratumseind/state",
                "{\"scene\":\"bright\",\"failure\":\"2 of 14 lamps dark\"}")).get(0);

        assertThat((Object) update.thingId()).isEqualTo(GROUP);
        assertThat(at(update, "/features/lamp/definition").toString())
                .isEqualTo("[\"" + LightingAdapter.STREETLIGHT_GROUP + "\"]");
        assertThat(at(update, "/features/lamp/properties")).isEqualTo(JsonObject.of(
                "{\"scene\":\"bright\",\"failure\":\"2 of 14 lamps dark\",\"reportedAt\":\"" + RECEIVED + "\"}"));
    }

    @Test
    void theHubsOwnCommandsAndAcknowledgementsAreNoState() throws Exception {
        assertThat(adapter.map(message("lighting/ctl_7/lamp/l-1/set", "{\"commandId\":\"x\",\"dimLevel\":3}")))
                .isEmpty();
        assertThat(adapter.map(message("lighting/ctl_7/ack", "{}"))).isEmpty();
        assertThat(adapter.acknowledgement(message("lighting/ctl_7/lamp/l-1/state", "{}"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lighting/ctl_7/lamp/l-1/state | {\"dimLevel\":140}           | field 'dimLevel' must be from 0 to 100 (percent), was 140",
        "lighting/ctl_7/lamp/l-1/state | {\"dimLevel\":\"high\"}      | field 'dimLevel' must be a number from 0 to 100 (percent), was \"high\"",
        "lighting/ctl_7/lamp/l-1/state | {\"scene\":\"disco\"}        | field 'scene' must be one of [normal, calm, bright, evacuation, night] (scenes in the instance configuration), was \"disco\"",
        "lighting/ctl_7/lamp/l-1/state | {\"power\":\"dim\"}          | field 'power' must be on or off, was \"dim\"",
        "lighting/ctl_7/lamp/l-1/state | {\"failure\":42}             | field 'failure' must be null or a text of 1-200 characters, was 42",
        "lighting/ctl_7/lamp/l-1/state | {\"dimLevel\":1,\"reportedAt\":\"now\"} | field 'reportedAt'",
        "lighting/ctl_7/lamp/l-1/state | {\"colour\":\"red\"}         | state holds none of the fields dimLevel, scene, power, failure",
        "lighting/ctl-7/lamp/l-1/state | {\"dimLevel\":1}             | controller id in the topic must be 1-32 letters, digits or '_', was 'ctl-7'",
        "lighting/ctl_7/pole/l-1/state | {\"dimLevel\":1}             | topic 'lighting/ctl_7/pole/l-1/state' is not a lighting topic",
        "lighting/ctl_7/lamp/l-1/power | {\"dimLevel\":1}             | topic 'lighting/ctl_7/lamp/l-1/power' must end in /state",
    })
    void rejectsStatesNamingTheField(String topic, String payload, String reason) {
        assertThatThrownBy(() -> adapter.map(message(topic, payload))).isInstanceOf(PayloadRejectedException.class)
                .message().startsWith(reason);
    }

    @Test
    void readsAcknowledgements() throws Exception {
        assertThat(adapter.acknowledgement(message("lighting/ctl_7/ack", "{\"commandId\":\"c-1\",\"status\":\"ok\"}")))
                .contains(Acknowledgement.ok("c-1"));
        assertThat(adapter.acknowledgement(message("lighting/ctl_7/ack",
                "{\"commandId\":\"c-2\",\"status\":\"error\",\"reason\":\"lamp offline\"}")))
                .contains(Acknowledgement.error("c-2", "lamp offline"));
        assertThatThrownBy(() -> adapter.acknowledgement(message("lighting/ctl_7/ack", "{\"status\":\"ok\"}")))
                .isInstanceOf(PayloadRejectedException.class).hasMessage("field 'commandId' is required");
        assertThatThrownBy(() -> adapter.acknowledgement(message("lighting/ctl_7/ack",
                "{\"commandId\":\"c-3\",\"status\":\"maybe\"}"))).isInstanceOf(PayloadRejectedException.class)
                .hasMessage("field 'status' must be ok or error, was 'maybe'");
    }

    @Test
    void turnsDesiredPropertiesIntoACommandForTheLampOrGroup() throws Exception {
        List<VendorCommand> lamp = adapter.command(ThingCommand.desired("c-9", LAMP, "lamp",
                JsonObject.of("{\"dimLevel\":40,\"scene\":\"calm\",\"power\":\"on\"}")));
        assertThat(lamp).singleElement().satisfies(command -> {
            assertThat(command.topic()).isEqualTo("lighting/ctl_7/lamp/l-0042/set");
            assertThat(command.qos()).isEqualTo(1);
            assertThat((Object) JsonObject.of(payload(command))).isEqualTo(JsonObject.of(
                    "{\"commandId\":\"c-9\",\"dimLevel\":40,\"scene\":\"calm\",\"power\":\"on\"}"));
        });
        List<VendorCommand> group = adapter.command(ThingCommand.desired("c-10", GROUP, "lamp",
                JsonObject.of("{\"scene\":\"evacuation\"}")));
        assertThat(group).singleElement().satisfies(command -> {
            assertThat(command.topic()).isEqualTo("lighting/ctl_7/group/stratumseind/set");
            assertThat(payload(command)).isEqualTo("{\"commandId\":\"c-10\",\"scene\":\"evacuation\"}");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lamp-ctl_7-l-1 | lamp | {\"dimLevel\":101}     | desired property 'dimLevel' must be from 0 to 100 (percent), was 101",
        "lamp-ctl_7-l-1 | lamp | {\"dimLevel\":-1}      | desired property 'dimLevel' must be from 0 to 100 (percent), was -1",
        "lamp-ctl_7-l-1 | lamp | {\"scene\":\"party\"}  | desired property 'scene' must be one of",
        "lamp-ctl_7-l-1 | lamp | {\"power\":true}       | desired property 'power' must be on or off, was true",
        "lamp-ctl_7-l-1 | lamp | {\"colour\":\"red\"}  | desired property 'colour' is not supported; feature lamp takes dimLevel, scene, power",
        "lamp-ctl_7-l-1 | noise | {\"dimLevel\":1}     | feature 'noise' takes no commands",
        "lamppost-42    | lamp | {\"dimLevel\":1}      | thing name 'lamppost-42' must be lamp-<controller>-<lamp> or group-<controller>-<group>",
    })
    void rejectsCommandsNamingTheField(String name, String feature, String desired, String reason) {
        ThingCommand command = ThingCommand.desired("c-1", ThingId.of("nl.eindhoven.lighting", name), feature,
                JsonObject.of(desired));
        assertThatThrownBy(() -> adapter.command(command)).isInstanceOf(CommandRejectedException.class).message()
                .startsWith(reason);
    }

    @Test
    void rejectsMessagesAndThingsOfAnotherMunicipality() {
        assertThatThrownBy(() -> adapter.command(ThingCommand.message("c-1", LAMP, null, "blink", null)))
                .isInstanceOf(CommandRejectedException.class).hasMessageStartingWith("lighting takes desired "
                        + "properties of feature lamp, not messages");
        assertThatThrownBy(() -> adapter.command(ThingCommand.desired("c-1", ThingId.of("nl.breda.lighting",
                "lamp-c-1"), "lamp", JsonObject.of("{\"dimLevel\":1}")))).isInstanceOf(CommandRejectedException.class)
                .hasMessage("thing nl.breda.lighting:lamp-c-1 is not in namespace nl.eindhoven.lighting of adapter "
                        + "instance lighting.eindhoven");
    }

    @Test
    void configuredScenesApplyToStatesAndCommands() throws Exception {
        SensorAdapter custom = adapter(Map.of("municipality", "eindhoven", "scenes", "dim, festive"));
        assertThat(custom.map(message("lighting/c/lamp/l/state", "{\"scene\":\"festive\"}"))).hasSize(1);
        assertThatThrownBy(() -> custom.command(ThingCommand.desired("c-1", ThingId.of("nl.eindhoven.lighting",
                "lamp-c-l"), "lamp", JsonObject.of("{\"scene\":\"calm\"}")))).hasMessage(
                        "desired property 'scene' must be one of [dim, festive] (scenes in the instance "
                                + "configuration), was \"calm\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "topicRoot    | a/b     | topicRoot: must be one MQTT topic level",
        "country      | NLD     | country: must be a two-letter country code",
        "municipality | Den Bosch | municipality: must be 1-63 lower-case letters",
        "scenes       | calm,Party | scenes: scene 'Party' must be 1-32 lower-case letters",
        "qos          | 3       | qos: must be between 0 and 2, was 3",
    })
    void refusesBadConfigurationNamingTheKey(String key, String value, String reason) {
        assertThatThrownBy(() -> new LightingAdapterFactory().create(new AdapterConfiguration("lighting", "default",
                Map.of(key, value)))).isInstanceOf(AdapterConfigurationException.class).message().startsWith(reason);
    }
}
