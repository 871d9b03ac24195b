package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouteWorkersTest {

    private final RouteWorkers workers = new RouteWorkers("test", 2, 8);

    @AfterEach
    void close() {
        workers.close();
    }

    @Test
    void eachLaneRunsItsTasksOneAtATimeInOrder() throws Exception {
        int lanes = 50;
        int perLane = 400;
        List<List<Integer>> seen = new ArrayList<>();
        List<RouteWorkers.Lane> all = new ArrayList<>();
        AtomicBoolean overlap = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(lanes * perLane);
        for (int l = 0; l < lanes; l++) {
            seen.add(Collections.synchronizedList(new ArrayList<>()));
            all.add(workers.lane("lane-" + l, perLane));
        }
        boolean[] running = new boolean[lanes];
        // interleaved, as events of different routes arrive
        for (int i = 0; i < perLane; i++) {
            for (int l = 0; l < lanes; l++) {
                int lane = l;
                int n = i;
                all.get(l).execute(() -> {
                    synchronized (running) {
                        overlap.compareAndSet(false, running[lane]);
                        running[lane] = true;
                    }
                    seen.get(lane).add(n);
                    synchronized (running) {
                        running[lane] = false;
                    }
                    done.countDown();
                });
            }
        }

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(overlap).as("two tasks of one lane at once").isFalse();
        for (List<Integer> lane : seen) {
            assertThat(lane).hasSize(perLane).isSorted();
        }
    }

    @Test
    void blockedLanesDoNotStallTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // more blocked lanes than base workers
        for (int l = 0; l < 4; l++) {
            workers.lane("slow-" + l, 10).execute(() -> await(release));
        }
        CountDownLatch fast = new CountDownLatch(100);
        RouteWorkers.Lane quick = workers.lane("quick", 100);
        for (int i = 0; i < 100; i++) {
            quick.execute(fast::countDown);
        }

        assertThat(fast.await(30, TimeUnit.SECONDS)).as("the quick lane ran while four lanes block").isTrue();
        assertThat(workers.workers()).isGreaterThan(2);
        release.countDown();
    }

    @Test
    void aFullLaneAndAShutDownLaneRefuse() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RouteWorkers.Lane lane = workers.lane("small", 2);
        CountDownLatch started = new CountDownLatch(1);
        lane.execute(() -> {
            started.countDown();
            await(release);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        lane.execute(() -> { });
        lane.execute(() -> { });
        assertThatThrownBy(() -> lane.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("small is full");
        release.countDown();
        assertThat(lane.shutdownGraceful(10_000)).isEmpty();
        assertThatThrownBy(() -> lane.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("shut down");
    }

    @Test
    void aShutdownThatTimesOutInterruptsTheRunningTaskAndReturnsTheRest() throws Exception {
        RouteWorkers.Lane lane = workers.lane("stuck", 10);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        lane.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        Runnable second = () -> { };
        lane.execute(second);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(lane.shutdownGraceful(200)).containsExactly(second);
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        // the worker is clean for the next lane
        CountDownLatch next = new CountDownLatch(1);
        AtomicBoolean wasInterrupted = new AtomicBoolean(true);
        workers.lane("next", 1).execute(() -> {
            wasInterrupted.set(Thread.currentThread().isInterrupted());
            next.countDown();
        });
        assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(wasInterrupted).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
