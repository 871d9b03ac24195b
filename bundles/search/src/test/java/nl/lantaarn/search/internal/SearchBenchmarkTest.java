package nl.lantaarn.search.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import nl.lantaarn.twin.api.TwinService;

/**
 * Search latency over 100,000 things: prints p50/p95/p99 per query shape, in the engine and over HTTP (Jetty on
 * 127.0.0.1, 25 whole things per page). Asserts nothing about time. Runs only with {@code -Dsearch.benchmark=true}:
 * <pre>./mvnw -q -pl bundles/search test -Dtest=SearchBenchmarkTest -Dsearch.benchmark=true</pre>
 */
class SearchBenchmarkTest {

    private static final int THINGS = Integer.getInteger("search.benchmark.things", 100_000);
    private static final int WARMUP = 300;
    private static final int RUNS = 1000;

    @Test
    void searchLatency() throws Exception {
        assumeTrue(Boolean.getBoolean("search.benchmark"), "benchmark: run with -Dsearch.benchmark=true");
        Random random = new Random(42);
        Map<ThingId, Thing> things = new HashMap<>();
        List<Thing> list = new ArrayList<>(THINGS);
        for (int i = 0; i < THINGS; i++) {
            Thing thing = thing(i, random);
            things.put(thing.getEntityId().orElseThrow(), thing);
            list.add(thing);
        }
        System.gc();
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        ZoneRegistry zones = new ZoneRegistry(Path.of("../../zones"), 60_000);
        SearchIndex index = new SearchIndex(list, zones, 1024);
        long buildMillis = (System.nanoTime() - start) / 1_000_000;
        System.gc();
        long indexBytes = usedHeap() - heapBefore;
        SearchEngine engine = index.engine();

        Map<String, SearchRequest> queries = new LinkedHashMap<>();
        queries.put("eq attribute (zone), sort thingId", SearchRequest.filter("eq(attributes/zone,\"wijk-07\")"));
        queries.put("gt laeq, sort -laeq", SearchRequest.filter("gt(features/noise/properties/laeq,70)")
                .withSort("sort(-features/noise/properties/laeq)"));
        queries.put("and(like thingId prefix, ge laeq, exists)", SearchRequest.filter(
                "and(like(thingId,\"nl.eindhoven.safety:*\"),ge(features/noise/properties/laeq,60),"
                        + "exists(attributes/location))"));
        queries.put("or/not/in over 3 fields", SearchRequest.filter("or(in(attributes/vendor,\"acme\",\"lumen\"),"
                + "not(exists(features/noise)),eq(features/light/properties/on,true))"));
        queries.put("like infix on thingId (scan)", SearchRequest.filter("like(thingId,\"*-0042*\")"));
        queries.put("near 250 m + gt laeq, sort -laeq", SearchRequest.filter("gt(features/noise/properties/laeq,50)")
                .withNear("51.4418,5.4787,250").withSort("-features/noise/properties/laeq"));
        queries.put("bbox (~1 km²)", SearchRequest.filter(null).withBbox("5.470,51.437,5.485,51.446"));
        queries.put("zone=stratumseind (polygon)", SearchRequest.filter(null).withZone("stratumseind"));
        queries.put("everything, sort -_modified", SearchRequest.filter(null).withSort("-_modified"));
        SearchEngine.Page page1 = engine.search(queries.get("gt laeq, sort -laeq"));
        queries.put("page 2 (cursor) of gt laeq", queries.get("gt laeq, sort -laeq").withCursor(page1.cursor()));

        System.out.printf(Locale.ROOT, "%n%,d things indexed in %,d ms; index heap ~%,d MB (%d paths)%n", THINGS,
                buildMillis, indexBytes / (1024 * 1024), index.index().paths());
        System.out.printf(Locale.ROOT, "%-44s %8s %8s %8s %8s   (engine: parse + evaluate + page of 25)%n", "query",
                "matches", "p50 ms", "p95 ms", "p99 ms");
        for (Map.Entry<String, SearchRequest> query : queries.entrySet()) {
            long[] nanos = time(() -> engine.search(query.getValue()));
            System.out.printf(Locale.ROOT, "%-44s %,8d %8.2f %8.2f %8.2f%n", query.getKey(),
                    engine.count(query.getValue()), ms(nanos, 0.50), ms(nanos, 0.95), ms(nanos, 0.99));
        }

        // end to end over HTTP: the servlet, parameters, 25 things as JSON
        TwinService twin = (TwinService) Proxy.newProxyInstance(TwinService.class.getClassLoader(),
                new Class<?>[] {TwinService.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "retrieve" -> Optional.ofNullable(things.get((ThingId) args[0]));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new SearchServlet(twin, engine, zones, SearchServletTest::client, SearchServletTest.OPEN)), "/api/v1/search/*");
        server.setHandler(context);
        server.start();
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + connector.getLocalPort() + "/api/v1/search/things?";
        Map<String, String> http = new LinkedHashMap<>();
        http.put("HTTP gt laeq, sort -laeq, size 25", "filter=" + q("gt(features/noise/properties/laeq,70)")
                + "&sort=" + q("-features/noise/properties/laeq"));
        http.put("HTTP near 250 m + gt laeq", "filter=" + q("gt(features/noise/properties/laeq,50)")
                + "&near=51.4418,5.4787,250");
        http.put("HTTP zone + exists, fields", "zone=stratumseind&filter="
                + q("exists(features/noise)") + "&fields=thingId,attributes/location");
        System.out.printf(Locale.ROOT, "%-44s %8s %8s %8s %8s   (HTTP/1.1 on 127.0.0.1, one client)%n", "request",
                "bytes", "p50 ms", "p95 ms", "p99 ms");
        try {
            for (Map.Entry<String, String> request : http.entrySet()) {
                HttpRequest get = HttpRequest.newBuilder(URI.create(base + request.getValue()))
                        .header("X-API-Key", SearchServletTest.READER_KEY).build();
                int[] bytes = new int[1];
                long[] nanos = time(() -> {
                    HttpResponse<String> response = client.send(get, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(response.body());
                    }
                    bytes[0] = response.body().length();
                    return response;
                });
                System.out.printf(Locale.ROOT, "%-44s %,8d %8.2f %8.2f %8.2f%n", request.getKey(), bytes[0],
                        ms(nanos, 0.50), ms(nanos, 0.95), ms(nanos, 0.99));
            }
        } finally {
            server.stop();
            index.close();
            zones.close();
        }
    }

    /** A city mix: sound sensors, lamps and crowd counters around Eindhoven, in 40 zones, 4 vendors. */
    private static Thing thing(int i, Random random) {
        double lat = 51.40 + random.nextDouble() * 0.09;
        double lon = 5.40 + random.nextDouble() * 0.14;
        String zone = String.format(Locale.ROOT, "wijk-%02d", random.nextInt(40));
        String vendor = List.of("acme", "lumen", "sonix", "countr").get(random.nextInt(4));
        String json;
        switch (i % 3) {
            case 0 -> json = String.format(Locale.ROOT, """
                    {"thingId":"nl.eindhoven.safety:noise-%06d","policyId":"nl.eindhoven.safety:default",
                     "attributes":{"location":{"type":"Point","coordinates":[%.6f,%.6f]},"zone":"%s","vendor":"%s",
                       "adapter":"demo-noise"},
                     "features":{"noise":{"definition":["org.fiware.smartdatamodels:NoiseLevelObserved:1.0.0"],
                       "properties":{"laeq":%.1f,"lamax":%.1f,"measuredAt":"2026-11-23T21:%02d:%02dZ"}}}}""",
                    i, lon, lat, zone, vendor, 35 + random.nextDouble() * 55, 50 + random.nextDouble() * 50,
                    random.nextInt(60), random.nextInt(60));
            case 1 -> json = String.format(Locale.ROOT, """
                    {"thingId":"nl.eindhoven.lighting:lamppost-%06d","policyId":"nl.eindhoven.lighting:default",
                     "attributes":{"location":{"type":"Point","coordinates":[%.6f,%.6f]},"zone":"%s","vendor":"%s"},
                     "features":{"light":{"properties":{"on":%s,"dimLevel":%d}},
                       "noise":{"properties":{"laeq":%.1f}}}}""",
                    i, lon, lat, zone, vendor, random.nextBoolean(), random.nextInt(101),
                    35 + random.nextDouble() * 55);
            default -> json = String.format(Locale.ROOT, """
                    {"thingId":"nl.eindhoven.crowd:counter-%06d","policyId":"nl.eindhoven.crowd:default",
                     "attributes":{"location":{"type":"Point","coordinates":[%.6f,%.6f]},"zone":"%s","vendor":"%s"},
                     "features":{"crowd":{"properties":{"peopleCount":%d,"congested":%s}}}}""",
                    i, lon, lat, zone, vendor, random.nextInt(500), random.nextBoolean());
        }
        return ThingsModelFactory.newThing(JsonFactory.newObject(json)).toBuilder().setRevision(1 + random.nextInt(9))
                .setModified(java.time.Instant.parse("2026-11-23T00:00:00Z").plusSeconds(random.nextInt(86_400)))
                .build();
    }

    private interface Run {
        Object run() throws Exception;
    }

    private static long[] time(Run run) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            run.run();
        }
        long[] nanos = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            run.run();
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
