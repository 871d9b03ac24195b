package nl.lantaarn.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Locale;

import org.eclipse.ditto.things.model.Thing;

import nl.lantaarn.search.internal.SearchAccess;

/**
 * Heap per 100,000 things (not a JMH measurement): loads the things into the twin on the embedded store, then into
 * the search index, and prints the heap in use after a full GC at each step. The twin keeps its default number of
 * parsed things (the most recently written, here the last 20,000 loaded). Prints; asserts nothing.
 * <pre>java -Xmx2g -cp bench/jmh/target/benchmarks.jar nl.lantaarn.bench.jmh.TwinHeap [things]</pre>
 */
public final class TwinHeap {

    private TwinHeap() {
    }

    public static void main(String[] args) throws Exception {
        int things = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long base = usedAfterGc();
        try (EmbeddedTwin twin = new EmbeddedTwin(false)) {
            long start = System.nanoTime();
            CityThings.load(twin.twin(), things, 42);
            long loadMillis = (System.nanoTime() - start) / 1_000_000;
            long withTwin = usedAfterGc();
            long jsonBytes = 0;
            for (Thing thing : twin.twin().list()) {
                jsonBytes += thing.toJsonString().length();
            }
            start = System.nanoTime();
            // from the things' JSON, as the hub's search index does at start
            try (SearchAccess search = new SearchAccess(twin.twin(), Path.of("zones"))) {
                long indexMillis = (System.nanoTime() - start) / 1_000_000;
                long withIndex = usedAfterGc();
                System.out.printf(Locale.ROOT, "things: %,d (about %,d bytes of Ditto JSON each)%n", things,
                        jsonBytes / things);
                System.out.printf(Locale.ROOT, "heap before loading:              %,6d MB%n", base >> 20);
                System.out.printf(Locale.ROOT, "twin (embedded store), loaded in %,d ms: +%,d MB (%,d bytes a thing)%n",
                        loadMillis, (withTwin - base) >> 20, (withTwin - base) / things);
                System.out.printf(Locale.ROOT, "search index, built in %,d ms:      +%,d MB (%,d bytes a thing)%n",
                        indexMillis, (withIndex - withTwin) >> 20, (withIndex - withTwin) / things);
                System.out.printf(Locale.ROOT, "twin + index per %,d things:   %,6d MB%n", things,
                        (withIndex - base) >> 20);
                if (search.count(search.request(null, null, null, null)) != things) {
                    throw new IllegalStateException("the index does not hold every thing");
                }
            }
        }
    }

    /** Heap in use after full collections, until it stops shrinking. */
    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
