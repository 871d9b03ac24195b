package nl.lantaarn.adapter.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.adapter.admin.CommandCounters;
import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinListeners;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The command path with the real twin service: a desired property of an adapter's thing reaches the adapter, is sent
 * over MQTT, and ends exactly once as acknowledged or failed on the thing, in the counters and (failed) in the dead
 * letters. The simulated controllers answer through the loopback connection.
 */
class CommandPathTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final ThingId LAMP = ThingId.of(ControllerFactory.NAMESPACE, "l-1");
    private static final JsonPointer STATUS = JsonPointer.of("/features/lamp/properties/commandStatus");

    @TempDir
    Path home;

    private final TwinServiceComponent twin = new TwinServiceComponent(new MemoryTwinStore());
    private final MemoryDeadLetters deadLetters = new MemoryDeadLetters();
    private final LoopbackMqtt mqtt = new LoopbackMqtt();
    private final ControllerFactory factory = new ControllerFactory();
    private AdapterRegistry registry;

    /** With a short timeout, for the tests of timeouts and retries. */
    private void start(int retries) {
        start(retries, Duration.ofMillis(300));
    }

    private void start(int retries, Duration timeout) {
        registry = new AdapterRegistry(twin, deadLetters, home, new RuntimeSettings(100, 4096, Duration.ofSeconds(5),
                Duration.ofSeconds(30), timeout, retries));
        registry.mqttAdded(mqtt);
        TwinListeners.add(twin, registry::onTwinEvent);
        registry.factoryAdded(factory, factory, "test.ctl 1.0.0");
        mqtt.deliver("ctl/l-1/state", "{\"level\":10}");
        await().atMost(WAIT).until(() -> twin.retrieve(LAMP).isPresent());
    }

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
        twin.deactivate();
    }

    private void desire(int level) {
        twin.modify(LAMP, JsonPointer.of("/features/lamp/desiredProperties/level"), JsonValue.of(level),
                WriteCondition.any());
    }

    private JsonObject awaitStatus(String status) {
        await().atMost(WAIT).until(() -> commandStatus() != null
                && commandStatus().getValue("status").map(JsonValue::asString).orElse("").equals(status));
        return commandStatus();
    }

    private JsonObject commandStatus() {
        return twin.retrieve(LAMP).flatMap(t -> t.toJson().getValue(STATUS)).filter(JsonValue::isObject)
                .map(JsonValue::asObject).orElse(null);
    }

    private String status(String id) {
        return registry.status(id).orElseThrow().bundle();
    }

    private String summary() {
        return registry.commandSummary("ctl").orElseThrow();
    }

    private static String idOf(String payload) {
        Matcher matcher = ID.matcher(payload);
        assertThat(matcher.find()).as("command id in " + payload).isTrue();
        return matcher.group(1);
    }

    private List<LoopbackMqtt.Published> commandsSent() {
        return mqtt.published.stream().filter(p -> p.topic().equals("ctl/l-1/set")).toList();
    }

    @Test
    void anAcknowledgedCommandShowsAcknowledgedOnTheThing() {
        mqtt.onPublish = (topic, payload) -> mqtt.deliver("ctl/ack", "{\"id\":\"" + idOf(payload)
                + "\",\"status\":\"ok\"}");
        start(2, WAIT);

        desire(40);

        JsonObject status = awaitStatus("acknowledged");
        assertThat(commandsSent()).singleElement().satisfies(sent -> {
            assertThat(sent.qos()).isEqualTo(1);
            assertThat(sent.payload()).contains("\"level\":40");
            assertThat(idOf(sent.payload())).isEqualTo(status.getValue("commandId").orElseThrow().asString());
        });
        assertThat(status.getValue("desired")).contains(JsonObject.of("{\"level\":40}"));
        assertThat(status.getValue("at")).isPresent();
        assertThat(status.getValue("reason")).isEmpty();
        assertThat(deadLetters.letters).isEmpty();
        assertThat(summary()).contains(
                "commands sent 1, acknowledged 1, failed 0, retried 0, waiting 0");
        assertThat(registry.health().detail()).contains("commands sent 1, acknowledged 1");
    }

    @Test
    void aCommandNeverAcknowledgedIsRetriedThenFailedWithADeadLetter() {
        start(2);

        desire(40);

        JsonObject status = awaitStatus("failed");
        assertThat(status.getValue("reason").orElseThrow().asString())
                .startsWith("no acknowledgement within 0.3 s after 3 attempts");
        // the first send and two retries, the same payload each time
        assertThat(commandsSent()).hasSize(3).extracting(LoopbackMqtt.Published::payload).containsOnly(
                commandsSent().get(0).payload());
        assertThat(deadLetters.letters).singleElement().satisfies(letter -> {
            assertThat(letter.source()).isEqualTo("ctl");
            assertThat(letter.origin()).isEqualTo("ctl/l-1/set");
            assertThat(letter.reason()).contains(status.getValue("commandId").orElseThrow().asString())
                    .contains("no acknowledgement");
            assertThat(letter.payloadAsString()).isEqualTo(commandsSent().get(0).payload());
        });
        assertThat(summary()).contains(
                "commands sent 1, acknowledged 0, failed 1, retried 2, waiting 0");
        // the same counts reach the admin API and the metrics
        assertThat(registry.commands("ctl")).contains(new CommandCounters(1, 0, 2, 1, 0, 0));
        assertThat(registry.commands("no-such-instance")).isEmpty();
    }

    @Test
    void anErrorAnswerFailsTheCommandWithTheVendorsReason() {
        mqtt.onPublish = (topic, payload) -> mqtt.deliver("ctl/ack", "{\"id\":\"" + idOf(payload)
                + "\",\"status\":\"error\",\"reason\":\"lamp driver broken\"}");
        start(2, WAIT);

        desire(40);

        JsonObject status = awaitStatus("failed");
        assertThat(status.getValue("reason")).contains(JsonValue.of("the vendor answered error: lamp driver broken"));
        assertThat(commandsSent()).hasSize(1);
        assertThat(deadLetters.letters).extracting(DeadLetter::origin).containsExactly("ctl/l-1/set");
        assertThat(summary()).contains(
                "commands sent 1, acknowledged 0, failed 1, retried 0, waiting 0");
    }

    @Test
    void aLateAcknowledgementAfterARetryStillCompletesTheCommandOnce() {
        // answers only the second sending of each command
        java.util.Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
        mqtt.onPublish = (topic, payload) -> {
            if (seen.merge(idOf(payload), 1, Integer::sum) == 2) {
                mqtt.deliver("ctl/ack", "{\"id\":\"" + idOf(payload) + "\",\"status\":\"ok\"}");
                mqtt.deliver("ctl/ack", "{\"id\":\"" + idOf(payload) + "\",\"status\":\"ok\"}"); // duplicate
            }
        };
        start(5);

        desire(55);

        awaitStatus("acknowledged");
        await().atMost(WAIT).untilAsserted(() -> assertThat(summary()).contains(
                "commands sent 1, acknowledged 1, failed 0, retried ").endsWith(", waiting 0"));
        // answered on the second sending; a slow machine may have sent a third time before the answer was taken
        assertThat(summary()).containsAnyOf("retried 1,", "retried 2,");
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void aWaitingCommandSurvivesAnUpgradeOfTheAdapterBundle() {
        start(5, WAIT);
        desire(40);
        await().atMost(WAIT).until(() -> !commandsSent().isEmpty());
        String id = idOf(commandsSent().get(0).payload());

        registry.factoryRemoved(factory);
        ControllerFactory next = new ControllerFactory();
        registry.factoryAdded(next, next, "test.ctl 1.0.1");
        mqtt.deliver("ctl/ack", "{\"id\":\"" + id + "\",\"status\":\"ok\"}");

        assertThat(awaitStatus("acknowledged").getValue("commandId")).contains(JsonValue.of(id));
        assertThat(status("ctl")).isEqualTo("test.ctl 1.0.1");
    }

    @Test
    void aCommandTheAdapterRefusesFailsWithItsReasonAndNothingIsSent() {
        start(2);

        desire(140);

        JsonObject status = awaitStatus("failed");
        assertThat(status.getValue("reason")).contains(JsonValue.of(
                "rejected by adapter ctl: level: must be 0 to 100, was 140"));
        assertThat(commandsSent()).isEmpty();
        assertThat(deadLetters.letters).singleElement().satisfies(letter -> {
            assertThat(letter.origin()).isEqualTo("twin:nl.test.lighting:l-1/features/lamp/desiredProperties");
            assertThat(letter.payloadAsString()).isEqualTo("{\"level\":140}");
        });
    }

    @Test
    void aStoppedInstanceFailsItsCommandsAtOnce() {
        start(2);
        registry.stop("ctl");

        desire(40);

        assertThat(awaitStatus("failed").getValue("reason").orElseThrow().asString())
                .startsWith("adapter instance ctl does not take commands now: adapter instance ctl is stopped");
        assertThat(commandsSent()).isEmpty();
    }

    @Test
    void stoppingFailsTheCommandsThatWaitForAnAnswer() {
        start(5, WAIT);
        desire(40);
        await().atMost(WAIT).until(() -> !commandsSent().isEmpty());

        registry.stop("ctl");

        assertThat(awaitStatus("failed").getValue("reason").orElseThrow().asString())
                .startsWith("adapter instance ctl is stopped");
        assertThat(summary()).contains("failed 1").contains("waiting 0");
    }

    @Test
    void everyDesiredChangeEndsExactlyOnce() {
        mqtt.onPublish = (topic, payload) -> {
            if (payload.contains("\"level\":1") || payload.contains("\"level\":3")) {
                mqtt.deliver("ctl/ack", "{\"id\":\"" + idOf(payload) + "\",\"status\":\"ok\"}");
            }
        };
        start(0, Duration.ofSeconds(2));

        for (int level = 1; level <= 4; level++) {
            desire(level);
        }
        // merging desired and reported values in one write: one command for the desired part
        twin.merge(LAMP, JsonPointer.empty(), JsonObject.of(
                "{\"features\":{\"lamp\":{\"properties\":{\"level\":7},\"desiredProperties\":{\"level\":3}}}}"),
                WriteCondition.any());

        await().atMost(WAIT).untilAsserted(() -> assertThat(summary()).contains(
                "commands sent 5, acknowledged 3, failed 2, retried 0, waiting 0"));
        assertThat(deadLetters.letters).hasSize(2);
    }

    @Test
    void thingsOfNoInstanceAndReportedStateAreNoCommands() {
        start(2);
        twin.merge(LAMP, JsonPointer.empty(), JsonObject.of(
                "{\"features\":{\"lamp\":{\"properties\":{\"level\":30}}}}"), WriteCondition.any());
        ThingId other = ThingId.of("nl.test.lighting", "other");
        twin.merge(other, JsonPointer.empty(), JsonObject.of(
                "{\"attributes\":{\"adapter\":\"nobody\"},\"features\":{\"lamp\":{\"desiredProperties\":{\"level\":3}}}}"),
                WriteCondition.any());
        mqtt.deliver("ctl/l-1/state", "{\"level\":11}");
        await().atMost(WAIT).until(() -> twin.retrieve(LAMP).orElseThrow().toJson()
                .getValue(JsonPointer.of("/features/lamp/properties/level")).orElseThrow().asDouble() == 11.0);

        assertThat(mqtt.published).isEmpty();
        assertThat(summary()).contains("commands sent 0, acknowledged 0, failed 0");
        assertThat(commandStatus()).isNull();
    }
}
