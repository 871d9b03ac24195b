package nl.lantaarn.adapter.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.admin.UnknownAdapterException;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The runtime's lifecycle with the real twin service (on its in-memory store) and plain collaborators: instances from
 * factories and configurations, mapping, dead letters, upgrades, isolation, admin.
 */
class AdapterRegistryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path home;

    private final MemoryTwinStore store = new MemoryTwinStore();
    private final TwinServiceComponent twin = new TwinServiceComponent(store);
    private final MemoryDeadLetters deadLetters = new MemoryDeadLetters();
    private final LoopbackMqtt mqtt = new LoopbackMqtt();
    private final CountDownLatch release = new CountDownLatch(1);
    private AdapterRegistry registry;

    private AdapterRegistry registry(RuntimeSettings settings) {
        registry = new AdapterRegistry(twin, deadLetters, home, settings);
        registry.mqttAdded(mqtt);
        return registry;
    }

    private AdapterRegistry registry() {
        return registry(new RuntimeSettings(100, 1024, Duration.ofSeconds(1), Duration.ofSeconds(30)));
    }

    @AfterEach
    void close() {
        release.countDown();
        if (registry != null) {
            registry.close();
        }
        twin.deactivate();
    }

    private static InstanceConfig config(String type, String name, Map<String, ?> properties) {
        String factoryPid = InstanceConfig.PREFIX + type;
        return InstanceConfig.parse(factoryPid + "~" + name, factoryPid, properties).orElseThrow();
    }

    private AdapterStatus status(String id) {
        return registry.status(id).orElseThrow(() -> new AssertionError("no instance " + id + " in " + registry.list()));
    }

    private static InboundMessage message(String origin, String payload) {
        return new InboundMessage(origin, payload.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    private static IngestResult join(java.util.concurrent.CompletionStage<IngestResult> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void mapsRejectsAndKeepsTooLargePayloadsUnparsed() {
        registry(new RuntimeSettings(100, 64, Duration.ofSeconds(5), Duration.ofSeconds(30)));
        TestFactory crowd = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(crowd, crowd, "test.crowd 1.0.0");

        mqtt.deliver("sim/crowd/c-1", "{\"count\":12}");
        mqtt.deliver("sim/crowd/c-2", "{\"count\":\"many\"}");
        mqtt.deliver("sim/crowd/c-3", "{\"count\":1,\"padding\":\"" + "x".repeat(100) + "\"}");

        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters.letters).hasSize(2));
        assertThat(twin.retrieve(ThingId.of("nl.test.crowd", "c-1"))).isPresent();
        assertThat(deadLetters.reasons()).containsExactlyInAnyOrder(
                "field 'count' must be a number, was a string \"many\"",
                "payload of 124 bytes exceeds the limit of 64 bytes (maxPayloadBytes in etc/nl.lantaarn.adapter.runtime.cfg)");
        assertThat(deadLetters.letters).allSatisfy(letter -> assertThat(letter.source()).isEqualTo("crowd"));
        // the large one never reached the adapter
        assertThat(crowd.last().origins).containsExactly("sim/crowd/c-1", "sim/crowd/c-2");

        AdapterStatus status = status("crowd");
        assertThat(status.state()).isEqualTo(AdapterState.RUNNING);
        assertThat(status.reason()).isNull();
        assertThat(status.type()).isEqualTo("crowd");
        assertThat(status.vendor()).isEqualTo("Test vendor");
        assertThat(status.domains()).containsExactly("crowd");
        assertThat(status.bundle()).isEqualTo("test.crowd 1.0.0");
        assertThat(status.inbound()).isEqualTo("mqtt:sim/crowd/+ (qos 1)");
        assertThat(status.privacy()).isSameAs(crowd.type.privacy());
        assertThat(List.of(status.received(), status.mapped(), status.rejected(), status.deadLettered(),
                status.thingUpdates())).containsExactly(3L, 1L, 1L, 2L, 1L);
        assertThat(status.inboxCapacity()).isEqualTo(100);
        assertThat(status.maxMappingMicros()).isGreaterThanOrEqualTo((long) status.meanMappingMicros());
        assertThat(status.lastReceivedAt()).isNotNull();
    }

    @Test
    void anAdapterThatThrowsIsDegradedUntilAMapCallSucceeds() {
        registry();
        TestFactory broken = TestFactory.mqtt("broken", true, (config, message) -> {
            if (message.payloadAsString().contains("boom")) {
                throw new IllegalStateException("bug in mapping");
            }
            return TestFactory.COUNTING.map(config, message);
        });
        registry.factoryAdded(broken, broken, "test 1");

        mqtt.deliver("sim/broken/b-1", "{\"boom\":1}");
        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters.reasons())
                .containsExactly("adapter broken failed: java.lang.IllegalStateException: bug in mapping"));
        assertThat(status("broken").state()).isEqualTo(AdapterState.DEGRADED);
        assertThat(status("broken").reason())
                .isEqualTo("the last map call failed: java.lang.IllegalStateException: bug in mapping");

        mqtt.deliver("sim/broken/b-2", "{\"count\":1}");
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("broken").state()).isEqualTo(AdapterState.RUNNING));
    }

    @Test
    void updatesTheTwinRefusesOrCannotStoreBecomeDeadLetters() {
        registry();
        TestFactory bad = TestFactory.mqtt("bad", true, (config, message) -> message.lastTopicLevel().equals("x")
                ? List.of(ThingUpdate.merge(ThingId.of("demo", "x"), JsonObject.empty()))
                : TestFactory.COUNTING.map(config, message));
        registry.factoryAdded(bad, bad, "test 1");

        mqtt.deliver("sim/bad/x", "{}");
        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters.reasons()).singleElement().asString()
                .startsWith("thing update for demo:x refused: thingId: namespace 'demo'"));

        store.failWrites = true; // e.g. a full disk under the twin store
        mqtt.deliver("sim/bad/c-1", "{\"count\":3}");
        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters.reasons()).hasSize(2).last().asString()
                .startsWith("thing update for nl.test.crowd:c-1 not stored: memory store: no space left"));
        assertThat(status("bad").thingUpdates()).isZero();
    }

    @Test
    void aFullInboxHoldsUpTheMqttIntakeInsteadOfDeadLetteringAndLosesNothing() throws InterruptedException {
        registry(new RuntimeSettings(5, 1024, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(10),
                2, false, Duration.ofSeconds(60)));
        CountDownLatch entered = new CountDownLatch(1);
        List<String> mapped = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        TestFactory held = TestFactory.mqtt("crowd", true, (config, message) -> {
            entered.countDown();
            release.await();
            mapped.add(message.origin());
            return TestFactory.COUNTING.map(config, message);
        });
        registry.factoryAdded(held, held, "test 1");

        // the connection's delivery thread: it waits whenever the inbox is full
        int messages = 200;
        java.util.concurrent.atomic.AtomicInteger delivered = new java.util.concurrent.atomic.AtomicInteger();
        Thread intake = new Thread(() -> {
            for (int i = 0; i < messages; i++) {
                mqtt.deliver("sim/crowd/c-" + i, "{\"count\":" + i + "}");
                delivered.incrementAndGet();
            }
        });
        intake.start();
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        // one message in the map call, five in the inbox, and the intake waits with the next one
        await().atMost(WAIT).untilAsserted(() -> assertThat(intake.getState()).isEqualTo(Thread.State.TIMED_WAITING));
        assertThat(delivered.get()).isEqualTo(6);
        assertThat(deadLetters.letters).isEmpty();

        release.countDown();
        intake.join(TimeUnit.SECONDS.toMillis(20));
        await().atMost(WAIT).untilAsserted(() -> assertThat(twin.size()).isEqualTo(messages));
        assertThat(deadLetters.letters).isEmpty();
        assertThat(mapped).hasSize(messages);
        for (int i = 0; i < messages; i++) {
            assertThat(mapped.get(i)).isEqualTo("sim/crowd/c-" + i); // in the order published
        }
        assertThat(status("crowd").received()).isEqualTo(messages);
        assertThat(status("crowd").deadLettered()).isZero();
    }

    @Test
    void anInboxThatStaysFullDeadLettersAfterTheWaitAndThenAtOnce() throws InterruptedException {
        registry(new RuntimeSettings(2, 1024, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(10),
                2, false, Duration.ofMillis(200)));
        CountDownLatch entered = new CountDownLatch(1);
        TestFactory stuck = TestFactory.mqtt("stuck", true, (config, message) -> {
            entered.countDown();
            release.await();
            return List.of();
        });
        registry.factoryAdded(stuck, stuck, "test 1");
        mqtt.deliver("sim/stuck/s-0", "{}");
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 10; i++) {
            mqtt.deliver("sim/stuck/s-" + i, "{}");
        }
        // one in the map call, two queued; the first that found no room waited, the others did not
        assertThat(deadLetters.letters).hasSize(7).allSatisfy(letter -> assertThat(letter.reason())
                .startsWith("inbox of adapter instance stuck is full (2 payloads): the adapter is not keeping up"));
        assertThat(deadLetters.letters.get(0).reason()).endsWith("(waited 0 s for room)");
    }

    @Test
    void aStuckAdapterIsDegradedFillsOnlyItsOwnInboxAndHoldsUpNobodyElse() throws InterruptedException {
        registry(new RuntimeSettings(2, 1024, Duration.ofSeconds(1), Duration.ofSeconds(30)));
        CountDownLatch entered = new CountDownLatch(1);
        TestFactory stuck = TestFactory.mqtt("stuck", true, (config, message) -> {
            entered.countDown();
            release.await();
            return List.of();
        });
        registry.factoryAdded(stuck, stuck, "test 1");
        registry.settingsChanged(new RuntimeSettings(100, 1024, Duration.ofSeconds(1), Duration.ofSeconds(30)));
        TestFactory crowd = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(crowd, crowd, "test 1");

        mqtt.deliver("sim/stuck/s-0", "{}");
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 10; i++) {
            mqtt.deliver("sim/stuck/s-" + i, "{}");
        }
        for (int i = 0; i < 50; i++) {
            mqtt.deliver("sim/crowd/c-" + i, "{\"count\":" + i + "}");
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(twin.size()).isEqualTo(50));
        // one payload in the map call, two queued, the rest kept as dead letters with the reason
        assertThat(deadLetters.letters).hasSize(7).allSatisfy(letter -> assertThat(letter.reason())
                .isEqualTo("inbox of adapter instance stuck is full (2 payloads): the adapter is not keeping up"));
        await().atMost(WAIT).untilAsserted(() -> {
            AdapterStatus status = status("stuck");
            assertThat(status.state()).isEqualTo(AdapterState.DEGRADED);
            assertThat(status.reason()).contains("a map call has been running for").contains("may be stuck")
                    .contains("inbox 2 of 2 full");
        });
        assertThat(status("crowd").state()).isEqualTo(AdapterState.RUNNING);
        assertThat(registry.health().status()).hasToString("DEGRADED");
    }

    @Test
    void configurationsMakeInstancesAndTheDefaultInstanceGivesWay() {
        registry();
        TestFactory crowd = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(crowd, crowd, "test 1");
        assertThat(registry.list()).extracting(AdapterStatus::id).containsExactly("crowd");
        TestFactory.TestAdapter implicit = crowd.last();
        assertThat(implicit.configuration.properties()).isEmpty();

        registry.configurationChanged(config("crowd", "north", Map.of("topic", "sim/north/+")));
        assertThat(registry.list()).extracting(AdapterStatus::id).containsExactly("crowd.north");
        assertThat(implicit.closed).isTrue();
        assertThat(mqtt.filters()).containsExactly("sim/north/+");
        mqtt.deliver("sim/north/n-1", "{\"count\":4}");
        await().atMost(WAIT).until(() -> twin.retrieve(ThingId.of("nl.test.crowd", "n-1")).isPresent());

        // an update closes the old adapter and makes a new one; the counters stay with the instance
        TestFactory.TestAdapter first = crowd.last();
        registry.configurationChanged(config("crowd", "north", Map.of("topic", "sim/north2/+")));
        assertThat(first.closed).isTrue();
        assertThat(crowd.last()).isNotSameAs(first);
        assertThat(crowd.last().configuration.string("topic", null)).isEqualTo("sim/north2/+");
        assertThat(mqtt.filters()).containsExactly("sim/north2/+");
        assertThat(status("crowd.north").received()).isEqualTo(1);

        // the same configuration again (e.g. the listing after an event) changes nothing
        TestFactory.TestAdapter second = crowd.last();
        registry.configurationChanged(config("crowd", "north", Map.of("topic", "sim/north2/+")));
        assertThat(crowd.last()).isSameAs(second);

        registry.configurationDeleted("nl.lantaarn.adapter.crowd~north");
        assertThat(second.closed).isTrue();
        assertThat(registry.list()).extracting(AdapterStatus::id).containsExactly("crowd");
        assertThat(mqtt.filters()).containsExactly("sim/crowd/+");
    }

    @Test
    void aBadConfigurationFailsOnlyItsOwnInstance() throws Exception {
        registry();
        TestFactory crowd = TestFactory.mqtt("crowd", false, TestFactory.COUNTING);
        registry.factoryAdded(crowd, crowd, "test 1");
        registry.configurationChanged(config("crowd", "good", Map.of("topic", "sim/good/+")));
        registry.configurationChanged(config("crowd", "bad", Map.of("topic", "sim/bad/+", "limit", "1000")));

        AdapterStatus bad = status("crowd.bad");
        assertThat(bad.state()).isEqualTo(AdapterState.FAILED);
        assertThat(bad.reason()).isEqualTo("configuration: limit: must be between 1 and 100, was 1000");
        assertThat(status("crowd.good").state()).isEqualTo(AdapterState.RUNNING);
        assertThat(mqtt.filters()).containsExactly("sim/good/+");

        IngestResult refused = join(registry.ingest("crowd.bad", message("test", "{\"count\":1}")));
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.reason()).isEqualTo("adapter instance crowd.bad failed: configuration: limit: must be "
                + "between 1 and 100, was 1000");
        assertThat(refused.deadLetterId()).isEqualTo(deadLetters.letters.get(0).id());

        registry.configurationChanged(config("crowd", "bad", Map.of("topic", "sim/bad/+", "limit", "50")));
        assertThat(status("crowd.bad").state()).isEqualTo(AdapterState.RUNNING);
    }

    @Test
    void aConfigurationOfAnAbsentTypeWaitsForIt() throws Exception {
        registry();
        registry.configurationChanged(config("ttn", "eindhoven", Map.of()));
        AdapterStatus waiting = status("ttn.eindhoven");
        assertThat(waiting.state()).isEqualTo(AdapterState.WAITING);
        assertThat(waiting.reason()).isEqualTo("adapter type ttn is not installed");
        assertThat(waiting.vendor()).isNull();
        assertThat(waiting.bundle()).isNull();
        assertThat(waiting.inbound()).isNull();
        assertThat(join(registry.ingest("ttn.eindhoven", message("x", "{}"))).reason())
                .isEqualTo("adapter type ttn is not installed");
        assertThat(registry.health().status()).hasToString("DEGRADED");
        assertThat(registry.health().detail()).startsWith("ttn.eindhoven WAITING (adapter type ttn is not installed)");

        TestFactory ttn = TestFactory.mqtt("ttn", false, TestFactory.COUNTING);
        registry.factoryAdded(ttn, ttn, "test.ttn 1.0.0");
        assertThat(status("ttn.eindhoven").state()).isEqualTo(AdapterState.RUNNING);
        assertThat(ttn.last().configuration.instanceId()).isEqualTo("ttn.eindhoven");
    }

    @Test
    void anUpgradeKeepsTheQueueAndTheNewVersionMapsItInOrder() {
        registry();
        TestFactory v1 = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(v1, v1, "test.crowd 1.0.0");
        mqtt.deliver("sim/crowd/c-0", "{\"count\":0}");
        await().atMost(WAIT).until(() -> twin.size() == 1);
        TestFactory.TestAdapter old = v1.last();

        registry.factoryRemoved(v1);
        AdapterStatus waiting = status("crowd");
        assertThat(waiting.state()).isEqualTo(AdapterState.WAITING);
        assertThat(waiting.reason()).contains("went away").contains("kept for up to 30 s");
        assertThat(waiting.inbound()).isEqualTo("mqtt:sim/crowd/+ (qos 1)");
        assertThat(old.closed).isTrue();
        assertThat(registry.health().status()).as("health during an upgrade").hasToString("UP");
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            mqtt.deliver("sim/crowd/c-" + i, "{\"count\":" + i + "}");
            expected.add("sim/crowd/c-" + i);
        }
        assertThat(status("crowd").inboxSize()).isEqualTo(60);
        assertThat(old.origins).containsExactly("sim/crowd/c-0");

        TestFactory v2 = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(v2, v2, "test.crowd 2.0.0");
        await().atMost(WAIT).until(() -> twin.size() == 61);
        assertThat(v2.last().origins).containsExactlyElementsOf(expected);
        assertThat(old.mappedAfterClose).isFalse();
        assertThat(deadLetters.letters).isEmpty();
        AdapterStatus running = status("crowd");
        assertThat(running.state()).isEqualTo(AdapterState.RUNNING);
        assertThat(running.bundle()).isEqualTo("test.crowd 2.0.0");
        assertThat(running.received()).isEqualTo(61);
        assertThat(running.thingUpdates()).isEqualTo(61);
    }

    @Test
    void aNewVersionWithAnotherTopicIsSubscribedAnew() {
        registry();
        TestFactory v1 = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(v1, v1, "v1");
        registry.factoryRemoved(v1);
        mqtt.deliver("sim/crowd/c-1", "{\"count\":1}");
        TestFactory v2 = new TestFactory("crowd", true, config -> Inbound.mqtt("sim/crowd2/+", 1),
                TestFactory.COUNTING);
        registry.factoryAdded(v2, v2, "v2");
        assertThat(mqtt.filters()).containsExactly("sim/crowd2/+");
        mqtt.deliver("sim/crowd2/c-2", "{\"count\":2}");
        await().atMost(WAIT).until(() -> twin.size() == 2);
        assertThat(v2.last().origins).containsExactly("sim/crowd/c-1", "sim/crowd2/c-2");
    }

    @Test
    void removingTheFactoryFinishesTheMapCallInFlightBeforeItCloses() throws Exception {
        registry(new RuntimeSettings(100, 1024, Duration.ofSeconds(60), Duration.ofSeconds(30)));
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean inMap = new AtomicBoolean();
        TestFactory slow = TestFactory.mqtt("slow", true, (config, message) -> {
            inMap.set(true);
            entered.countDown();
            release.await();
            inMap.set(false);
            return TestFactory.COUNTING.map(config, message);
        });
        registry.factoryAdded(slow, slow, "v1");
        mqtt.deliver("sim/slow/s-1", "{\"count\":1}");
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

        Thread unbinding = new Thread(() -> registry.factoryRemoved(slow), "unbind");
        unbinding.start();
        // the unbinding waits for the call in flight
        await().atMost(WAIT).until(() -> unbinding.getState() == Thread.State.TIMED_WAITING);
        assertThat(slow.last().closed).isFalse();
        release.countDown();
        unbinding.join(20_000);
        assertThat(unbinding.isAlive()).isFalse();
        assertThat(slow.last().closed).isTrue();
        assertThat(inMap).isFalse();
        // the mapped update was handed to an apply lane, which applies it also after the instance closed
        await().atMost(WAIT).until(() -> twin.retrieve(ThingId.of("nl.test.crowd", "s-1")).isPresent());
        assertThat(status("slow").state()).isEqualTo(AdapterState.WAITING);
    }

    @Test
    void whenTheGracePeriodPassesQueuedPayloadsBecomeDeadLetters() {
        registry(new RuntimeSettings(100, 1024, Duration.ofSeconds(1), Duration.ofMillis(300)));
        TestFactory crowd = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(crowd, crowd, "v1");
        registry.configurationChanged(config("crowd", "north", Map.of("topic", "sim/north/+")));
        registry.factoryRemoved(crowd);
        mqtt.deliver("sim/north/n-1", "{\"count\":1}");
        mqtt.deliver("sim/north/n-2", "{\"count\":2}");

        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters.letters).hasSize(2)
                .allSatisfy(letter -> assertThat(letter.reason()).isEqualTo("adapter type crowd was removed")));
        AdapterStatus status = status("crowd.north");
        assertThat(status.state()).isEqualTo(AdapterState.WAITING);
        assertThat(status.reason()).isEqualTo("adapter type crowd was removed");
        assertThat(status.inbound()).isNull();
        assertThat(mqtt.filters()).isEmpty();
        assertThat(twin.size()).isZero();
    }

    @Test
    void aDefaultInstanceGoesWithItsType() {
        registry(new RuntimeSettings(100, 1024, Duration.ofSeconds(1), Duration.ZERO));
        TestFactory crowd = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(crowd, crowd, "v1");
        registry.factoryRemoved(crowd);
        assertThat(registry.list()).isEmpty();
        assertThat(mqtt.filters()).isEmpty();
    }

    @Test
    void ingestCompletesWithTheOutcomeAndReplayKeepsOneDeadLetter() throws Exception {
        registry();
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean fixed = new AtomicBoolean();
        TestFactory hook = new TestFactory("reports", true, config -> Inbound.webhook("reports"),
                (config, message) -> {
                    if (message.payloadAsString().contains("old-format") && !fixed.get()) {
                        throw new PayloadRejectedException("old format, attempt " + attempts.incrementAndGet());
                    }
                    return List.of(ThingUpdate.merge(ThingId.of("nl.test.reports", "r-1"), JsonObject.empty()));
                });
        registry.factoryAdded(hook, hook, "v1");
        assertThat(status("reports").inbound()).isEqualTo("webhook:reports")
                .isEqualTo("webhook:" + Inbound.webhook("reports").source());

        IngestResult ok = join(registry.ingest("reports", message("/ingest/reports/r", "{}")));
        assertThat(ok).isEqualTo(new IngestResult(true, List.of("nl.test.reports:r-1"), null, null));

        IngestResult rejected = join(registry.ingest("reports", message("/ingest/reports/r", "{\"old-format\":1}")));
        assertThat(rejected.accepted()).isFalse();
        assertThat(rejected.reason()).isEqualTo("old format, attempt 1");
        DeadLetter letter = deadLetters.letters.get(0);
        assertThat(rejected.deadLetterId()).isEqualTo(letter.id());

        IngestResult again = join(registry.replay(letter.id()));
        assertThat(again).isEqualTo(new IngestResult(false, List.of(), "old format, attempt 2", null));
        assertThat(deadLetters.letters).singleElement().satisfies(l -> {
            assertThat(l.id()).isEqualTo(letter.id());
            assertThat(l.reason()).isEqualTo("old format, attempt 2");
        });

        fixed.set(true);
        IngestResult replayed = join(registry.replay(letter.id()));
        assertThat(replayed.accepted()).isTrue();
        assertThat(deadLetters.letters).isEmpty();
        assertThat(status("reports").deadLettered()).isEqualTo(1);

        assertThatThrownBy(() -> registry.replay("no-such-letter")).isInstanceOf(java.util.NoSuchElementException.class)
                .hasMessageContaining("no-such-letter");
        assertThatThrownBy(() -> registry.ingest("nobody", message("x", "{}")))
                .isInstanceOf(UnknownAdapterException.class).hasMessage("no adapter instance 'nobody'");
    }

    @Test
    void aWebhookNameIsUsedByOneInstanceOnly() {
        registry();
        TestFactory hook = new TestFactory("reports", false, config -> Inbound.webhook("reports"),
                TestFactory.COUNTING);
        registry.factoryAdded(hook, hook, "v1");
        registry.configurationChanged(config("reports", "a", Map.of()));
        registry.configurationChanged(config("reports", "b", Map.of()));
        assertThat(status("reports.a").state()).isEqualTo(AdapterState.RUNNING);
        assertThat(status("reports.b").state()).isEqualTo(AdapterState.FAILED);
        assertThat(status("reports.b").reason())
                .isEqualTo("webhook name 'reports' is already used by adapter instance reports.a");
    }

    @Test
    void aStoppedInstanceDeadLettersWhatArrivesUntilItIsStarted() throws Exception {
        registry();
        TestFactory crowd = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(crowd, crowd, "v1");

        registry.stop("crowd");
        assertThat(status("crowd").state()).isEqualTo(AdapterState.STOPPED);
        assertThat(mqtt.filters()).isEmpty();
        assertThat(crowd.last().closed).isTrue();
        assertThat(join(registry.ingest("crowd", message("x/c-1", "{\"count\":1}"))).reason())
                .isEqualTo("adapter instance crowd is stopped; start it to process payloads again");
        // a configuration change does not start it
        registry.configurationChanged(config("crowd", "default", Map.of("limit", "5")));
        assertThat(status("crowd").state()).isEqualTo(AdapterState.STOPPED);

        registry.start("crowd");
        assertThat(status("crowd").state()).isEqualTo(AdapterState.RUNNING);
        assertThat(crowd.last().configuration.string("limit", null)).isEqualTo("5");
        assertThat(mqtt.filters()).containsExactly("sim/crowd/+");
        assertThatThrownBy(() -> registry.stop("nobody")).isInstanceOf(UnknownAdapterException.class);
    }

    @Test
    void anMqttInstanceFollowsTheConnectionService() {
        registry();
        TestFactory crowd = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(crowd, crowd, "v1");
        registry.mqttRemoved(mqtt);
        assertThat(status("crowd").state()).isEqualTo(AdapterState.DEGRADED);
        assertThat(status("crowd").reason()).isEqualTo("waiting for the hub's MQTT connection to subscribe to sim/crowd/+");

        LoopbackMqtt replacement = new LoopbackMqtt();
        registry.mqttAdded(replacement);
        assertThat(replacement.filters()).containsExactly("sim/crowd/+");
        replacement.deliver("sim/crowd/c-1", "{\"count\":1}");
        await().atMost(WAIT).until(() -> twin.size() == 1);
        assertThat(status("crowd").state()).isEqualTo(AdapterState.RUNNING);
    }

    @Test
    void closingTheRuntimeKeepsWhatCouldNotBeMappedAsDeadLetters() {
        registry();
        TestFactory crowd = TestFactory.mqtt("crowd", true, TestFactory.COUNTING);
        registry.factoryAdded(crowd, crowd, "v1");
        registry.factoryRemoved(crowd); // waiting for a new version that does not come in time
        mqtt.deliver("sim/crowd/c-1", "{\"count\":1}");
        registry.close();
        assertThat(deadLetters.reasons())
                .containsExactly("the adapter runtime stopped before this payload was mapped");
        assertThat(mqtt.filters()).isEmpty();
    }

    @Test
    void fieldsTheManifestDoesNotDeclareAreDroppedBeforeTheTwinAndCountedWithPrivacyMetadataKept() {
        registry();
        // the test type declares only /features/crowd/properties/count
        TestFactory leaky = TestFactory.mqtt("leaky", true, (config, message) -> List.of(ThingUpdate.merge(
                ThingId.of("nl.test.crowd", message.lastTopicLevel()),
                JsonObject.of("{\"attributes\":{\"macAddresses\":[\"aa:bb\"]},\"features\":{\"crowd\":"
                        + "{\"properties\":{\"count\":3,\"deviceIds\":[\"d1\",\"d2\"]}}}}"))));
        registry.factoryAdded(leaky, leaky, "test.leaky 1.0.0");

        for (int i = 0; i < 3; i++) {
            mqtt.deliver("sim/leaky/l-1", "{}");
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(status("leaky").thingUpdates()).isEqualTo(3));
        org.eclipse.ditto.things.model.Thing thing = twin.retrieve(ThingId.of("nl.test.crowd", "l-1")).orElseThrow();
        assertThat(thing.getFeatures().orElseThrow().getFeature("crowd").orElseThrow().getProperties().orElseThrow()
                .toString()).isEqualTo("{\"count\":3}");
        // only the hub's privacy metadata is in the attributes; the MAC addresses never reached the twin
        assertThat(thing.getAttributes().orElseThrow().toString()).isEqualTo((
                "{\"privacy\":{\"features\":{\"crowd\":{\"adapter\":\"leaky\",\"categories\":[\"people-count\"],"
                        + "\"personalData\":false,\"retention\":\"PT24H\"}}}}"));
        assertThat(status("leaky").undeclaredFields()).isEqualTo(6);
        assertThat(deadLetters.letters).isEmpty();
    }
}
