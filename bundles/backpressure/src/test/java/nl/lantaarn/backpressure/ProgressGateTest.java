package nl.lantaarn.backpressure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ProgressGateTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);
    private static final long SHORT_WAIT = TimeUnit.MILLISECONDS.toNanos(200);

    @Test
    void aSlowConsumerGetsEveryItemOfABurstFarLargerThanItsQueue() throws Exception {
        ProgressGate gate = new ProgressGate();
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(2);
        int[] taken = {0};
        Thread consumer = new Thread(() -> {
            try {
                while (taken[0] < 300) {
                    queue.take();
                    taken[0]++;
                    gate.progressed();
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            Integer item = i;
            if (!queue.offer(item) && !gate.await(() -> queue.offer(item), LONG_WAIT)) {
                refused++;
            }
        }
        consumer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(refused).isZero();
        assertThat(taken[0]).isEqualTo(300);
        assertThat(gate.stuck()).isFalse();
    }

    @Test
    void aStuckConsumerHoldsUpOneWaitThenProducersGiveUpAtOnceUntilItGoesOn() throws Exception {
        ProgressGate gate = new ProgressGate();
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1);
        queue.add(0);
        // nothing consumes: the first wait ends without progress
        assertThat(gate.await(() -> queue.offer(1), SHORT_WAIT)).isFalse();
        assertThat(gate.stuck()).isTrue();
        // later producers do not wait: a wait long enough to stall the test would show as a timeout here
        CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(() -> gate.await(() -> queue.offer(2),
                LONG_WAIT));
        assertThat(next.get(5, TimeUnit.SECONDS)).isFalse();

        // the consumer takes one: it is no longer stuck, and a producer waits for room again
        queue.take();
        gate.progressed();
        assertThat(gate.stuck()).isFalse();
        assertThat(queue.offer(3)).isTrue();
        Semaphore release = new Semaphore(0);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> gate.await(() -> queue.offer(4),
                LONG_WAIT));
        Thread consumer = new Thread(() -> {
            try {
                release.acquire();
                queue.take();
                gate.progressed();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();
        release.release();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(queue).containsExactly(4);
    }

    @Test
    void closingWakesAWaitingProducerAtOnce() throws Exception {
        ProgressGate gate = new ProgressGate();
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1);
        queue.add(0);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> gate.await(() -> queue.offer(1),
                LONG_WAIT));
        // still waiting after a while (its wait is 30 s and nothing consumes)
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        gate.close();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(gate.await(() -> queue.offer(2), LONG_WAIT)).as("no waiting once closed").isFalse();
        assertThat(gate.isClosed()).isTrue();
    }

    @Test
    void noWaitWhenTheWaitIsZeroAndAnInterruptedProducerKeepsItsStatus() {
        ProgressGate gate = new ProgressGate();
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1);
        queue.add(0);
        assertThat(gate.await(() -> queue.offer(1), 0)).isFalse();
        assertThat(gate.stuck()).as("a refused zero wait says nothing about the consumer").isFalse();
        Thread.currentThread().interrupt();
        try {
            assertThat(gate.await(() -> queue.offer(1), LONG_WAIT)).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void describesAWaitInSecondsOrMilliseconds() {
        assertThat(ProgressGate.describe(TimeUnit.SECONDS.toNanos(10))).isEqualTo("10 s");
        assertThat(ProgressGate.describe(TimeUnit.MILLISECONDS.toNanos(250))).isEqualTo("250 ms");
    }
}
