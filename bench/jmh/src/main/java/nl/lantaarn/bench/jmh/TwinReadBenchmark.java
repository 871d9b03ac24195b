package nl.lantaarn.bench.jmh;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Reads per second: {@code TwinService.retrieve} of a random thing among {@code things} on the embedded store. The
 * ids are made up front, so the figure is the twin's look-up, not building the id.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class TwinReadBenchmark {

    @Param("100000")
    public int things;

    private EmbeddedTwin twin;
    private ThingId[] ids;

    @Setup(Level.Trial)
    public void load() throws Exception {
        twin = new EmbeddedTwin(false);
        CityThings.load(twin.twin(), things, 42);
        ids = new ThingId[things];
        for (int i = 0; i < things; i++) {
            ids[i] = CityThings.id(i);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        twin.close();
    }

    @Benchmark
    @Threads(1)
    public Optional<Thing> retrieve1Thread() {
        return twin.twin().retrieve(ids[ThreadLocalRandom.current().nextInt(ids.length)]);
    }

    @Benchmark
    @Threads(2)
    public Optional<Thing> retrieve2Threads() {
        return twin.twin().retrieve(ids[ThreadLocalRandom.current().nextInt(ids.length)]);
    }
}
