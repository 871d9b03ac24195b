package nl.lantaarn.history.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;

import nl.lantaarn.history.api.HistoryQuery;
import nl.lantaarn.history.api.Step;
import nl.lantaarn.twin.api.TwinEvent;

/**
 * A quick measurement of the history, printed, never asserted (see BENCHMARKS.md, "History"):
 * <ol>
 * <li>points recorded per second straight into the store, and through the twin event listener (extraction of the
 * changes from Ditto events included), each until committed to the file;</li>
 * <li>query latency for one day of 1-minute points (1,440) of one series in a store holding many others: raw, and
 * aggregated per 15 minutes and per hour.</li>
 * </ol>
 * Run: {@code ./mvnw -q -pl bundles/history test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=nl.lantaarn.history.internal.HistoryBenchmark}
 */
public final class HistoryBenchmark {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final JsonPointer LAEQ = JsonPointer.of("/laeq");
    private static final int SENSORS = 1000;

    private HistoryBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("history-bench");
        try {
            System.out.printf(Locale.ROOT, "History benchmark: %d cores, Java %s, %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), dir);
            storeWrites(dir.resolve("store.mv"));
            listenerWrites(dir);
            queries(dir.resolve("query.mv"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** 1,000 series of 2,000 points each, written round-robin as readings arrive, then committed. */
    private static void storeWrites(Path file) {
        int perSeries = 2000;
        Random random = new Random(1);
        HistoryStore store = HistoryStore.open(file, 1000, (t, e) -> e.printStackTrace());
        String[] ids = new String[SENSORS];
        for (int s = 0; s < SENSORS; s++) {
            ids[s] = "nl.bench.safety:noise-" + s;
        }
        long begin = System.nanoTime();
        for (int i = 0; i < perSeries; i++) {
            Instant at = START.plusSeconds(60L * i);
            for (int s = 0; s < SENSORS; s++) {
                store.record(ids[s], "noise", LAEQ, TestEvents.NOISE, at.plusMillis(s), i + 1, 40 + random.nextDouble() * 50);
            }
        }
        store.commit();
        double seconds = (System.nanoTime() - begin) / 1e9;
        long points = (long) perSeries * SENSORS;
        System.out.printf(Locale.ROOT, "store.record: %,d points in %.2f s = %,.0f points/s (committed); file %,d bytes "
                + "= %.1f bytes/point%n", points, seconds, points / seconds, store.fileSize(),
                (double) store.fileSize() / points);
        store.close();
    }

    /** Twin events as the twin raises them for noise readings (laeq and measuredAt), through the listener. */
    private static void listenerWrites(Path dir) {
        HistoryComponent history = new HistoryComponent(dir, new HistoryComponent.Settings(dir.resolve("listener.mv"),
                RetentionPolicy.of(HistoryComponent.PID, 30, Map.of()), 60, 1000), Clock.systemUTC(), false);
        Thing[] things = new Thing[SENSORS];
        for (int s = 0; s < SENSORS; s++) {
            things[s] = TestEvents.created(ThingId.of("nl.bench.safety", "noise-" + s), 50, START).thing();
        }
        Random random = new Random(2);
        int rounds = 300;
        long nanos = 0;
        long events = 0;
        for (int round = 0; round < rounds; round += 10) {
            // built outside the timing: the twin builds these, not the history
            List<TwinEvent> batch = new ArrayList<>(SENSORS * 10);
            for (int r = round; r < round + 10; r++) {
                Instant at = START.plusSeconds(60L * r);
                for (int s = 0; s < SENSORS; s++) {
                    JsonObject patch = JsonObject.of(String.format(Locale.ROOT,
                            "{\"features\":{\"noise\":{\"properties\":{\"laeq\":%.1f,\"measuredAt\":\"%s\"}}}}",
                            40 + random.nextDouble() * 50, at));
                    batch.add(new TwinEvent(ThingMerged.of(things[s].getEntityId().orElseThrow(), JsonPointer.empty(),
                            patch, r + 2, at.plusMillis(s), DittoHeaders.empty(), null), things[s]));
                }
            }
            long begin = System.nanoTime();
            for (TwinEvent event : batch) {
                history.onTwinEvent(event);
            }
            nanos += System.nanoTime() - begin;
            events += batch.size();
        }
        long begin = System.nanoTime();
        history.store().commit();
        nanos += System.nanoTime() - begin;
        double seconds = nanos / 1e9;
        System.out.printf(Locale.ROOT, "listener: %,d twin events (%,d points) in %.2f s = %,.0f events/s, %,.0f "
                + "points/s (committed)%n", events, history.recorded(), seconds, events / seconds,
                history.recorded() / seconds);
        history.deactivate();
    }

    /** One day of 1-minute points of one series among 1,000 series of a day each. */
    private static void queries(Path file) {
        HistoryStore store = HistoryStore.open(file, 1000, (t, e) -> e.printStackTrace());
        Random random = new Random(3);
        for (int minute = 0; minute < 1440; minute++) {
            Instant at = START.plus(Duration.ofMinutes(minute));
            for (int s = 0; s < SENSORS; s++) {
                store.record("nl.bench.safety:noise-" + s, "noise", LAEQ, "", at, minute + 1,
                        40 + random.nextDouble() * 50);
            }
        }
        store.commit();
        ThingId id = ThingId.of("nl.bench.safety", "noise-500");
        HistoryQuery day = HistoryQuery.of(id, "noise", LAEQ, START, START.plus(Duration.ofDays(1))).withLimit(1440);
        measure(store, "raw, 1,440 points", day, 1440);
        measure(store, "step 15m, 96 buckets", day.withStep(Step.FIFTEEN_MINUTES), 96);
        measure(store, "step 1h, 24 buckets", day.withStep(Step.ONE_HOUR), 24);
        store.close();
        // the store's page cache empty again (the operating system's file cache is not)
        HistoryStore reopened = HistoryStore.open(file, 1000, (t, e) -> e.printStackTrace());
        long begin = System.nanoTime();
        int size = reopened.query(day).points().size();
        System.out.printf(Locale.ROOT, "query a day of 1-minute points, raw, first query after reopening the store: "
                + "%.3f ms (%d points)%n", (System.nanoTime() - begin) / 1e6, size);
        reopened.close();
    }

    private static void measure(HistoryStore store, String what, HistoryQuery query, int expected) {
        int warmup = 300;
        int runs = 1000;
        long[] nanos = new long[runs];
        for (int i = 0; i < warmup + runs; i++) {
            long begin = System.nanoTime();
            var result = store.query(query);
            long took = System.nanoTime() - begin;
            int size = result.points().size() + result.buckets().size();
            if (size != expected) {
                throw new IllegalStateException(what + ": " + size + " results, expected " + expected);
            }
            if (i >= warmup) {
                nanos[i - warmup] = took;
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "query a day of 1-minute points, %s: median %.3f ms, p95 %.3f ms, max %.3f ms "
                + "(%d runs)%n", what, nanos[runs / 2] / 1e6, nanos[runs * 95 / 100] / 1e6, nanos[runs - 1] / 1e6, runs);
    }
}
