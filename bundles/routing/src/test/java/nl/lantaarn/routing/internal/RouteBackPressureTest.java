package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import nl.lantaarn.routing.internal.UndeliveredEventsTest.RecordingDeadLetters;
import nl.lantaarn.twin.api.TwinEvent;

/**
 * A full route queue holds the twin's event thread while the route makes progress (nothing is lost to a slow route),
 * and once only for a stuck route, whose events are then dead-lettered at once while the other routes go on.
 */
class RouteBackPressureTest extends RoutingTestSupport {

    private static final int CAPACITY = 4;

    /** Lets one event through per permit: without permits the route is stuck. */
    public static final class Gate {
        final Semaphore permits = new Semaphore(0);

        public void pass() throws InterruptedException {
            permits.tryAcquire(60, TimeUnit.SECONDS);
        }
    }

    /** Takes a little time per event. */
    public static final class Slow {
        public void pass() throws InterruptedException {
            Thread.sleep(2);
        }
    }

    @TempDir
    Path home;

    private final Gate gate = new Gate();
    private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
    private final List<Thread> producers = new ArrayList<>();

    @AfterEach
    void release() {
        gate.permits.release(1_000_000);
    }

    /** Routes {@code slow} (2 ms an event), {@code stuck} (through the gate) and {@code fast}, as named. */
    private void start(boolean outbox, Duration wait, String... routeIds) {
        for (String id : routeIds) {
            write(id + ".yaml", switch (id) {
                case "slow" -> route("slow", "slow");
                case "stuck" -> route("stuck", "gate");
                default -> """
                        - route:
                            id: fast
                            from:
                              uri: hub:events
                              steps:
                                - to: mqtt:test/fast
                        """ + METADATA;
            });
        }
        Path outboxFile = outbox ? RoutingRuntime.outboxFile(home.toString()) : null;
        runtime = new RoutingRuntime(new RoutingRuntime.Settings(routes, 0, CAPACITY, 5, "test", outboxFile, null,
                wait), () -> mqtt, () -> deadLetters, getClass().getClassLoader());
        runtime.context().getRegistry().bind("gate", gate);
        runtime.context().getRegistry().bind("slow", new Slow());
        runtime.start();
    }

    private static String route(String id, String bean) {
        return """
                - route:
                    id: %s
                    from:
                      uri: hub:events
                      steps:
                        - bean:
                            ref: %s
                            method: pass
                        - to: mqtt:test/%s
                """.formatted(id, bean, id) + METADATA;
    }

    private static TwinEvent event(int revision) {
        return TestThings.created(TestThings.noiseThing(TestThings.POLE, 50 + revision % 40, revision));
    }

    /** Sends events {@code from..to} on a thread of its own, as the twin's event thread does. */
    private Thread producing(int from, int to) {
        Thread producer = new Thread(() -> {
            for (int i = from; i <= to; i++) {
                runtime.onTwinEvent(event(i));
            }
        }, "test-twin-events");
        producer.setDaemon(true);
        producers.add(producer);
        producer.start();
        return producer;
    }

    private long publishedTo(String topic) {
        return mqtt.published.stream().filter(p -> p.topic().equals(topic)).count();
    }

    private List<String> deadLettersOf(String route) {
        return deadLetters.recorded.stream().filter(letter -> letter.source().equals("route:" + route))
                .map(letter -> letter.reason()).toList();
    }

    @ParameterizedTest(name = "outbox {0}")
    @ValueSource(booleans = {false, true})
    void aSlowRouteGetsEveryEventOfABurstLargerThanItsQueue(boolean outbox) {
        start(outbox, Duration.ofSeconds(10), "slow", "stuck", "fast");
        gate.permits.release(1_000_000); // the gated route keeps up too

        for (int i = 1; i <= 200; i++) {
            runtime.onTwinEvent(event(i)); // waits whenever a route's 4 places are taken
        }

        await().untilAsserted(() -> {
            assertThat(publishedTo("test/slow")).isEqualTo(200);
            assertThat(publishedTo("test/stuck")).isEqualTo(200);
            assertThat(publishedTo("test/fast")).isEqualTo(200);
        });
        assertThat(deadLetters.recorded).isEmpty();
    }

    @ParameterizedTest(name = "outbox {0}")
    @ValueSource(booleans = {false, true})
    void aStuckRouteHoldsTheEventsOneWaitThenDeadLettersWhileOthersGoOn(boolean outbox) throws Exception {
        start(outbox, Duration.ofSeconds(1), "stuck", "fast");

        Thread producer = producing(1, 40);

        // a wait per event would hold the producer 35 s: it waits once, then the stuck route's events go at once
        await().atMost(Duration.ofSeconds(8)).until(() -> !producer.isAlive());
        await().untilAsserted(() -> assertThat(publishedTo("test/fast")).isEqualTo(40));
        // one event is in the route, four are queued: the other 35 are dead letters with the reason
        assertThat(deadLettersOf("stuck")).hasSize(35).allSatisfy(reason -> assertThat(reason)
                .contains("event queue is full (4 events)").contains("made no progress for 1 s"));
        assertThat(deadLettersOf("fast")).isEmpty();

        gate.permits.release(1_000_000);
        await().until(() -> publishedTo("test/stuck") == 5);
    }

    @ParameterizedTest(name = "outbox {0}")
    @ValueSource(booleans = {false, true})
    void aStuckRouteThatResumesHoldsTheProducerAgain(boolean outbox) throws Exception {
        // the only route: the producer can wait for nothing else
        start(outbox, Duration.ofSeconds(3), "stuck");
        producing(1, 6).join(TimeUnit.SECONDS.toMillis(30)); // the sixth waits once, finds it stuck
        producing(7, 7).join(TimeUnit.SECONDS.toMillis(30)); // at once
        assertThat(deadLettersOf("stuck")).hasSize(2);

        // it resumes: its queue drains, and a full queue holds the producer again instead of dead-lettering
        gate.permits.release(5);
        await().until(() -> publishedTo("test/stuck") == 5);
        Thread again = producing(8, 13);
        await().until(() -> again.getState() == Thread.State.TIMED_WAITING);
        gate.permits.release(1_000_000);
        again.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(again.isAlive()).isFalse();
        await().until(() -> publishedTo("test/stuck") == 11);
        assertThat(deadLettersOf("stuck")).hasSize(2);
    }

    @ParameterizedTest(name = "outbox {0}")
    @ValueSource(booleans = {false, true})
    void stoppingARouteWakesAWaitingProducerAtOnce(boolean outbox) throws Exception {
        start(outbox, Duration.ofMinutes(10), "stuck");
        Thread producer = producing(1, 6);
        await().until(() -> producer.getState() == Thread.State.TIMED_WAITING);

        Thread stopper = new Thread(() -> {
            try {
                runtime.context().getRouteController().stopRoute("stuck");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-stopper");
        stopper.setDaemon(true);
        stopper.start();

        // far less than the ten minutes it would otherwise wait
        await().until(() -> !producer.isAlive());
        stopper.join(TimeUnit.SECONDS.toMillis(30));
    }
}
