package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.history.api.HistoryBucket;
import nl.lantaarn.history.api.HistoryPoint;
import nl.lantaarn.history.api.HistoryQuery;
import nl.lantaarn.history.api.HistoryQueryException;
import nl.lantaarn.history.api.HistoryResult;
import nl.lantaarn.history.api.HistoryService;
import nl.lantaarn.history.api.HistoryUnavailableException;
import nl.lantaarn.history.api.Step;
import nl.lantaarn.twin.api.TwinService;

/** The servlet in a real Jetty on a free port, spoken to over real HTTP. */
class ApiServletTest {

    private static final Map<ThingId, Thing> THINGS = new TreeMap<>(Comparator.comparing(ThingId::toString));
    private static final TwinService TWIN = readOnlyTwin();
    private static final DeadLetter LETTER = new DeadLetter("d-1", "demo-noise", "sim/noise/n-9", "field 'laeq' is missing",
            Instant.parse("2026-11-23T21:14:05Z"), "{\"id\":\"n-9\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    private static final FakeHistory HISTORY = new FakeHistory();
    @TempDir
    static Path home;
    private static FileDeadLetterService letters;
    private static ApiServlet servlet;
    private static Server server;
    private static String base;
    /**
     * A client per request: the server closes a connection after refusing a request whose body it did not read,
     * and the JDK client, which retries only idempotent requests, could pick a pooled connection in that moment.
     */
    private static HttpClient client() {
        return HttpClient.newHttpClient();
    }

    @BeforeAll
    static void start() throws Exception {
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 100);
        letters.record(LETTER.source(), LETTER.origin(), LETTER.reason(), LETTER.payload(), LETTER.receivedAt());
        servlet = new ApiServlet(TWIN, letters, TestClients.authenticator(TestClients.client("dashboard", "reader", READER_KEY)),
                new AdapterFiles(home, symbolicName -> List.of()));
        servlet.setHistory(HISTORY);
        servlet.addContributor(contributor("twin", ComponentHealth.up("2 things")));
        servlet.addContributor(contributor("mqtt-broker", ComponentHealth.down("port 1883 is already in use")));
        for (String name : List.of("n-1", "n-2")) {
            ThingId id = ThingId.of("nl.demo.safety", "noise-" + name);
            THINGS.put(id, ThingsModelFactory.newThing(JsonObject.of("{\"thingId\":\"" + id
                    + "\",\"features\":{\"noise\":{\"properties\":{\"laeq\":71.5}}}}")).toBuilder().setRevision(1).build());
        }
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/api/v1/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/api/v1";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        letters.close();
    }

    /**
     * The read side of a twin over {@link #THINGS}, whatever else the twin service offers: the servlet only reads, and
     * this test stays independent of the twin's implementation.
     */
    private static TwinService readOnlyTwin() {
        return (TwinService) Proxy.newProxyInstance(ApiServletTest.class.getClassLoader(),
                new Class<?>[] {TwinService.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "retrieve" -> Optional.ofNullable(THINGS.get((ThingId) args[0]));
                    case "list" -> new ArrayList<>(THINGS.values());
                    case "size" -> THINGS.size();
                    case "toString" -> "read-only twin";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName() + " in a read-only test twin");
                });
    }

    private static HealthContributor contributor(String name, ComponentHealth health) {
        return new HealthContributor() {
            @Override
            public String component() {
                return name;
            }

            @Override
            public ComponentHealth health() {
                return health;
            }
        };
    }

    private static final String READER_KEY = "reader-key-0123456789";

    /** GET as a client with role reader. */
    private static HttpResponse<String> get(String path) throws Exception {
        return client().send(HttpRequest.newBuilder(URI.create(base + path)).header("X-API-Key", READER_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> anonymous(String path) throws Exception {
        return client().send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsAndGetsThings() throws Exception {
        HttpResponse<String> list = get("/things");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("API-Version")).contains(ApiServlet.API_VERSION);
        assertThat(list.headers().firstValue("X-Total-Count")).contains("2");
        JsonArray things = JsonArray.of(list.body());
        assertThat(things.getSize()).isEqualTo(2);
        assertThat(things.get(0).orElseThrow().asObject().getValue("thingId").orElseThrow().asString())
                .isEqualTo("nl.demo.safety:noise-n-1");

        HttpResponse<String> one = get("/things/nl.demo.safety:noise-n-2");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.headers().firstValue("ETag")).contains("\"1\"");
        assertThat(JsonObject.of(one.body()).getValue("features/noise/properties/laeq").orElseThrow().asDouble())
                .isEqualTo(71.5);
        assertThat(JsonArray.of(get("/things?limit=1&offset=1").body()).getSize()).isEqualTo(1);
    }

    @Test
    void errorsAreProblemDocumentsThatSayWhatToFix() throws Exception {
        HttpResponse<String> missing = get("/things/nl.demo.safety:noise-n-404");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(JsonObject.of(missing.body()).getValue("detail").orElseThrow().asString())
                .contains("nl.demo.safety:noise-n-404").contains("GET /api/v1/things");

        assertThat(get("/things/not-an-id").statusCode()).isEqualTo(400);
        HttpResponse<String> badLimit = get("/things?limit=0");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("'limit' must be a whole number from 1 to 1000");
        HttpResponse<String> post = client().send(HttpRequest.newBuilder(URI.create(base + "/things"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void healthReportsEachComponentAnd503WhenOneIsDown() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonObject body = JsonObject.of(health.body());
        assertThat(body.getValue("status").orElseThrow().asString()).isEqualTo("DOWN");
        assertThat(body.getValue("components/mqtt-broker/detail").orElseThrow().asString())
                .isEqualTo("port 1883 is already in use");
        assertThat(body.getValue("components/twin/status").orElseThrow().asString()).isEqualTo("UP");
    }

    @Test
    void deadLettersAreNotReadAnonymouslyNorByAReader() throws Exception {
        // their payloads may hold personal data; AdminApiTest reads them with an operator's key
        HttpResponse<String> letters = anonymous("/dead-letters?source=demo-noise");
        assertThat(letters.statusCode()).isEqualTo(401);
        assertThat(letters.body()).doesNotContain("n-9").contains("API key");
        HttpResponse<String> byReader = get("/dead-letters?source=demo-noise");
        assertThat(byReader.statusCode()).isEqualTo(403);
        assertThat(byReader.body()).doesNotContain("n-9").contains("role operator").contains("'dashboard' has role reader");
    }

    @Test
    void readsNeedAKeyButHealthIsOpen() throws Exception {
        for (String path : List.of("/things", "/things/nl.demo.safety:noise-n-1",
                "/things/nl.demo.safety:noise-n-1/features/noise/properties/laeq/history", "/nothing-here")) {
            HttpResponse<String> response = anonymous(path);
            assertThat(response.statusCode()).as("anonymous GET %s: %s", path, response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Bearer"));
            assertThat(JsonObject.of(response.body()).getValue("detail").orElseThrow().asString())
                    .contains("needs an API key").contains("./lantaarn clients add <name> --role <role>");
        }
        assertThat(anonymous("/health").statusCode()).isEqualTo(503);
        assertThat(get("/things").statusCode()).isEqualTo(200);
    }

    /** A history service that answers as the test says and remembers the last query. */
    private static final class FakeHistory implements HistoryService {
        final AtomicReference<HistoryQuery> last = new AtomicReference<>();
        volatile Function<HistoryQuery, HistoryResult> answer = query -> HistoryResult.points(query, List.of(), null);

        @Override
        public HistoryResult query(HistoryQuery query) {
            last.set(query);
            return answer.apply(query);
        }
    }

    private static final String HISTORY_PATH = "/things/nl.demo.safety:noise-n-1/features/noise/properties/laeq/history";
    private static final Instant T0 = Instant.parse("2026-11-23T21:00:00Z");

    @Test
    void historyAnswersPointsOfTheRangeWithDefaultsOfTheLast24Hours() throws Exception {
        HISTORY.answer = query -> HistoryResult.points(query, List.of(new HistoryPoint(T0, JsonValue.of(71.5)),
                new HistoryPoint(T0.plusSeconds(60), JsonValue.of("overload"))), null);

        HttpResponse<String> response = get(HISTORY_PATH + "?from=2026-11-23T21:00:00Z&to=2026-11-23T22:00:00Z");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat((Object) JsonObject.of(response.body())).isEqualTo(JsonObject.of("{\"thingId\":\"nl.demo.safety:noise-n-1\","
                + "\"feature\":\"noise\",\"property\":\"laeq\",\"from\":\"2026-11-23T21:00:00Z\","
                + "\"to\":\"2026-11-23T22:00:00Z\",\"points\":[{\"t\":\"2026-11-23T21:00:00Z\",\"v\":71.5},"
                + "{\"t\":\"2026-11-23T21:01:00Z\",\"v\":\"overload\"}]}"));
        HistoryQuery asked = HISTORY.last.get();
        assertThat((Object) asked.property()).isEqualTo(JsonPointer.of("/laeq"));
        assertThat(asked.step()).isEmpty();
        assertThat(asked.limit()).isEqualTo(HistoryQuery.DEFAULT_LIMIT);

        // defaults: to = now, from = 24 hours before; a nested property path; an offset written with an unencoded '+'
        Instant before = Instant.now();
        assertThat(get("/things/nl.demo.safety:noise-n-1/features/noise/properties/units/laeq/history").statusCode())
                .isEqualTo(200);
        asked = HISTORY.last.get();
        assertThat((Object) asked.property()).isEqualTo(JsonPointer.of("/units/laeq"));
        assertThat(asked.to()).isBetween(before, Instant.now());
        assertThat(Duration.between(asked.from(), asked.to())).isEqualTo(Duration.ofHours(24));
        assertThat(get(HISTORY_PATH + "?from=2026-11-23T22:00:00+01:00").statusCode()).isEqualTo(200);
        assertThat(HISTORY.last.get().from()).isEqualTo(T0);
    }

    @Test
    void historyAggregatesPerStepAndLinksTheNextPage() throws Exception {
        HISTORY.answer = query -> HistoryResult.buckets(query, T0, T0.plus(Duration.ofHours(1)),
                List.of(new HistoryBucket(T0, 60.0, 80.0, 70.0, 3)), T0.plus(Duration.ofMinutes(15)));

        HttpResponse<String> response = get(HISTORY_PATH + "?from=2026-11-23T21:05:00Z&to=2026-11-23T22:00:00Z"
                + "&step=15m&limit=1");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject body = JsonObject.of(response.body());
        assertThat(body.getValue("step").orElseThrow().asString()).isEqualTo("15m");
        assertThat(body.getValue("from").orElseThrow().asString()).isEqualTo("2026-11-23T21:00:00Z");
        assertThat((Object) body.getValue("buckets").orElseThrow()).isEqualTo(JsonArray.of("[{\"start\":\"2026-11-23T21:00:00Z\","
                + "\"min\":60.0,\"max\":80.0,\"avg\":70.0,\"count\":3}]"));
        assertThat(body.contains("points")).isFalse();
        assertThat(body.getValue("next").orElseThrow().asString()).isEqualTo("2026-11-23T21:15:00Z");
        assertThat(response.headers().firstValue("Link")).contains("</api/v1" + HISTORY_PATH
                + "?from=2026-11-23T21%3A15%3A00Z&to=2026-11-23T22%3A00%3A00Z&step=15m&limit=1>; rel=\"next\"");
        assertThat(HISTORY.last.get().step()).contains(Step.FIFTEEN_MINUTES);
        assertThat(HISTORY.last.get().limit()).isEqualTo(1);
    }

    @Test
    void badHistoryParametersAre400sThatNameTheParameterAndWhatIsAllowed() throws Exception {
        assertProblem(get(HISTORY_PATH + "?step=5m"), 400, "'step' must be one of 1m, 15m, 1h, 1d, was '5m'");
        assertProblem(get(HISTORY_PATH + "?from=yesterday"), 400, "'from' must be an ISO-8601 time");
        assertProblem(get(HISTORY_PATH + "?to=2026-13-01T00:00:00Z"), 400, "'to' must be an ISO-8601 time");
        assertProblem(get(HISTORY_PATH + "?from=2026-11-23T22:00:00Z&to=2026-11-23T21:00:00Z"), 400,
                "'from' (2026-11-23T22:00:00Z) must be before 'to'");
        assertProblem(get(HISTORY_PATH + "?limit=0"), 400, "'limit' must be a whole number from 1 to 10000");
        assertProblem(get(HISTORY_PATH + "?limit=10001"), 400, "'limit' must be a whole number from 1 to 10000");
        assertProblem(get("/things/not-an-id/features/noise/properties/laeq/history"), 400, "is not a thing id");

        HISTORY.answer = query -> {
            throw new HistoryQueryException("step", "Property 'laeq' holds a value that is not a number; leave 'step' "
                    + "out to read the values.");
        };
        assertProblem(get(HISTORY_PATH + "?step=1h"), 400, "leave 'step' out");
    }

    /** Found by ApiFuzzTest: Instant parses years of a billion, and 24 hours before the earliest one was a 500. */
    @Test
    void historyTimesBeyondYear9999Are400s() throws Exception {
        assertProblem(get(HISTORY_PATH + "?to=-1000000000-01-01T23:59:59Z"), 400,
                "'to' must be a time from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z");
        assertProblem(get(HISTORY_PATH + "?from=%2B1000000000-12-31T23:59:59Z"), 400, "'from' must be a time from");
        assertThat(get(HISTORY_PATH + "?from=0000-01-01T00:00:00Z&to=9999-12-31T23:59:59Z").statusCode()).isEqualTo(200);
    }

    /** Found by ApiFuzzTest: a query string the container cannot decode was answered with its HTML error page. */
    @Test
    void anUndecodableQueryStringIsA400Problem() throws Exception {
        int port = URI.create(base).getPort();
        for (String target : List.of("/api/v1/things?%", "/api/v1/things?limit=%zz",
                "/api/v1/things/nl.demo.safety:noise-n-1?fields=%", "/api/v1" + HISTORY_PATH + "?from=%2")) {
            RawHttp.Response answer = RawHttp.exchange(port, "GET", target, Map.of("X-API-Key", READER_KEY), null,
                    false, Duration.ofSeconds(20));
            assertThat(answer.status()).as(target).isEqualTo(400);
            assertThat(answer.problemDetail()).as(target).contains("cannot be decoded").contains("as %25");
        }
    }

    @Test
    void historyOfAnUnknownThingIs404AndWithoutHistoryService503() throws Exception {
        assertProblem(get("/things/nl.demo.safety:noise-n-404/features/noise/properties/laeq/history"), 404,
                "No thing with id 'nl.demo.safety:noise-n-404'");

        HISTORY.answer = query -> {
            throw new HistoryUnavailableException("Cannot read the history store data/history/history.mv: closed");
        };
        assertProblem(get(HISTORY_PATH), 503, "Cannot read the history store");

        servlet.unsetHistory(HISTORY);
        try {
            assertProblem(get(HISTORY_PATH), 503, "history service is not running");
        } finally {
            servlet.setHistory(HISTORY);
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonObject problem = JsonObject.of(response.body());
        assertThat(problem.getValue("status").orElseThrow().asInt()).isEqualTo(status);
        assertThat(problem.getValue("detail").orElseThrow().asString()).contains(detail);
    }

    @Test
    void selectsFieldsDittoStyle() throws Exception {
        HttpResponse<String> one = get("/things/nl.demo.safety:noise-n-2?fields=thingId,features/noise/properties/laeq,_revision");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JsonObject.of(one.body())).isEqualTo(JsonObject.of(
                "{\"thingId\":\"nl.demo.safety:noise-n-2\",\"features\":{\"noise\":{\"properties\":{\"laeq\":71.5}}},\"_revision\":1}"));
        JsonArray list = JsonArray.of(get("/things?fields=thingId").body());
        assertThat(list.get(0).orElseThrow().asObject().getKeys()).extracting(Object::toString).containsExactly("thingId");
        HttpResponse<String> bad = get("/things?fields=features(noise");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("'fields' must be a comma-separated list of JSON pointers");
    }
}
