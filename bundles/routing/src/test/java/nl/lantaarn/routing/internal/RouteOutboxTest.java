package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;

import nl.lantaarn.durable.DurableStore;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.things.model.HubConventions;

/**
 * The routes' outbox: a twin event a route accepted is processed after a crash. The crash is the outbox file as a
 * kill would leave it: a copy taken while the route still holds the events (MVStore's last complete commit wins), opened
 * by a second runtime. (The kill -9 of the real hub: the itests' DeliveryAfterCrashIT.)
 */
class RouteOutboxTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Holds the route's thread until released. */
    public static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        public void pass() throws InterruptedException {
            entered.countDown();
            open.await(20, TimeUnit.SECONDS);
        }
    }

    @TempDir
    Path work;

    private final List<RoutingRuntime> runtimes = new ArrayList<>();
    private final List<Gate> gates = new ArrayList<>();

    @AfterEach
    void stop() {
        gates.forEach(gate -> gate.open.countDown());
        runtimes.forEach(RoutingRuntime::close);
    }

    private static String route(String id) {
        return route(id, "${header.LantaarnRevision} ${body[features][noise][properties][laeq]}");
    }

    private static String route(String id, String body) {
        return """
                - route:
                    id: %s
                    from:
                      uri: hub:events
                      steps:
                        - bean:
                            ref: gate
                            method: pass
                        - setBody:
                            simple: "%s"
                        - to: mqtt:test/%s
                """.formatted(id, body, id) + RoutingTestSupport.METADATA;
    }

    private RoutingRuntime runtime(Path home, RecordingMqttConnection mqtt, Gate gate) {
        RoutingRuntime runtime = new RoutingRuntime(new RoutingRuntime.Settings(home.resolve("routes"), 50, 1000, 5,
                "test", RoutingRuntime.outboxFile(home.toString())), () -> mqtt, () -> null,
                getClass().getClassLoader());
        runtime.context().getRegistry().bind("gate", gate);
        gates.add(gate);
        runtimes.add(runtime);
        runtime.start();
        return runtime;
    }

    private static Path home(Path dir, String... routeIds) throws IOException {
        Files.createDirectories(dir.resolve("routes"));
        for (String id : routeIds) {
            Files.writeString(dir.resolve("routes").resolve(id + ".yaml"), route(id));
        }
        return dir;
    }

    private static List<String> payloads(RecordingMqttConnection mqtt) {
        return mqtt.published.stream().map(p -> new String(p.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void eventsAcceptedBeforeACrashAreProcessedAfterTheRestartInOrder() throws Exception {
        Path first = home(work.resolve("first"), "slow");
        RecordingMqttConnection mqtt = new RecordingMqttConnection();
        Gate held = new Gate();
        RoutingRuntime runtime = runtime(first, mqtt, held);
        for (int revision = 1; revision <= 5; revision++) {
            runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 60 + revision, revision)));
        }
        assertThat(held.entered.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(runtime.outbox().awaitCommitted(PATIENCE)).isTrue();
        ComponentHealth health = runtime.health();
        assertThat(health.detail()).contains("outbox " + RoutingRuntime.outboxFile(first.toString()))
                .contains("backlog slow=5");

        // the file as a kill -9 leaves it now: the first event in the route, four waiting
        Path second = home(work.resolve("second"), "slow");
        Path crashed = RoutingRuntime.outboxFile(second.toString());
        Files.createDirectories(crashed.getParent());
        Files.copy(RoutingRuntime.outboxFile(first.toString()), crashed);

        RecordingMqttConnection afterRestart = new RecordingMqttConnection();
        Gate open = new Gate();
        open.open.countDown();
        RoutingRuntime restarted = runtime(second, afterRestart, open);
        await().atMost(PATIENCE).until(() -> afterRestart.published.size() == 5);
        assertThat(payloads(afterRestart)).containsExactly("1 61", "2 62", "3 63", "4 64", "5 65");
        // a new event comes after the backlog
        restarted.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 70, 6)));
        await().atMost(PATIENCE).until(() -> afterRestart.published.size() == 6);
        assertThat(payloads(afterRestart).get(5)).isEqualTo("6 70");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(restarted.health().detail()).contains(": empty")
                .contains("slow (in 6, out 6, failed 0,"));
        assertThat(restarted.health().status()).isEqualTo(ComponentHealth.Status.UP);

        // and the first runtime, let go, finishes its own events and empties its outbox
        held.open.countDown();
        await().atMost(PATIENCE).until(() -> mqtt.published.size() == 5);
        await().atMost(PATIENCE).until(() -> runtime.health().detail().contains(": empty"));
    }

    @Test
    void eventsOfARouteWhoseFileIsGoneAreKeptReportedAndProcessedWhenItComesBack() throws Exception {
        Path home = home(work.resolve("home"), "other");
        Path file = RoutingRuntime.outboxFile(home.toString());
        try (DurableStore store = DurableStore.open(file, DurableStore.Options.defaults())) {
            Thing inZone = TestThings.noiseThing(TestThings.POLE, 75.5, 9).toBuilder()
                    .setAttribute(JsonPointer.of(HubConventions.ZONE), JsonValue.of("stratumseind")).build();
            store.queue("gone", 10).append(OutboxEvent.of(TwinEventView.of(TestThings.created(inZone))).bytes());
        }
        RecordingMqttConnection mqtt = new RecordingMqttConnection();
        Gate open = new Gate();
        open.open.countDown();
        RoutingRuntime runtime = runtime(home, mqtt, open);
        ComponentHealth health = runtime.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health.detail()).contains("twin events kept for routes that are not loaded").contains("gone=1");

        // the headers as the live event had them, the zone included
        Files.writeString(home.resolve("routes/gone.yaml"), route("gone", "${header.LantaarnRevision} "
                + "${body[features][noise][properties][laeq]} ${header.LantaarnThingId} ${header.LantaarnDomain} "
                + "${header.LantaarnEventType} ${header.LantaarnZone} ${header.zone}"));
        await().atMost(PATIENCE).until(() -> mqtt.published.size() == 1);
        assertThat(payloads(mqtt)).containsExactly("9 75.5 nl.eindhoven.safety:stratumseind-12 safety thingCreated "
                + "stratumseind stratumseind");
        assertThat(mqtt.published.get(0).topic()).isEqualTo("test/gone");
        await().atMost(PATIENCE).until(() -> runtime.health().status() == ComponentHealth.Status.UP);
    }

    @Test
    void anOrderlyStopKeepsWhatTheRouteCouldNotFinish() throws Exception {
        Path home = home(work.resolve("home"), "slow");
        RecordingMqttConnection mqtt = new RecordingMqttConnection();
        Gate held = new Gate();
        RoutingRuntime runtime = runtime(home, mqtt, held);
        for (int revision = 1; revision <= 3; revision++) {
            runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 60 + revision, revision)));
        }
        assertThat(held.entered.await(20, TimeUnit.SECONDS)).isTrue();
        // the stop waits for the route's queue up to the shutdown timeout; the held route does not get through it
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            held.open.countDown();
        });
        runtime.close();
        runtimes.remove(runtime);
        release.start();
        release.join();

        RecordingMqttConnection afterRestart = new RecordingMqttConnection();
        Gate open = new Gate();
        open.open.countDown();
        runtime(home, afterRestart, open);
        // what the first runtime published and what the second did together hold every event, at least once
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<String> all = new ArrayList<>(payloads(mqtt));
            all.addAll(payloads(afterRestart));
            assertThat(all).contains("1 61", "2 62", "3 63");
        });
    }
}
