package nl.lantaarn.history.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.history.api.HistoryPoint;
import nl.lantaarn.history.api.HistoryQuery;
import nl.lantaarn.history.api.HistoryResult;
import nl.lantaarn.history.api.HistoryUnavailableException;

class HistoryStoreTest {

    private static final ThingId N1 = ThingId.of("nl.demo.safety", "noise-n-1");
    private static final ThingId N2 = ThingId.of("nl.demo.safety", "noise-n-2");
    private static final JsonPointer LAEQ = JsonPointer.of("/laeq");
    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;
    private HistoryStore store;

    private HistoryStore open() {
        store = HistoryStore.open(dir.resolve("data/history/history.mv"), 1000, (t, e) -> { });
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static HistoryQuery laeq(ThingId id, Instant from, Instant to) {
        return HistoryQuery.of(id, "noise", LAEQ, from, to);
    }

    @Test
    void keepsEachSeriesApartAndReadsAHalfOpenRangeInTimeOrder() {
        HistoryStore s = open();
        // recorded out of order, and a neighbouring thing and property in between
        s.record(N1.toString(), "noise", LAEQ, "", T0.plusSeconds(120), 3, 72.0);
        s.record(N1.toString(), "noise", LAEQ, "", T0, 1, 70.5);
        s.record(N2.toString(), "noise", LAEQ, "", T0.plusSeconds(30), 1, 99.0);
        s.record(N1.toString(), "noise", JsonPointer.of("/units/laeq"), "", T0.plusSeconds(30), 2, "dB(A)");
        s.record(N1.toString(), "noise", LAEQ, "", T0.plusSeconds(60), 2, 71L);

        HistoryResult all = s.query(laeq(N1, T0, T0.plusSeconds(3600)));
        assertThat(all.points()).containsExactly(
                new HistoryPoint(T0, JsonValue.of(70.5)),
                new HistoryPoint(T0.plusSeconds(60), JsonValue.of(71L)),
                new HistoryPoint(T0.plusSeconds(120), JsonValue.of(72.0)));
        assertThat(all.next()).isEmpty();
        assertThat(all.buckets()).isEmpty();

        // from inclusive, to exclusive
        assertThat(s.query(laeq(N1, T0.plusSeconds(60), T0.plusSeconds(120))).points())
                .extracting(HistoryPoint::time).containsExactly(T0.plusSeconds(60));
        assertThat(s.query(HistoryQuery.of(N1, "noise", JsonPointer.of("/units/laeq"), T0, T0.plusSeconds(60)))
                .points()).containsExactly(new HistoryPoint(T0.plusSeconds(30), JsonValue.of("dB(A)")));
        assertThat(s.query(laeq(N2, T0, T0.plusSeconds(3600))).points()).hasSize(1);
        assertThat(s.query(laeq(ThingId.of("nl.demo.safety", "unknown"), T0, T0.plusSeconds(60))).points()).isEmpty();
        assertThat(s.seriesCount()).isEqualTo(3);
        assertThat(s.pointCount()).isEqualTo(5);
    }

    @Test
    void keepsEveryKindOfValueAndMicrosecondsAndTwoChangesInOneMicrosecond() {
        HistoryStore s = open();
        Instant precise = T0.plusNanos(123_456_789);
        s.record(N1.toString(), "noise", LAEQ, "", precise, 1, "loud");
        s.record(N1.toString(), "noise", LAEQ, "", precise, 2, true);
        s.record(N1.toString(), "noise", LAEQ, "", precise.plusSeconds(1), 3, new Values.JsonText("[1,\"a\"]"));
        s.record(N1.toString(), "noise", LAEQ, "", precise.plusSeconds(2), 4, -3L);
        assertThat(s.query(laeq(N1, T0, T0.plusSeconds(10))).points()).containsExactly(
                new HistoryPoint(T0.plusNanos(123_456_000), JsonValue.of("loud")),
                new HistoryPoint(T0.plusNanos(123_456_000), JsonValue.of(true)),
                new HistoryPoint(precise.plusSeconds(1).minusNanos(789), org.eclipse.ditto.json.JsonArray.of("[1,\"a\"]")),
                new HistoryPoint(precise.plusSeconds(2).minusNanos(789), JsonValue.of(-3L)));
    }

    @Test
    void pagesWithNextWithoutRepeatingOrSkippingAPoint() {
        HistoryStore s = open();
        for (int i = 0; i < 25; i++) {
            // two changes share each fifth time
            Instant at = T0.plusSeconds(i % 5 == 1 ? i - 1 : i);
            s.record(N1.toString(), "noise", LAEQ, "", at, i, (long) i);
        }
        List<HistoryPoint> seen = new ArrayList<>();
        HistoryQuery query = laeq(N1, T0, T0.plusSeconds(3600)).withLimit(5);
        int pages = 0;
        while (true) {
            HistoryResult page = s.query(query);
            pages++;
            assertThat(page.points()).isNotEmpty().hasSizeLessThanOrEqualTo(6);
            seen.addAll(page.points());
            if (page.next().isEmpty()) {
                break;
            }
            assertThat(page.next().get()).isAfter(page.points().get(page.points().size() - 1).time());
            query = query.withFrom(page.next().get());
        }
        assertThat(pages).isGreaterThan(4);
        assertThat(seen).extracting(p -> p.value().asLong()).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 25).boxed().toList());
    }

    @Test
    void keepsWhatWasRecordedAfterReopening() {
        HistoryStore s = open();
        s.record(N1.toString(), "noise", LAEQ, TestEvents.NOISE, T0, 1, 70.0);
        s.close();
        HistoryStore again = open();
        again.record(N1.toString(), "noise", LAEQ, TestEvents.NOISE, T0.plusSeconds(1), 2, 71.0);
        again.record(N2.toString(), "noise", LAEQ, TestEvents.NOISE, T0.plusSeconds(1), 1, 50.0);
        assertThat(again.query(laeq(N1, T0, T0.plusSeconds(60))).points()).extracting(p -> p.value().asDouble())
                .containsExactly(70.0, 71.0);
        // a new series after reopening gets an id of its own
        assertThat(again.query(laeq(N2, T0, T0.plusSeconds(60))).points()).hasSize(1);
        assertThat(again.seriesCount()).isEqualTo(2);
    }

    @Test
    void aCrashLosesOnlyWhatWasNotCommittedAndTheBackgroundWriterCommitsInBatches() {
        Path file = dir.resolve("data/history/history.mv");
        HistoryStore s = HistoryStore.open(file, 100, (t, e) -> { });
        for (int i = 0; i < 1000; i++) {
            s.record(N1.toString(), "noise", LAEQ, "", T0.plusSeconds(i), i, (long) i);
        }
        // committed by the store's own writer within its interval, not by the recorder
        await("the background commit").atMost(Duration.ofSeconds(30)).until(() -> !s.hasUnsavedChanges());
        s.commitInterval(0); // no more background commits: the next change waits, as at a crash
        s.record(N1.toString(), "noise", LAEQ, "", T0.plusSeconds(5000), 5000, 5000L);
        assertThat(s.hasUnsavedChanges()).isTrue();
        s.closeAsCrash();

        store = HistoryStore.open(file, 1000, (t, e) -> { });
        HistoryResult after = store.query(laeq(N1, T0, T0.plusSeconds(10_000)).withLimit(2000));
        assertThat(after.points()).hasSize(1000);
        assertThat(after.points().get(999).value().asLong()).isEqualTo(999);
    }

    @Test
    void aSecondStoreOnTheSameFileIsRefusedWithTheFileNamed() {
        open();
        Path file = dir.resolve("data/history/history.mv");
        assertThatThrownBy(() -> HistoryStore.open(file, 1000, (t, e) -> { }))
                .isInstanceOf(HistoryUnavailableException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("no other hub uses the same home");
    }

    @Test
    void aFolderThatCannotBeCreatedIsNamed() throws Exception {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file where a folder should be");
        assertThatThrownBy(() -> HistoryStore.open(blocker.resolve("history.mv"), 1000, (t, e) -> { }))
                .isInstanceOf(HistoryUnavailableException.class)
                .hasMessageContaining(blocker.toString())
                .hasMessageContaining("'file' in etc/nl.lantaarn.history.cfg");
    }
}
