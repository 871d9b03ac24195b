package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterQuery;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;

/**
 * A route that cannot keep up loses no event silently: what does not fit its queue is dead-lettered (here without
 * waiting for room; the waiting is in {@link RouteBackPressureTest}).
 */
class UndeliveredEventsTest extends RoutingTestSupport {

    /** Holds the route's thread until released. */
    public static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        public void pass() throws InterruptedException {
            entered.countDown();
            open.await(20, TimeUnit.SECONDS);
        }
    }

    private final Gate gate = new Gate();

    @AfterEach
    void openGate() {
        gate.open.countDown();
    }

    @Test
    void aNegativeWaitIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new RoutingRuntime.Settings(routes, 0, 1, 5, "test",
                null, null, Duration.ofSeconds(-2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventQueueWaitSeconds must be 0 or more, was -2");
    }

    @Test
    void eventsBeyondTheQueueAreDeadLetteredAndReported() throws Exception {
        write("slow.yaml", """
                - route:
                    id: slow
                    from:
                      uri: hub:events
                      steps:
                        - bean:
                            ref: gate
                            method: pass
                        - to: mqtt:test/slow
                    description: test route
                    routeProperties:
                      purpose: tests
                      legalBasis: PUBLIC_TASK
                      owner: tests
                """);
        RecordingDeadLetters deadLetters = new RecordingDeadLetters();
        // without waiting for room: a full queue dead-letters at once
        runtime = new RoutingRuntime(new RoutingRuntime.Settings(routes, 0, 1, 5, "eventQueueCapacity (test)", null,
                null, Duration.ZERO), () -> mqtt, () -> deadLetters, getClass().getClassLoader());
        runtime.context().getRegistry().bind("gate", gate);
        runtime.start();

        runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 60, 1)));
        assertThat(gate.entered.await(20, TimeUnit.SECONDS)).isTrue();
        // the route's thread is held: one event fits the queue, the third one does not
        runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 61, 2)));
        runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 62, 3)));

        assertThat(deadLetters.recorded).singleElement().satisfies(letter -> {
            assertThat(letter.source()).isEqualTo("route:slow");
            assertThat(letter.origin()).isEqualTo("twin:nl.eindhoven.safety:stratumseind-12");
            assertThat(letter.reason()).contains("queue is full");
            assertThat(letter.payloadAsString()).contains("\"laeq\":62");
        });
        ComponentHealth health = runtime.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health.detail()).contains("undelivered twin events: slow=1");

        gate.open.countDown();
        await().until(() -> mqtt.published.size() == 2);
    }

    static final class RecordingDeadLetters implements DeadLetterService {
        final List<DeadLetter> recorded = new CopyOnWriteArrayList<>();

        @Override
        public DeadLetter record(String source, String origin, String reason, byte[] payload, Instant receivedAt) {
            DeadLetter letter = new DeadLetter(String.valueOf(recorded.size()), source, origin, reason, receivedAt,
                    payload);
            recorded.add(letter);
            return letter;
        }

        @Override
        public List<DeadLetter> list(String source, int limit) {
            return recorded;
        }

        @Override
        public List<DeadLetter> list(DeadLetterQuery query) {
            return recorded.stream().filter(query::matches).limit(query.limit()).toList();
        }

        @Override
        public Optional<DeadLetter> get(String id) {
            return recorded.stream().filter(letter -> letter.id().equals(id)).findFirst();
        }

        @Override
        public boolean remove(String id) {
            return recorded.removeIf(letter -> letter.id().equals(id));
        }

        @Override
        public boolean updateReason(String id, String reason) {
            throw new UnsupportedOperationException("not used by the routing tests");
        }

        @Override
        public long count() {
            return recorded.size();
        }
    }
}
