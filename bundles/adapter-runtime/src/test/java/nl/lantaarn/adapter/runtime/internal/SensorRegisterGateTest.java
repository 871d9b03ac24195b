package nl.lantaarn.adapter.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.things.model.SensorRegister;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The sensor register in the ingestion path, with the real twin service: register fields from the instance
 * configuration and the privacy manifest, expiry, and the quarantine of unregistered sensors.
 */
class SensorRegisterGateTest {

    @TempDir
    Path home;

    private final MemoryTwinStore store = new MemoryTwinStore();
    private final TwinServiceComponent twin = new TwinServiceComponent(store);
    private final MemoryDeadLetters deadLetters = new MemoryDeadLetters();
    private final LoopbackMqtt mqtt = new LoopbackMqtt();
    private AdapterRegistry registry;

    private void start(boolean quarantine, Map<String, Object> properties) {
        registry = new AdapterRegistry(twin, deadLetters, home, new RuntimeSettings(100, 4096,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10), 2, quarantine));
        registry.mqttAdded(mqtt);
        TestFactory crowd = TestFactory.mqtt("crowd", false, TestFactory.COUNTING);
        registry.factoryAdded(crowd, crowd, "test.crowd 1.0.0");
        String factoryPid = InstanceConfig.PREFIX + "crowd";
        registry.configurationChanged(InstanceConfig.parse(factoryPid + "~stratumseind", factoryPid, properties)
                .orElseThrow());
    }

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
        twin.deactivate();
    }

    private static Map<String, Object> registerConfig(String activeUntil) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("register.sensorType", "Aanwezigheidsensor");
        properties.put("register.organisation", "Gemeente Eindhoven");
        properties.put("register.contact.name", "Team Stratumseind");
        properties.put("register.contact.email", "stratumseind@example.nl");
        properties.put("register.activeUntil", activeUntil);
        properties.put("register.regions", "stratumseind, centrum");
        properties.put("register.reference", "EHV-2026-7");
        return properties;
    }

    private IngestResult send(String sensor, int count) throws Exception {
        CompletionStage<IngestResult> result = registry.ingest("crowd.stratumseind", new InboundMessage(
                "sim/crowd/" + sensor, ("{\"count\":" + count + "}").getBytes(StandardCharsets.UTF_8), Instant.now()));
        return result.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private JsonObject register(String sensor) {
        Thing thing = twin.retrieve(ThingId.of("nl.test.crowd", sensor)).orElseThrow();
        return thing.getAttributes().orElseThrow().getValue(JsonPointer.of("register")).orElseThrow().asObject();
    }

    @Test
    void theInstanceConfigurationAndTheManifestGiveEveryThingItsRegisterFields() throws Exception {
        start(false, registerConfig("2099-12-31"));
        assertThat(send("c-1", 3).accepted()).isTrue();
        JsonObject register = register("c-1");
        assertThat(register).isEqualTo(JsonObject.of("""
                {"containsPersonalData":false,"goal":"tests","legalGround":"PUBLIC_TASK",
                 "activeUntil":"2099-12-31","contact":{"email":"stratumseind@example.nl","name":"Team Stratumseind"},
                 "organisation":"Gemeente Eindhoven","reference":"EHV-2026-7","regions":["stratumseind","centrum"],
                 "sensorType":"Aanwezigheidsensor"}"""));
        assertThat(SensorRegister.validate(register, "r")).isEmpty();
        // the adapter never sees the register keys (the TTN adapter, for one, refuses keys it does not know)
        assertThat(registry.status("crowd.stratumseind").orElseThrow().state()).isEqualTo(AdapterState.RUNNING);
        // a field set on one thing through the API is kept: the configuration writes only the fields it names
        twin.merge(ThingId.of("nl.test.crowd", "c-1"), JsonPointer.of("attributes/register/privacyStatement"),
                JsonValue.of("https://eindhoven.example.nl/privacy"), WriteCondition.any());
        assertThat(send("c-1", 4).accepted()).isTrue();
        assertThat(register("c-1").getValue("privacyStatement")).contains(
                JsonValue.of("https://eindhoven.example.nl/privacy"));
    }

    @Test
    void badRegisterFieldsFailTheInstanceNamingEachKey() {
        Map<String, Object> properties = registerConfig("31-12-2030");
        properties.put("register.contact.email", "nobody");
        properties.put("register.colour", "red");
        properties.put("register.legalGround", "BECAUSE");
        start(false, properties);
        AdapterStatus status = registry.status("crowd.stratumseind").orElseThrow();
        assertThat(status.state()).isEqualTo(AdapterState.FAILED);
        assertThat(status.reason()).startsWith("configuration: register.colour: is not a register field")
                .contains("register.contact.email: must be an e-mail address, was \"nobody\"")
                .contains("register.legalGround: must be one of " + SensorRegister.LEGAL_GROUNDS)
                .contains("register.activeUntil: must be a date YYYY-MM-DD, the last day the sensor may collect, "
                        + "was \"31-12-2030\"");
    }

    @Test
    void aSensorPastActiveUntilIsRefusedWithTheReason() throws Exception {
        String yesterday = LocalDate.now().minusDays(1).toString();
        start(false, registerConfig(yesterday));
        IngestResult refused = send("c-2", 5);
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.reason()).isEqualTo("sensor nl.test.crowd:c-2 is inactive: it was registered until "
                + yesterday + " (the configuration of its adapter instance (register.activeUntil)), so its data is "
                + "no longer accepted; extend activeUntil to take its data again");
        assertThat(deadLetters.reasons()).containsExactly(refused.reason());
        assertThat(twin.retrieve(ThingId.of("nl.test.crowd", "c-2"))).isEmpty();
    }

    @Test
    void aThingRegisteredThroughTheApiExpiresByItsOwnActiveUntil() throws Exception {
        start(false, Map.of());
        assertThat(send("c-3", 1).accepted()).isTrue();
        String today = LocalDate.now().toString();
        JsonObject register = JsonObject.of(SENSOR.replace("UNTIL", today));
        twin.modify(ThingId.of("nl.test.crowd", "c-3"), JsonPointer.of("attributes/register"), register,
                WriteCondition.any());
        assertThat(send("c-3", 2).accepted()).as("the last day still counts").isTrue();

        String past = LocalDate.now().minusDays(3).toString();
        twin.modify(ThingId.of("nl.test.crowd", "c-3"), JsonPointer.of("attributes/register/activeUntil"),
                JsonValue.of(past), WriteCondition.any());
        IngestResult refused = send("c-3", 3);
        assertThat(refused.reason()).isEqualTo("sensor nl.test.crowd:c-3 is inactive: it was registered until "
                + past + " (its attributes/register/activeUntil), so its data is no longer accepted; extend "
                + "activeUntil to take its data again");
        assertThat(twin.retrieve(ThingId.of("nl.test.crowd", "c-3")).orElseThrow().getFeatures().orElseThrow()
                .getFeature("crowd").orElseThrow().getProperty(JsonPointer.of("count"))).contains(JsonValue.of(2.0));
    }

    static final String SENSOR = """
            {"sensorType":"Aanwezigheidsensor","organisation":"Gemeente Eindhoven",
             "contact":{"email":"stratumseind@example.nl"},"containsPersonalData":false,"goal":"Drukte meten",
             "activeUntil":"UNTIL"}""";

    @Test
    void quarantineRefusesUnregisteredSensorsAndLetsRegisteredAndExemptOnesThrough() throws Exception {
        start(true, Map.of());
        IngestResult refused = send("c-4", 1);
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.reason()).isEqualTo("thing nl.test.crowd:c-4 is not in the sensor register, and "
                + "quarantineUnregistered is on (etc/nl.lantaarn.adapter.runtime.cfg): give its adapter instance "
                + "register.* fields, or the thing attributes/register through the API");
        assertThat(deadLetters.letters).singleElement().satisfies(letter -> {
            assertThat(letter.source()).isEqualTo("crowd.stratumseind");
            assertThat(letter.reason()).isEqualTo(refused.reason());
            assertThat(new String(letter.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"count\":1}");
        });
        assertThat(twin.retrieve(ThingId.of("nl.test.crowd", "c-4"))).isEmpty();

        // registered through the API: taken
        twin.apply(nl.lantaarn.things.model.ThingUpdate.merge(ThingId.of("nl.test.crowd", "c-5"), JsonObject.of(
                "{\"attributes\":{\"register\":" + SENSOR.replace("UNTIL", "2099-01-01") + "}}")));
        assertThat(send("c-5", 1).accepted()).isTrue();

        // registered by the instance configuration: taken
        registry.configurationChanged(InstanceConfig.parse(InstanceConfig.PREFIX + "crowd~stratumseind",
                InstanceConfig.PREFIX + "crowd", registerConfig("2099-12-31")).orElseThrow());
        assertThat(send("c-4", 2).accepted()).isTrue();
        assertThat(register("c-4").getValue("organisation")).contains(JsonValue.of("Gemeente Eindhoven"));

        // exempt (no sensors in public space): taken, and no register fields written
        registry.configurationChanged(InstanceConfig.parse(InstanceConfig.PREFIX + "crowd~stratumseind",
                InstanceConfig.PREFIX + "crowd", Map.of("register.exempt", "citizen reports, no sensors"))
                .orElseThrow());
        assertThat(send("c-6", 2).accepted()).isTrue();
        // (the hub's privacy metadata is there, as on every thing an adapter writes; the register is not)
        assertThat(twin.retrieve(ThingId.of("nl.test.crowd", "c-6")).orElseThrow().getAttributes()
                .flatMap(attributes -> attributes.getValue("register"))).isEmpty();
    }

    @Test
    void theRegisterLegalGroundsAreTheManifests() {
        assertThat(SensorRegister.LEGAL_GROUNDS).containsExactlyElementsOf(
                Arrays.stream(PrivacyManifest.LegalGround.values()).map(Enum::name).toList());
    }

    @Test
    void todayTurnsAtMidnightInTheHubsZone() {
        RegisterGate.Today today = new RegisterGate.Today(java.time.ZoneId.of("Europe/Amsterdam"));
        long lateEvening = Instant.parse("2026-11-24T22:59:59Z").toEpochMilli();
        assertThat(today.at(lateEvening)).isEqualTo("2026-11-24");
        assertThat(today.at(lateEvening + 1000)).isEqualTo("2026-11-25");
    }
}
