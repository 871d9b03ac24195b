package nl.lantaarn.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.TwinServiceComponent;
import nl.lantaarn.twin.internal.store.EmbeddedTwinStoreAccess;
import nl.lantaarn.twin.spi.TwinStore;

/**
 * Fills a hub home's embedded store ({@code <home>/data/twin/things.mv}) with things {@code 0 .. N-1} of the city mix
 * ({@link CityThings}), through the twin service on the embedded store: the classes and the write path the hub runs
 * (revisions, created and modified times, journal, checkpoint), without the framework, in a plain JVM. Several writer
 * threads, so that the journal groups their commits. Closing the store checkpoints the journal into the file, so the
 * hub started on the home has nothing to replay.
 * <pre>java -cp bench/jmh/target/benchmarks.jar nl.lantaarn.bench.jmh.TwinStoreFill HOME THINGS [THREADS]</pre>
 */
public final class TwinStoreFill {

    private static final long SEED = 42;

    private TwinStoreFill() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TwinStoreFill HOME THINGS [THREADS]");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        int things = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path file = home.resolve("data/twin/things.mv");
        if (Files.exists(file)) {
            throw new IllegalStateException(file + " exists already: fill a new home");
        }
        long start = System.nanoTime();
        TwinStore store = EmbeddedTwinStoreAccess.open(file, 1000, false);
        TwinServiceComponent twin = new TwinServiceComponent(store);
        AtomicInteger next = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < things; i = next.getAndIncrement()) {
                        // a Random per thing: the same thing whichever thread writes it
                        twin.apply(ThingUpdate.merge(CityThings.id(i), CityThings.patch(i, new Random(SEED + i))));
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, "fill-" + t);
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        twin.deactivate();
        EmbeddedTwinStoreAccess.close(store);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("writing the things failed", failures.get(0));
        }
        System.out.printf(Locale.ROOT, "Filled %s with %,d things in %.1f s (%,d bytes on disk)%n", file, things,
                (System.nanoTime() - start) / 1e9, Files.size(file));
    }
}
