package nl.lantaarn.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import nl.lantaarn.routing.internal.RoutingAccess;
import nl.lantaarn.things.model.FeatureDefinitions;
import nl.lantaarn.twin.api.TwinEvent;

/**
 * Twin events per second through the routing runtime with {@code routes} active {@code hub:events} routes: the real
 * runtime (Camel context, hub component, YAML route files generated into a temporary folder), no framework. Route
 * {@code i} consumes the noise readings of its own sound sensor ({@code hub:events?thing=<sensor i>&feature=noise}),
 * checks the level ({@code filter}, Simple), shapes the alert body ({@code setBody} with {@code json.pick}) and ends
 * in a counting processor. The events are noise readings of the sensors in turn, each above the filter's threshold,
 * so that every event matches exactly one route and passes its filter. An event counts when the output of its route
 * has completed: each invocation dispatches {@value #BATCH} events (as the twin's listener thread does) and waits
 * until the outputs have counted them all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class RouteThroughputBenchmark {

    /** Events dispatched per invocation; each route has a queue far larger than its share of a batch. */
    static final int BATCH = 2000;
    /** Readings of each sensor prepared up front (different levels and times), used in turn. */
    private static final int READINGS_PER_SENSOR = 4;
    private static final int ROUTES_PER_FILE = 50;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Param({"1", "1000"})
    public int routes;

    /** With the routes' outbox (a file in the temporary folder): each accepted event appended, removed when done. */
    @Param({"false"})
    public boolean outbox;

    private Path folder;
    private RoutingAccess routing;
    private final CountingOutput output = new CountingOutput();
    private TwinEvent[] events;
    private int next;

    @Setup(Level.Trial)
    public void start() throws IOException {
        folder = Files.createTempDirectory("lantaarn-jmh-routes");
        writeRouteFiles(folder, routes);
        routing = new RoutingAccess(folder, 10_000, outbox ? folder.resolve("outbox/outbox.mv") : null);
        routing.context().getRegistry().bind(CountingOutput.BEAN_NAME, output);
        routing.start();
        if (routing.startedRoutes() != routes) {
            throw new IllegalStateException(routing.startedRoutes() + " routes started, " + routes + " expected: see"
                    + " the WARN lines above for the route file that was refused");
        }
        events = new TwinEvent[routes * READINGS_PER_SENSOR];
        for (int k = 0; k < events.length; k++) {
            // sensors in turn: consecutive events go to different routes
            events[k] = reading(k % routes, k / routes, 71.0 + (k % 140) / 10.0);
        }
        // every route once, before measuring: each event reaches exactly one route
        long target = output.expect(routes);
        for (int i = 0; i < routes; i++) {
            routing.dispatch(events[i]);
        }
        output.await(target);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        routing.close();
        CityThings.delete(folder);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public long events() {
        long target = output.expect(BATCH);
        TwinEvent[] all = events;
        int k = next;
        for (int i = 0; i < BATCH; i++) {
            routing.dispatch(all[k]);
            if (++k == all.length) {
                k = 0;
            }
        }
        next = k;
        return output.await(target);
    }

    /** The id of sensor {@code i}, as the demo noise adapter names it. */
    static ThingId sensor(int i) {
        return ThingId.of("nl.demo.safety", String.format(Locale.ROOT, "noise-n-%d", i + 1));
    }

    /** One route per sensor, {@value #ROUTES_PER_FILE} routes per file. */
    static void writeRouteFiles(Path folder, int count) throws IOException {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < count; i++) {
            file.append(route(i));
            if ((i + 1) % ROUTES_PER_FILE == 0 || i == count - 1) {
                Files.writeString(folder.resolve(String.format(Locale.ROOT, "bench-%04d.yaml", i / ROUTES_PER_FILE)),
                        file.toString());
                file.setLength(0);
            }
        }
    }

    private static String route(int i) {
        return """
                - route:
                    id: noise-n-%1$d
                    description: Noise above 70 dB(A) at sensor n-%1$d -> alert body (benchmark)
                    routeProperties:
                      purpose: benchmark of the routing runtime
                      legalBasis: PUBLIC_TASK
                      owner: bench
                    from:
                      uri: "hub:events?thing=%2$s&feature=noise"
                      steps:
                        - filter:
                            simple: "${body[features][noise][properties][laeq]} > 70.0"
                            steps:
                              - setBody:
                                  method:
                                    ref: json
                                    method: "pick(${body}, 'thingId=thingId; laeq=features/noise/properties/laeq; measuredAt=features/noise/properties/measuredAt; location=attributes/location')"
                              - process:
                                  ref: %3$s
                """.formatted(i + 1, sensor(i), CountingOutput.BEAN_NAME);
    }

    /** The twin's event for a new reading of sensor {@code i}: a merge of the noise properties, as the adapter does. */
    private static TwinEvent reading(int i, int n, double laeq) {
        String measuredAt = Instant.parse("2026-11-23T21:00:00Z").plusSeconds(n).toString();
        JsonObject properties = JsonObject.newBuilder().set("laeq", laeq).set("measuredAt", measuredAt).build();
        double along = (i + 0.5) / 1000.0;
        Thing thing = ThingsModelFactory.newThingBuilder()
                .setId(sensor(i))
                .setAttribute(JsonPointer.of("location"), JsonObject.newBuilder().set("type", "Point")
                        .set("coordinates", JsonArray.of(5.4774 + 0.004 * along,
                                51.4405 - 0.0026 * along))
                        .build())
                .setAttribute(JsonPointer.of("adapter"), JsonValue.of("demo-noise"))
                .setFeature(ThingsModelFactory.newFeatureBuilder()
                        .definition(FeatureDefinitions.of(FeatureDefinitions.NOISE_LEVEL_OBSERVED))
                        .properties(JsonObject.newBuilder().setAll(properties)
                                .set("units", JsonObject.newBuilder().set("laeq", "dB(A)").build()).build())
                        .withId("noise")
                        .build())
                .setRevision(n + 2L)
                .build();
        ThingMerged event = ThingMerged.of(thing.getEntityId().orElseThrow(),
                JsonPointer.of("/features/noise/properties"), properties, n + 2L, Instant.now(), DittoHeaders.empty(),
                null);
        return new TwinEvent(event, thing);
    }

    /** The routes' output: counts the exchanges that reached it and wakes the benchmark thread at its target. */
    public static final class CountingOutput implements Processor {

        static final String BEAN_NAME = "benchOutput";

        private final AtomicLong done = new AtomicLong();
        private final AtomicLong wrongBodies = new AtomicLong();
        private volatile long target = Long.MAX_VALUE;
        private volatile Thread waiter;

        @Override
        public void process(Exchange exchange) {
            if (!(exchange.getMessage().getBody() instanceof Map<?, ?> body) || body.get("laeq") == null) {
                wrongBodies.incrementAndGet();
            }
            if (done.incrementAndGet() >= target) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }

        /** The count at which {@code n} more exchanges will have completed; call before dispatching them. */
        long expect(int n) {
            waiter = Thread.currentThread();
            long t = done.get() + n;
            target = t;
            return t;
        }

        /** Waits until {@code target} exchanges have completed; fails when none completes for 30 s. */
        long await(long target) {
            long last = done.get();
            long progress = System.nanoTime();
            while (last < target) {
                LockSupport.parkNanos(1_000_000);
                long now = done.get();
                if (now != last) {
                    last = now;
                    progress = System.nanoTime();
                } else if (System.nanoTime() - progress > STALL_NANOS) {
                    throw new IllegalStateException("only " + now + " of " + target + " events reached the routes' "
                            + "output in 30 s: events were dropped (see the dead-letter WARN above)");
                }
            }
            if (wrongBodies.get() > 0) {
                throw new IllegalStateException(wrongBodies.get() + " exchanges reached the output without the "
                        + "picked alert body");
            }
            return last;
        }
    }
}
