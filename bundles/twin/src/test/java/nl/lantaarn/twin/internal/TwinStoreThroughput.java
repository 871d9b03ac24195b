package nl.lantaarn.twin.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.store.EmbeddedTwinStoreAccess;
import nl.lantaarn.twin.spi.TwinStore;

/**
 * Measures acknowledged single-property merges per second through the twin service on the embedded store (each one
 * returned only once durable), for a growing number of writer threads. Prints; asserts nothing. Not the JMH benchmark.
 * <pre>
 * ./mvnw -q -pl bundles/twin test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=nl.lantaarn.twin.internal.TwinStoreThroughput -Dexec.args="10000 5 1,4,16,64 false"
 * </pre>
 * Arguments: things, seconds per step, writer threads per step, sync (fsync each journal write).
 */
public final class TwinStoreThroughput {

    private TwinStoreThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int things = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String[] steps = (args.length > 2 ? args[2] : "1,4,16,64").split(",");
        boolean sync = args.length > 3 && Boolean.parseBoolean(args[3]);
        Path home = Files.createTempDirectory("twin-throughput");
        Path file = home.resolve("data/twin/things.mv");
        long checkpointMillis = Long.getLong("checkpointMillis", 1000);
        TwinStore store = EmbeddedTwinStoreAccess.open(file, checkpointMillis, sync);
        TwinServiceComponent twin = new TwinServiceComponent(store);
        try {
            long start = System.nanoTime();
            for (int n = 0; n < things; n++) {
                twin.apply(ThingUpdate.merge(id(n), JsonObject.of("{\"attributes\":{"
                        + "\"location\":{\"type\":\"Point\",\"coordinates\":[5.4778,51.4416]},\"zone\":\"WK077201\","
                        + "\"vendor\":\"acme\",\"model\":\"SoundEye 3\",\"adapter\":\"demo-noise\"},\"features\":{"
                        + "\"noise\":{\"definition\":[\"org.fiware:NoiseLevelObserved:1.0.0\"],"
                        + "\"properties\":{\"laeq\":50.0,\"lamax\":61.2,\"observedAt\":\"2026-11-24T10:00:00Z\"}}}}")));
            }
            System.out.printf("created %,d things in %.1f s (sync=%s, checkpoint every %d ms, %d cores)%n", things,
                    (System.nanoTime() - start) / 1e9, sync, checkpointMillis, Runtime.getRuntime().availableProcessors());
            for (String step : steps) {
                measure(twin, store, things, Integer.parseInt(step.trim()), seconds);
                System.out.printf("    MVStore file %,d KB, journal %,d KB%n", Files.size(file) >> 10,
                        journalBytes(file.getParent()) >> 10);
            }
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("heap used after GC: %,d MB; MVStore file %,d KB; journal %,d KB%n",
                    (runtime.totalMemory() - runtime.freeMemory()) >> 20, Files.size(file) >> 10,
                    journalBytes(file.getParent()) >> 10);
        } finally {
            twin.deactivate();
            EmbeddedTwinStoreAccess.close(store);
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ThingId id(int n) {
        return ThingId.of("nl.eindhoven.safety", "noise-" + n);
    }

    private static void measure(TwinServiceComponent twin, TwinStore store, int things, int threads, int seconds)
            throws InterruptedException {
        LongAdder acked = new LongAdder();
        long[] groupsBefore = EmbeddedTwinStoreAccess.journalGroups(store);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> writers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    double laeq = 40 + random.nextInt(600) / 10.0;
                    twin.apply(ThingUpdate.merge(id(random.nextInt(things)),
                            JsonObject.of("{\"features\":{\"noise\":{\"properties\":{\"laeq\":" + laeq + "}}}}")));
                    acked.increment();
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] groups = EmbeddedTwinStoreAccess.journalGroups(store);
        long journalWrites = groups[0] - groupsBefore[0];
        long records = groups[1] - groupsBefore[1];
        System.out.printf("%3d writer threads: %,9.0f acknowledged merges/s, %,8.0f journal writes/s, "
                + "%.1f merges per journal write%n", threads, acked.sum() / elapsed, journalWrites / elapsed,
                journalWrites == 0 ? 0.0 : (double) records / journalWrites);
    }

    private static long journalBytes(Path directory) throws java.io.IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().contains(".journal."))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
