package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.osgi.framework.BundleContext;

import jakarta.servlet.DispatcherType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.history.api.HistoryService;
import nl.lantaarn.history.internal.HistoryComponent;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * Bad input for {@code /api/v1} over real HTTP: generated JSON bodies, thing ids and paths, content types, body sizes
 * around the limit, query parameters of reads and history, event stream filters. The servlets run in a real Jetty on
 * a free port with the real twin, history and dead-letter services, as in the hub. Every answer must come within
 * {@link #TIMEOUT} and be below 500; a 4xx from the API is an RFC 9457 problem with a detail. Requests that the HTTP
 * container itself refuses before any servlet sees them (ambiguous or badly encoded URIs, too long request lines)
 * carry no {@code API-Version}; they must be 4xx too.
 */
class ApiFuzzTest {

    private static final String WRITER_KEY = "fuzz-writer-key-0123456789";
    private static final String READER_KEY = "fuzz-reader-key-0123456789";
    /** Far more than any answer takes; only a hang reaches it. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Path home;
    private static TwinServiceComponent twin;
    private static HistoryComponent history;
    private static FileDeadLetterService letters;
    private static EventStreamServlet events;
    private static Server server;
    private static int port;

    /** Zone "stratumseind": every point east of longitude 5.47, for the stream's zone filter. */
    private static final ThingSearch ZONES = new ThingSearch() {
        @Override
        public List<String> thingIds(String rqlFilter, Near near, String zone, int limit) {
            return List.of();
        }

        @Override
        public List<String> zonesAt(double longitude, double latitude) {
            return longitude > 5.47 ? List.of("stratumseind") : List.of();
        }

        @Override
        public Optional<ZoneInfo> zone(String zoneId) {
            return "stratumseind".equals(zoneId) ? Optional.of(new ZoneInfo(zoneId, "Stratumseind")) : Optional.empty();
        }
    };

    @BeforeContainer
    static void start() throws Exception {
        home = Files.createTempDirectory("api-fuzz");
        twin = new TwinServiceComponent(new MemoryTwinStore());
        history = new HistoryComponent(hubContext(home), defaults(HistoryComponent.Config.class), Map.of());
        EventFeed feed = new EventFeed(100);
        // the twin's whiteboard bindings, as DS makes them
        Method addListener = TwinServiceComponent.class.getDeclaredMethod("addListener", TwinEventListener.class);
        addListener.setAccessible(true);
        addListener.invoke(twin, history);
        addListener.invoke(twin, feed);
        for (String id : List.of("nl.demo.safety:noise-1", "nl.demo.safety:noise-2", "nl.demo.lighting:lamp-1")) {
            twin.modify(ThingId.of(id), JsonPointer.empty(), JsonObject.of("{\"attributes\":{\"zone\":\"stratumseind\","
                    + "\"location\":{\"type\":\"Point\",\"coordinates\":[5.48,51.44]}},\"features\":{\"noise\":"
                    + "{\"properties\":{\"laeq\":60,\"units\":{\"laeq\":\"dB(A)\"},\"state\":\"ok\"}}}}"),
                    WriteCondition.any());
            twin.modify(ThingId.of(id), JsonPointer.of("/features/noise/properties/laeq"), JsonValue.of(71.5),
                    WriteCondition.any());
        }
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 100);
        ApiKeyAuthenticator authenticator = TestClients.authenticator(
                TestClients.client("fuzz-writer", "writer", WRITER_KEY),
                TestClients.client("fuzz-reader", "reader", READER_KEY));
        ApiServlet api = new ApiServlet(twin, letters, authenticator, new AdapterFiles(home, name -> List.of()));
        api.setHistory(history);
        // streams the fuzzer leaves are found closed at the next heartbeat (1 s); no limit of streams per client
        events = new EventStreamServlet(feed, authenticator, ThingPolicies.builtInDefault(), ZONES, 100, 1, Integer.MAX_VALUE, 1);

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        FilterHolder headers = new FilterHolder(new ApiHeadersFilter());
        headers.setAsyncSupported(true);
        context.addFilter(headers, "/api/v1/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(api), "/api/v1/*");
        ServletHolder stream = new ServletHolder(events);
        stream.setAsyncSupported(true);
        context.addServlet(stream, "/api/v1/events");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterContainer
    static void stop() throws Exception {
        server.stop();
        events.deactivate();
        Method deactivate = HistoryComponent.class.getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(history);
        twin.deactivate();
        letters.close();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** A bundle context that only knows the hub's home, for components that read nothing else from it. */
    private static BundleContext hubContext(Path home) {
        return (BundleContext) Proxy.newProxyInstance(ApiFuzzTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> "lantaarn.home".equals(args[0]) ? home.toString() : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A component configuration with every attribute at its default, as DS gives it without a configuration. */
    private static <A> A defaults(Class<A> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getDefaultValue()));
    }

    // ---- properties ----

    @Property(tries = 6000, shrinking = ShrinkingMode.BOUNDED)
    void jsonBodiesOfWritesAreAnsweredBelow500(@ForAll("writeMethods") String method,
            @ForAll("knownThings") String id, @ForAll("writeParts") String part,
            @ForAll("jsonBodies") byte[] body) throws IOException {
        String type = method.equals("PATCH") ? ThingWriteRoute.MERGE_PATCH : "application/json";
        assertHandled(send(method, "/api/v1/things/" + id + part, Map.of("X-API-Key", WRITER_KEY,
                "Content-Type", type), body, false), method + " " + id + part + " " + shown(body));
    }

    @Property(tries = 6000, shrinking = ShrinkingMode.BOUNDED)
    void thingIdsAndPathsAreAnsweredBelow500(@ForAll("methods") String method, @ForAll("thingIds") String id,
            @ForAll("parts") String part, @ForAll boolean raw) throws IOException {
        String target = "/api/v1/things/" + BadInputs.target(id + part, raw && id.length() < 100);
        String type = method.equals("PATCH") ? ThingWriteRoute.MERGE_PATCH : "application/json";
        byte[] body = method.equals("PUT") || method.equals("PATCH") ? "{\"attributes\":{\"zone\":\"markt\"}}"
                .getBytes(StandardCharsets.UTF_8) : null;
        RawHttp.Response answer = send(method, target, Map.of("X-API-Key",
                method.equals("GET") || method.equals("HEAD") ? READER_KEY : WRITER_KEY, "Content-Type", type), body,
                false);
        if (method.equals("HEAD")) {
            // no body to hold the detail: the status and the type of what GET would answer
            assertThat(answer.status()).as("HEAD %s: %s", target, answer).isLessThan(500);
            if (answer.status() >= 400 && answer.header("API-Version") != null) {
                assertThat(answer.header("Content-Type")).as("HEAD %s", target).startsWith("application/problem+json");
            }
        } else {
            assertHandled(answer, method + " " + target);
        }
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.BOUNDED)
    void contentTypesAndPreconditionsAreAnsweredBelow500(@ForAll("writeMethods") String method,
            @ForAll("contentTypes") String type, @ForAll("preconditions") Map<String, String> conditions,
            @ForAll("jsonBodies") byte[] body, @ForAll boolean chunked) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(conditions);
        headers.put("X-API-Key", WRITER_KEY);
        if (type != null) {
            headers.put("Content-Type", type);
        }
        assertHandled(send(method, "/api/v1/things/nl.demo.safety:noise-2/attributes/x", headers, body, chunked),
                method + " Content-Type " + type + " " + conditions + " " + shown(body));
    }

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void bodiesAroundTheSizeLimitAreAnsweredBelow500(@ForAll("writeMethods") String method,
            @ForAll("sizesAroundTheLimit") int size, @ForAll boolean chunked, @ForAll boolean valid)
            throws IOException {
        String type = method.equals("PATCH") ? ThingWriteRoute.MERGE_PATCH : "application/json";
        byte[] body = sized(size, valid);
        RawHttp.Response answer = send(method, "/api/v1/things/nl.demo.safety:big-" + (size % 7) + "/attributes/blob",
                Map.of("X-API-Key", WRITER_KEY, "Content-Type", type), body, chunked);
        assertHandled(answer, method + " body of " + size + " bytes" + (chunked ? ", chunked" : ""));
        if (size > ThingWriteRoute.MAX_BODY_BYTES) {
            assertThat(answer.status()).as("%s: %s", size, answer).isEqualTo(413);
        }
    }

    @Property(tries = 4000, shrinking = ShrinkingMode.BOUNDED)
    void queryParametersOfReadsAreAnsweredBelow500(@ForAll("readTargets") String path,
            @ForAll("readParameters") Map<String, String> parameters) throws IOException {
        String target = path + query(parameters);
        assertHandled(send("GET", target, Map.of("X-API-Key", READER_KEY), null, false), "GET " + target);
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
    void historyQueriesAreAnsweredBelow500(@ForAll("historyTargets") String path,
            @ForAll("historyParameters") Map<String, String> parameters) throws IOException {
        String target = path + query(parameters);
        assertHandled(send("GET", target, Map.of("X-API-Key", READER_KEY), null, false), "GET " + target);
    }

    @Property(tries = 4000, shrinking = ShrinkingMode.BOUNDED)
    void eventStreamFiltersAreAnsweredBelow500(@ForAll("eventParameters") List<Map.Entry<String, String>> parameters,
            @ForAll("lastEventIds") String lastEventId) throws IOException {
        StringBuilder target = new StringBuilder("/api/v1/events");
        for (Map.Entry<String, String> parameter : parameters) {
            target.append(target.indexOf("?") < 0 ? '?' : '&').append(BadInputs.encode(parameter.getKey()))
                    .append('=').append(BadInputs.encode(parameter.getValue()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-API-Key", READER_KEY);
        headers.put("Accept", "text/event-stream");
        if (lastEventId != null) {
            headers.put("Last-Event-ID", lastEventId);
        }
        RawHttp.Response answer = send("GET", target.toString(), headers, null, false);
        assertHandled(answer, "GET " + target + " Last-Event-ID " + lastEventId);
        if (answer.status() == 200) {
            assertThat(answer.header("Content-Type")).startsWith("text/event-stream");
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> writeMethods() {
        return Arbitraries.of("PUT", "PATCH");
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "GET", "HEAD", "PUT", "PATCH", "DELETE", "POST", "OPTIONS", "TRACE", "FOO");
    }

    @Provide
    Arbitrary<String> knownThings() {
        return Arbitraries.of("nl.demo.safety:noise-1", "nl.demo.lighting:lamp-1", "nl.demo.safety:fuzz-new");
    }

    @Provide
    Arbitrary<String> writeParts() {
        return Arbitraries.of("", "/attributes", "/attributes/zone", "/attributes/location", "/features",
                "/features/noise", "/features/noise/properties", "/features/noise/properties/laeq",
                "/features/noise/definition", "/features/noise/desiredProperties", "/definition", "/policyId",
                "/thingId", "/_revision", "/x");
    }

    @Provide
    Arbitrary<byte[]> jsonBodies() {
        return BadInputs.jsonBodies();
    }

    @Provide
    Arbitrary<String> thingIds() {
        return BadInputs.thingIds();
    }

    @Provide
    Arbitrary<String> parts() {
        return BadInputs.parts();
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of("application/json", "application/merge-patch+json",
                        "application/json; charset=utf-8", "APPLICATION/JSON", "application/json;charset=latin1",
                        "application/merge-patch+json; charset=UTF-16", "application/json; charset=\"",
                        "application/problem+json", "text/plain", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/xml", "application/json-patch+json",
                        "*/*", "", " ", ";", "application/", "/json", "application/json;;;", "application/json,text/plain",
                        "application/json; charset=utf-8; charset=latin1", "a".repeat(2000))),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ascii().ofMaxLength(40)
                        .map(s -> s.replace('\r', ' ').replace('\n', ' '))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
    }

    @Provide
    Arbitrary<Map<String, String>> preconditions() {
        Arbitrary<String> tags = Arbitraries.of("*", "\"1\"", "\"2\"", "1", "\"\"", "\"-1\"", "W/\"1\"",
                "\"99999999999999999999\"", "\"1\", \"2\"", "", " ", "\"a\"", "'; DROP TABLE things; --");
        return Arbitraries.oneOf(Arbitraries.just(Map.of()), tags.map(tag -> Map.of("If-Match", tag)),
                tags.map(tag -> Map.of("If-None-Match", tag)),
                tags.map(tag -> Map.of("If-Match", tag, "If-None-Match", "*")));
    }

    @Provide
    Arbitrary<Integer> sizesAroundTheLimit() {
        int limit = ThingWriteRoute.MAX_BODY_BYTES;
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(limit - 8, limit + 8)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(limit - 8192, limit + 8192, 2 * limit, 4 * limit)));
    }

    @Provide
    Arbitrary<String> readTargets() {
        return Arbitraries.of("/api/v1/things", "/api/v1/things/", "/api/v1/things/nl.demo.safety:noise-1",
                "/api/v1/things/nl.demo.safety:noise-1/features", "/api/v1/things/nl.demo.safety:missing",
                "/api/v1/things/nl.demo.safety:noise-1/attributes/location");
    }

    @Provide
    Arbitrary<Map<String, String>> readParameters() {
        Arbitrary<String> names = Arbitraries.of("fields", "limit", "offset", "filter", "", "fields[]", "$where");
        Arbitrary<String> values = Arbitraries.oneOf(BadInputs.fields(), BadInputs.numbers(), BadInputs.injections());
        return Arbitraries.maps(names, values).ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> historyTargets() {
        Arbitrary<String> things = Arbitraries.oneOf(Arbitraries.of("nl.demo.safety:noise-1", "nl.demo.safety:missing"),
                BadInputs.thingIds());
        Arbitrary<String> features = Arbitraries.oneOf(Arbitraries.of("noise", "missing", "no%20ise"),
                BadInputs.thingIds());
        Arbitrary<String> properties = Arbitraries.oneOf(Arbitraries.of("laeq", "units/laeq", "state", "x/y/z",
                "~0~1", "%7E", "laeq;x"), BadInputs.parts().map(part -> "laeq" + part));
        return net.jqwik.api.Combinators.combine(things, features, properties).as((thing, feature, property) ->
                "/api/v1/things/" + BadInputs.target(thing, false) + "/features/" + BadInputs.target(feature, false)
                        + "/properties/" + BadInputs.target(property, false) + "/history");
    }

    @Provide
    Arbitrary<Map<String, String>> historyParameters() {
        return net.jqwik.api.Combinators.combine(BadInputs.times().injectNull(0.3), BadInputs.times().injectNull(0.3),
                BadInputs.steps().injectNull(0.4), BadInputs.numbers().injectNull(0.5)).as((from, to, step, limit) -> {
                    Map<String, String> parameters = new LinkedHashMap<>();
                    put(parameters, "from", from);
                    put(parameters, "to", to);
                    put(parameters, "step", step);
                    put(parameters, "limit", limit);
                    return parameters;
                });
    }

    @Provide
    Arbitrary<List<Map.Entry<String, String>>> eventParameters() {
        Arbitrary<String> names = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("thing", "namespace", "domain", "zone", "since")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("things", "", "Thing", "filter", "$where", "zone[]")));
        Arbitrary<String> values = Arbitraries.oneOf(BadInputs.thingIds(), BadInputs.injections(),
                BadInputs.numbers(), Arbitraries.of("nl.demo.safety", "safety", "stratumseind", "nl.demo.safety:noise-1",
                        "nl", "a-b_c", "1abc", "nl.demo.safety.", "NL.Demo"));
        return net.jqwik.api.Combinators.combine(names, values).as(Map::entry).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> lastEventIds() {
        return Arbitraries.oneOf(BadInputs.numbers(), Arbitraries.just(null), Arbitraries.just(null));
    }

    // ---- helpers ----

    private static void put(Map<String, String> parameters, String name, String value) {
        if (value != null) {
            parameters.put(name, value);
        }
    }

    private static String query(Map<String, String> parameters) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            query.append(query.length() == 0 ? '?' : '&').append(BadInputs.encode(parameter.getKey())).append('=')
                    .append(BadInputs.encode(parameter.getValue()));
        }
        return query.toString();
    }

    /** A body of exactly {@code size} bytes: an attribute value of 'a's, or the same cut short (invalid). */
    private static byte[] sized(int size, boolean valid) {
        String json = "\"" + "a".repeat(Math.max(0, size - 2)) + "\"";
        return (valid ? json : json.substring(0, json.length() - 1) + "{").getBytes(StandardCharsets.US_ASCII);
    }

    private static RawHttp.Response send(String method, String target, Map<String, String> headers, byte[] body,
            boolean chunked) throws IOException {
        return RawHttp.exchange(port, method, target, headers, body, chunked, TIMEOUT);
    }

    /**
     * Below 500; a 4xx of the API is a problem document with a detail; a 4xx of the container (no API-Version: the
     * request never reached a servlet) is one of the container's refusals of a malformed request.
     */
    static void assertHandled(RawHttp.Response answer, String request) {
        // shown with -Djqwik.reporting.onlyfailures=false: how much of the input reached the API
        Statistics.collect(answer.status(), answer.header("API-Version") == null ? "container" : "api");
        assertThat(answer.status()).as("%s%n  answered %s", RawHttp.abbreviate(request), answer).isLessThan(500);
        if (answer.status() < 400) {
            return;
        }
        if (answer.header("API-Version") == null) {
            assertThat(answer.status()).as("%s%n  refused by the container: %s", RawHttp.abbreviate(request), answer)
                    .isIn(400, 404, 405, 414, 431);
            return;
        }
        assertThat(answer.problemDetail()).as("%s%n  answered %s", RawHttp.abbreviate(request), answer)
                .isNotBlank();
    }

    private static String shown(byte[] body) {
        return body == null ? "" : RawHttp.abbreviate(new String(body, StandardCharsets.UTF_8));
    }
}
