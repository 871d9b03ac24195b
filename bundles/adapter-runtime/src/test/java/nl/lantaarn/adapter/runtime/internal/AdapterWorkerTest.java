package nl.lantaarn.adapter.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.mqtt.api.MqttMessageHandler;
import nl.lantaarn.mqtt.api.MqttSubscription;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/** The worker's contract with plain in-memory collaborators; the real broker path is covered in itests. */
class AdapterWorkerTest {

    private final MemoryTwinStore store = new MemoryTwinStore();
    private final TwinServiceComponent twin = new TwinServiceComponent(store);
    private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
    private final LoopbackMqtt mqtt = new LoopbackMqtt();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<AdapterWorker> workers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        release.countDown();
        workers.forEach(AdapterWorker::stop);
        twin.deactivate();
    }

    private AdapterWorker start(SensorAdapter adapter, int inbox, int maxBytes) {
        AdapterWorker worker = new AdapterWorker(adapter, twin, deadLetters, inbox, maxBytes);
        worker.start(mqtt);
        workers.add(worker);
        return worker;
    }

    private static SensorAdapter counting(String id, String topic) {
        return adapter(id, topic, message -> {
            double count = PayloadReader.requiredNumber(PayloadReader.jsonObject(message), "count");
            return List.of(ThingUpdate.merge(ThingId.of("nl.demo.crowd", message.lastTopicLevel()),
                    JsonObject.of("{\"features\":{\"crowd\":{\"properties\":{\"count\":" + count + "}}}}")));
        });
    }

    @Test
    void mapsRejectsAndBoundsPayloads() {
        AdapterWorker worker = start(counting("crowd", "sim/crowd/+"), 100, 64);
        mqtt.deliver("sim/crowd/c-1", "{\"count\":12}");
        mqtt.deliver("sim/crowd/c-2", "{\"count\":\"many\"}");
        mqtt.deliver("sim/crowd/c-3", "{\"count\":1,\"padding\":\"" + "x".repeat(100) + "\"}");
        await().untilAsserted(() -> assertThat(deadLetters.letters).hasSize(2));
        assertThat(twin.retrieve(ThingId.of("nl.demo.crowd", "c-1"))).isPresent();
        assertThat(deadLetters.letters).extracting(DeadLetter::reason).containsExactlyInAnyOrder(
                "field 'count' must be a number, was a string \"many\"",
                "payload of 124 bytes exceeds the limit of 64 bytes (maxPayloadBytes in etc/nl.lantaarn.adapter.runtime.cfg)");
        assertThat(worker.describe()).contains("received 3, thing updates 1, dead-lettered 2");
    }

    @Test
    void aStuckAdapterStallsNobodyElseAndOverflowGoesToDeadLetters() {
        start(adapter("stuck", "sim/stuck/+", message -> {
            release.await(30, TimeUnit.SECONDS);
            return List.of();
        }), 2, 1024);
        start(counting("crowd", "sim/crowd/+"), 100, 1024);

        for (int i = 0; i < 10; i++) {
            mqtt.deliver("sim/stuck/s-" + i, "{}");
        }
        for (int i = 0; i < 50; i++) {
            mqtt.deliver("sim/crowd/c-" + i, "{\"count\":" + i + "}");
        }
        await().untilAsserted(() -> assertThat(twin.size()).isEqualTo(50));
        // one payload in work, two queued, the rest kept as dead letters with the reason
        await().untilAsserted(() -> assertThat(deadLetters.letters).hasSize(7).allSatisfy(
                letter -> assertThat(letter.reason()).startsWith("inbox of adapter stuck is full")));
    }

    @Test
    void anAdapterThatThrowsIsReportedAndItsPayloadKept() {
        AdapterWorker worker = start(adapter("broken", "sim/broken/+", message -> {
            throw new IllegalStateException("bug in mapping");
        }), 10, 1024);
        mqtt.deliver("sim/broken/b-1", "{}");
        await().untilAsserted(() -> assertThat(deadLetters.letters).singleElement()
                .satisfies(letter -> assertThat(letter.reason())
                        .isEqualTo("adapter broken failed: java.lang.IllegalStateException: bug in mapping")));
        assertThat(worker.lastFailure()).contains("bug in mapping");
    }

    @Test
    void updatesBreakingConventionsAreDeadLettered() {
        start(adapter("bad-ns", "sim/bad/+", message -> List.of(ThingUpdate.merge(ThingId.of("demo", "x"),
                JsonObject.empty()))), 10, 1024);
        mqtt.deliver("sim/bad/x", "{}");
        await().untilAsserted(() -> assertThat(deadLetters.letters).singleElement().extracting(DeadLetter::reason)
                .asString().startsWith("thing update for demo:x refused: thingId: namespace 'demo'"));
    }

    @Test
    void updatesTheTwinCannotStoreAreDeadLetteredWithTheReason() {
        start(counting("crowd", "sim/crowd/+"), 10, 1024);
        store.failWrites = true; // e.g. a full disk under the twin store
        mqtt.deliver("sim/crowd/c-1", "{\"count\":3}");
        await().untilAsserted(() -> assertThat(deadLetters.letters).singleElement().extracting(DeadLetter::reason)
                .asString().startsWith("thing update for nl.demo.crowd:c-1 not stored: memory store: no space left"));
        assertThat(twin.retrieve(ThingId.of("nl.demo.crowd", "c-1"))).isEmpty();
    }

    interface Mapping {
        List<ThingUpdate> map(InboundMessage message) throws Exception;
    }

    private static SensorAdapter adapter(String id, String topic, Mapping mapping) {
        return new SensorAdapter() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Inbound inbound() {
                return Inbound.mqtt(topic, 1);
            }

            @Override
            public List<ThingUpdate> map(InboundMessage message) throws nl.lantaarn.adapter.api.PayloadRejectedException {
                try {
                    return mapping.map(message);
                } catch (nl.lantaarn.adapter.api.PayloadRejectedException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** Delivers published test payloads to matching subscriptions, on the caller's thread like a client callback. */
    static final class LoopbackMqtt implements MqttConnection {
        private final List<Object[]> subscriptions = new CopyOnWriteArrayList<>();

        void deliver(String topic, String payload) {
            for (Object[] subscription : subscriptions) {
                String prefix = ((String) subscription[0]).replace("+", "");
                if (topic.startsWith(prefix)) {
                    ((MqttMessageHandler) subscription[1]).onMessage(topic, payload.getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        @Override
        public CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public MqttSubscription subscribe(String topicFilter, int qos, MqttMessageHandler handler) {
            Object[] entry = {topicFilter, handler};
            subscriptions.add(entry);
            return new MqttSubscription() {
                @Override
                public String topicFilter() {
                    return topicFilter;
                }

                @Override
                public void close() {
                    subscriptions.remove(entry);
                }
            };
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public String brokerDescription() {
            return "loopback";
        }
    }

    static final class RecordingDeadLetters implements DeadLetterService {
        final List<DeadLetter> letters = new CopyOnWriteArrayList<>();

        @Override
        public DeadLetter record(String source, String origin, String reason, byte[] payload, Instant receivedAt) {
            DeadLetter letter = new DeadLetter(String.valueOf(letters.size()), source, origin, reason, receivedAt, payload);
            letters.add(letter);
            return letter;
        }

        @Override
        public List<DeadLetter> list(String source, int limit) {
            return letters;
        }

        @Override
        public long count() {
            return letters.size();
        }
    }
}
