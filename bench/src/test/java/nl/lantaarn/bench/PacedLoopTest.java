package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacedLoopTest {

    private final ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopAnswering() {
        answers.shutdownNow();
    }

    @Test
    void sendsEveryMessageOfTheScheduleInOrderAndWaitsForTheAnswers() {
        List<Long> sent = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();

        PacedLoop.Timing timing;
        try (PacedLoop loop = PacedLoop.start(4, 10)) {
            timing = loop.run(PacedLoop.Schedule.atRate(1000, 5), null, (k, answer) -> {
                sent.add(k);
                answers.schedule(() -> {
                    answered.incrementAndGet();
                    answer.run();
                }, 20, TimeUnit.MILLISECONDS);
                return true;
            });
        }

        assertThat(sent).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(timing.drained()).isTrue();
        assertThat(answered).hasValue(5);
    }

    @Test
    void neverHasMoreThanMaxInFlightMessagesUnanswered() {
        AtomicInteger unanswered = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();

        try (PacedLoop loop = PacedLoop.start(3, 10)) {
            // all due at once: only the limit holds the loop back
            loop.run(k -> k < 30 ? 0 : -1, null, (k, answer) -> {
                most.accumulateAndGet(unanswered.incrementAndGet(), Math::max);
                sent.incrementAndGet();
                answers.schedule(() -> {
                    unanswered.decrementAndGet();
                    answer.run();
                }, 2, TimeUnit.MILLISECONDS);
                return true;
            });
        }

        assertThat(sent).hasValue(30);
        assertThat(most.get()).isBetween(1, 3);
    }

    @Test
    void stopsAfterTheMessageForWhichTheSenderSaysSo() {
        List<Long> sent = new ArrayList<>();

        try (PacedLoop loop = PacedLoop.start(8, 10)) {
            loop.run(PacedLoop.Schedule.atRate(1000, Long.MAX_VALUE), null, (k, answer) -> {
                sent.add(k);
                answer.run();
                return k < 2;
            });
        }

        assertThat(sent).containsExactly(0L, 1L, 2L);
    }

    @Test
    void saysSoWhenAnAnswerDidNotComeInTime() {
        PacedLoop.Timing timing;
        try (PacedLoop loop = PacedLoop.start(2, 0)) {
            timing = loop.run(k -> k < 2 ? 0 : -1, null, (k, answer) -> {
                if (k == 0) {
                    answer.run();
                }
                return true;
            });
        }

        assertThat(timing.drained()).isFalse();
    }

    @Test
    void stopsAtTheEndOfTheDurationButRunsItOut() {
        List<Long> sent = new ArrayList<>();

        PacedLoop.Timing timing;
        try (PacedLoop loop = PacedLoop.start(8, 10)) {
            // one message now, the next an hour later: past the end of the 0.2 s
            timing = loop.run(k -> k * 3_600_000_000_000L, 0.2, (k, answer) -> {
                sent.add(k);
                answer.run();
                return true;
            });
        }

        assertThat(sent).containsExactly(0L);
        assertThat(timing.seconds()).isGreaterThanOrEqualTo(0.2);
    }
}
