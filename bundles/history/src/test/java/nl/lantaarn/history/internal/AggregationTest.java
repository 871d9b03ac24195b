package nl.lantaarn.history.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.history.api.HistoryBucket;
import nl.lantaarn.history.api.HistoryQuery;
import nl.lantaarn.history.api.HistoryQueryException;
import nl.lantaarn.history.api.HistoryResult;
import nl.lantaarn.history.api.Step;

class AggregationTest {

    private static final ThingId ID = ThingId.of("nl.demo.safety", "noise-n-1");
    private static final JsonPointer LAEQ = JsonPointer.of("/laeq");
    private static final Instant DAY = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;
    private HistoryStore store;
    private long revision;

    @BeforeEach
    void open() {
        store = HistoryStore.open(dir.resolve("history.mv"), 1000, (t, e) -> { });
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void record(Instant at, Object value) {
        store.record(ID.toString(), "noise", LAEQ, "", at, ++revision, value);
    }

    private HistoryResult query(Instant from, Instant to, Step step) {
        return store.query(HistoryQuery.of(ID, "noise", LAEQ, from, to).withStep(step));
    }

    @Test
    void bucketsHoldMinMaxAvgAndCountOfTheirStep() {
        record(DAY.plus(Duration.ofMinutes(1)), 60L);
        record(DAY.plus(Duration.ofMinutes(7)), 70.0);
        record(DAY.plus(Duration.ofMinutes(14)).plusSeconds(59), 80.0);
        record(DAY.plus(Duration.ofMinutes(15)), 50.5);
        // nothing from 15:xx to 01:00; then one in the second hour
        record(DAY.plus(Duration.ofMinutes(75)), 40.0);

        HistoryResult quarter = query(DAY, DAY.plus(Duration.ofHours(2)), Step.FIFTEEN_MINUTES);
        assertThat(quarter.buckets()).containsExactly(
                new HistoryBucket(DAY, 60.0, 80.0, 70.0, 3),
                new HistoryBucket(DAY.plus(Duration.ofMinutes(15)), 50.5, 50.5, 50.5, 1),
                new HistoryBucket(DAY.plus(Duration.ofMinutes(75)), 40.0, 40.0, 40.0, 1));
        assertThat(quarter.points()).isEmpty();
        assertThat(quarter.next()).isEmpty();

        assertThat(query(DAY, DAY.plus(Duration.ofHours(2)), Step.ONE_HOUR).buckets()).containsExactly(
                new HistoryBucket(DAY, 50.5, 80.0, (60 + 70 + 80 + 50.5) / 4, 4),
                new HistoryBucket(DAY.plus(Duration.ofHours(1)), 40.0, 40.0, 40.0, 1));
        assertThat(query(DAY, DAY.plus(Duration.ofDays(1)), Step.ONE_DAY).buckets())
                .singleElement().satisfies(b -> {
                    assertThat(b.count()).isEqualTo(5);
                    assertThat(b.min()).isEqualTo(40.0);
                    assertThat(b.max()).isEqualTo(80.0);
                });
        assertThat(query(DAY, DAY.plus(Duration.ofMinutes(10)), Step.ONE_MINUTE).buckets())
                .extracting(HistoryBucket::start)
                .containsExactly(DAY.plus(Duration.ofMinutes(1)), DAY.plus(Duration.ofMinutes(7)));
    }

    @Test
    void rangeIsWidenedToWholeStepsInUtc() {
        record(DAY.plus(Duration.ofMinutes(20)), 10L);
        record(DAY.plus(Duration.ofMinutes(50)), 20L);
        HistoryResult result = query(DAY.plus(Duration.ofMinutes(40)), DAY.plus(Duration.ofMinutes(61)), Step.ONE_HOUR);
        assertThat(result.from()).isEqualTo(DAY);
        assertThat(result.to()).isEqualTo(DAY.plus(Duration.ofHours(2)));
        // the whole first hour, including the point before the asked 'from'
        assertThat(result.buckets()).containsExactly(new HistoryBucket(DAY, 10.0, 20.0, 15.0, 2));
    }

    @Test
    void bucketsArePagedAtTheLimit() {
        for (int minute = 0; minute < 10; minute++) {
            record(DAY.plus(Duration.ofMinutes(minute)), (long) minute);
        }
        HistoryQuery query = HistoryQuery.of(ID, "noise", LAEQ, DAY, DAY.plus(Duration.ofHours(1)))
                .withStep(Step.ONE_MINUTE).withLimit(4);
        HistoryResult first = store.query(query);
        assertThat(first.buckets()).extracting(HistoryBucket::count).containsExactly(1L, 1L, 1L, 1L);
        assertThat(first.next()).contains(DAY.plus(Duration.ofMinutes(4)));
        HistoryResult second = store.query(query.withFrom(first.next().get()));
        assertThat(second.buckets()).extracting(HistoryBucket::min).containsExactly(4.0, 5.0, 6.0, 7.0);
        HistoryResult third = store.query(query.withFrom(second.next().get()));
        assertThat(third.buckets()).extracting(HistoryBucket::min).containsExactly(8.0, 9.0);
        assertThat(third.next()).isEmpty();
    }

    @Test
    void textValuesAreNotAggregatedAndTheErrorSaysWhatToDo() {
        record(DAY, 60L);
        record(DAY.plusSeconds(5), "overload");
        assertThatThrownBy(() -> query(DAY, DAY.plus(Duration.ofHours(1)), Step.ONE_MINUTE))
                .isInstanceOf(HistoryQueryException.class)
                .hasMessageContaining("'laeq'").hasMessageContaining("\"overload\"")
                .hasMessageContaining("leave 'step' out")
                .satisfies(e -> assertThat(((HistoryQueryException) e).parameter()).isEqualTo("step"));
        // raw values are fine
        assertThat(store.query(HistoryQuery.of(ID, "noise", LAEQ, DAY, DAY.plusSeconds(60))).points()).hasSize(2);
    }

    @Test
    void stepsParseFromTheirLabelsAndNameTheAllowedOnes() {
        assertThat(Step.parse("15m")).isEqualTo(Step.FIFTEEN_MINUTES);
        assertThat(Step.parse("1d").micros()).isEqualTo(86_400_000_000L);
        assertThatThrownBy(() -> Step.parse("5m")).isInstanceOf(HistoryQueryException.class)
                .hasMessage("'step' must be one of 1m, 15m, 1h, 1d, was '5m'.");
        assertThat(Step.ONE_DAY.floor(Instant.parse("2026-11-23T13:14:15Z"))).isEqualTo(DAY);
        assertThat(Step.FIFTEEN_MINUTES.ceil(Instant.parse("2026-11-23T00:15:00Z")))
                .isEqualTo(Instant.parse("2026-11-23T00:15:00Z"));
    }
}
