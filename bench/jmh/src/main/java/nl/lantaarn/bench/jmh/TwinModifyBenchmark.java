package nl.lantaarn.bench.jmh;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
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

import nl.lantaarn.twin.api.WriteCondition;

/**
 * Acknowledged modifies per second: one feature property merge ({@code features/noise/properties/laeq}, RFC 7396) on
 * a random sound sensor or lamp post among {@code things}, through {@code TwinService.merge} on the embedded store. A
 * call counts when it has returned, i.e. when the change is in the store's journal ({@code sync=false}, the default)
 * or forced to the disk ({@code -p sync=true}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class TwinModifyBenchmark {

    private static final JsonPointer LAEQ = JsonPointer.of("/features/noise/properties/laeq");

    @Param("100000")
    public int things;

    @Param("false")
    public boolean sync;

    private EmbeddedTwin twin;

    @Setup(Level.Trial)
    public void load() throws Exception {
        twin = new EmbeddedTwin(sync);
        CityThings.load(twin.twin(), things, 42);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        twin.close();
    }

    @Benchmark
    @Threads(1)
    public Thing modify1Thread() {
        return merge();
    }

    @Benchmark
    @Threads(4)
    public Thing modify4Threads() {
        return merge();
    }

    private Thing merge() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(things);
        if (i % 3 == 2) {
            i--; // crowd counters have no noise feature: take the lamp post before it
        }
        return twin.twin().merge(CityThings.id(i), LAEQ, JsonValue.of(40 + random.nextInt(600) / 10.0),
                WriteCondition.any());
    }
}
