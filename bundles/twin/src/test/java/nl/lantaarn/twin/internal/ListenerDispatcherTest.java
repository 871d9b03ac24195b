package nl.lantaarn.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;

/** A full listener queue holds the writer while the listener makes progress, and only once for a stuck listener. */
class ListenerDispatcherTest {

    private final List<ListenerDispatcher> dispatchers = new ArrayList<>();
    private final List<Semaphore> gates = new ArrayList<>();

    @AfterEach
    void close() {
        gates.forEach(gate -> gate.release(1_000_000));
        dispatchers.forEach(ListenerDispatcher::close);
    }

    /** Takes one permit per event: without permits it is stuck. */
    private static final class GatedListener implements TwinEventListener {
        final Semaphore permits;
        final List<Long> seen = new CopyOnWriteArrayList<>();

        GatedListener(Semaphore permits) {
            this.permits = permits;
        }

        @Override
        public void onTwinEvent(TwinEvent event) {
            permits.acquireUninterruptibly();
            seen.add(event.revision());
        }
    }

    private GatedListener gated(int permits) {
        Semaphore gate = new Semaphore(permits);
        gates.add(gate);
        return new GatedListener(gate);
    }

    private ListenerDispatcher dispatcher(TwinEventListener listener, int capacity, Duration wait) {
        ListenerDispatcher dispatcher = new ListenerDispatcher(listener, capacity, wait);
        dispatchers.add(dispatcher);
        return dispatcher;
    }

    private static TwinEvent event(long revision) {
        ThingId id = ThingId.of("nl.demo.safety", "noise-n-7");
        Thing thing = ThingsModelFactory.newThingBuilder().setId(id).setRevision(revision).build();
        return new TwinEvent(ThingCreated.of(thing, revision, Instant.now(), DittoHeaders.empty(), null), thing);
    }

    private static List<Long> revisions(long from, long to) {
        List<Long> result = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            result.add(i);
        }
        return result;
    }

    private static Thread offering(ListenerDispatcher dispatcher, long from, long to) {
        Thread writer = new Thread(() -> {
            for (long i = from; i <= to; i++) {
                dispatcher.offer(event(i));
            }
        }, "test-writer");
        writer.setDaemon(true);
        writer.start();
        return writer;
    }

    @Test
    void aSlowListenerGetsEveryEventOfABurstLargerThanItsQueue() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        ListenerDispatcher dispatcher = dispatcher(event -> {
            sleep(2);
            seen.add(event.revision());
        }, 4, Duration.ofSeconds(10));

        for (long i = 1; i <= 300; i++) {
            dispatcher.offer(event(i)); // waits for room whenever the 4 places are taken
        }

        await().untilAsserted(() -> assertThat(seen).containsExactlyElementsOf(revisions(1, 300)));
        assertThat(dispatcher.overflowed()).isZero();
    }

    @Test
    void aStuckListenerHoldsTheWriterOneWaitThenOverflowsWhileOthersGoOn() {
        GatedListener stuck = gated(0);
        List<Long> other = new CopyOnWriteArrayList<>();
        ListenerDispatcher stuckDispatcher = dispatcher(stuck, 2, Duration.ofSeconds(1));
        ListenerDispatcher otherDispatcher = dispatcher(event -> other.add(event.revision()), 2, Duration.ofSeconds(1));

        Thread writer = new Thread(() -> {
            for (long i = 1; i <= 60; i++) {
                stuckDispatcher.offer(event(i));
                otherDispatcher.offer(event(i));
            }
        }, "test-writer");
        writer.setDaemon(true);
        writer.start();

        // a wait per event would hold the writer a minute: it waits once, then the stuck listener's events overflow
        await().atMost(Duration.ofSeconds(8)).until(() -> !writer.isAlive());
        await().untilAsserted(() -> assertThat(other).containsExactlyElementsOf(revisions(1, 60)));
        // one event is with the listener, two are queued: the others overflowed
        assertThat(stuckDispatcher.overflowed()).isEqualTo(57);
        assertThat(otherDispatcher.overflowed()).isZero();

        stuck.permits.release(100);
        await().untilAsserted(() -> assertThat(stuck.seen).containsExactly(1L, 2L, 3L));
    }

    @Test
    void aStuckListenerThatResumesMakesTheWriterWaitAgain() throws Exception {
        GatedListener listener = gated(0);
        ListenerDispatcher dispatcher = dispatcher(listener, 2, Duration.ofSeconds(5));
        for (long i = 1; i <= 4; i++) {
            dispatcher.offer(event(i)); // the fourth finds the queue full, waits, and finds the listener stuck
        }
        assertThat(dispatcher.overflowed()).isEqualTo(1);
        dispatcher.offer(event(5)); // at once: still stuck
        assertThat(dispatcher.overflowed()).isEqualTo(2);

        listener.permits.release(3);
        await().untilAsserted(() -> assertThat(listener.seen).containsExactly(1L, 2L, 3L));
        // it took events again: a full queue holds the writer again
        Thread writer = offering(dispatcher, 6, 9);
        await().until(() -> writer.getState() == Thread.State.TIMED_WAITING);
        assertThat(dispatcher.overflowed()).isEqualTo(2);

        listener.permits.release(100);
        writer.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(writer.isAlive()).isFalse();
        await().untilAsserted(() -> assertThat(listener.seen).containsExactly(1L, 2L, 3L, 6L, 7L, 8L, 9L));
        assertThat(dispatcher.overflowed()).isEqualTo(2);
    }

    @Test
    void closingWakesAWaitingWriterAtOnce() {
        GatedListener listener = gated(0);
        ListenerDispatcher dispatcher = dispatcher(listener, 1, Duration.ofMinutes(10));
        Thread writer = offering(dispatcher, 1, 3);
        await().until(() -> writer.getState() == Thread.State.TIMED_WAITING);

        dispatcher.close();

        await().until(() -> !writer.isAlive());
    }

    @Test
    void aListenerThatWritesOnItsOwnThreadDoesNotWaitForItself() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        ListenerDispatcher[] self = new ListenerDispatcher[1];
        self[0] = dispatcher(event -> {
            seen.add(event.revision());
            if (event.revision() == 1) {
                // a listener that writes to the twin: its events come back to its own queue
                for (long i = 100; i < 110; i++) {
                    self[0].offer(event(i));
                }
            }
        }, 2, Duration.ofMinutes(10));

        self[0].offer(event(1));

        await().until(() -> seen.size() == 3);
        assertThat(seen).containsExactly(1L, 100L, 101L);
        assertThat(self[0].overflowed()).isEqualTo(8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
