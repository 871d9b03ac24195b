package nl.lantaarn.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

import nl.lantaarn.search.internal.SearchAccess;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * Search latency over {@code things}: one search of the engine (parse the RQL, evaluate it over the index, pick the
 * first page of 25 in sort order), sampled (p50, p95, p99 in JMH's percentiles). The things go through the twin
 * (on the in-memory store, as the store does not matter here) and are indexed from {@code TwinService.list()}, as the
 * search bundle does at start. The zone query reads {@code zones/} of the working folder (run from the repository
 * root) or the folder named by {@code -Dlantaarn.zones}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class SearchBenchmark {

    @Param("100000")
    public int things;

    @Param({"eqZoneAttribute", "gtLaeqSorted", "andLikeGeExists", "orInNotEq", "nearGtLaeq", "zonePolygon"})
    public String query;

    private SearchAccess search;
    private Object request;

    @Setup(Level.Trial)
    public void load() {
        TwinServiceComponent twin = new TwinServiceComponent(new MemoryTwinStore());
        CityThings.load(twin, things, 42);
        Path zones = Path.of(System.getProperty("lantaarn.zones", "zones"));
        if ("zonePolygon".equals(query) && !Files.isRegularFile(zones.resolve("stratumseind.geojson"))) {
            throw new IllegalStateException("No zone file " + zones.toAbsolutePath().resolve("stratumseind.geojson")
                    + ": run from the repository root or set -Dlantaarn.zones=<the repository's zones folder>");
        }
        search = new SearchAccess(twin.list(), zones);
        twin.deactivate();
        request = switch (query) {
            case "eqZoneAttribute" -> search.request("eq(attributes/zone,\"wijk-07\")", null, null, null);
            case "gtLaeqSorted" -> search.request("gt(features/noise/properties/laeq,70)",
                    "sort(-features/noise/properties/laeq)", null, null);
            case "andLikeGeExists" -> search.request("and(like(thingId,\"nl.eindhoven.safety:*\"),"
                    + "ge(features/noise/properties/laeq,60),exists(attributes/location))", null, null, null);
            case "orInNotEq" -> search.request("or(in(attributes/vendor,\"acme\",\"lumen\"),"
                    + "not(exists(features/noise)),eq(features/light/properties/on,true))", null, null, null);
            case "nearGtLaeq" -> search.request("gt(features/noise/properties/laeq,50)",
                    "-features/noise/properties/laeq", "51.4418,5.4787,250", null);
            case "zonePolygon" -> search.request(null, null, null, "stratumseind");
            default -> throw new IllegalArgumentException("unknown query " + query);
        };
        // fails here, not in the measurement, when a query is refused
        System.out.printf("%n%s: %,d matches%n", query, search.count(request));
    }

    @TearDown(Level.Trial)
    public void close() {
        search.close();
    }

    @Benchmark
    public List<String> search() {
        return search.search(request);
    }
}
