package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jakarta.servlet.DispatcherType;
import nl.lantaarn.audit.internal.FileAuditTrail;
import nl.lantaarn.audit.internal.TrailVerifier;
import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The rate limit, the request audit on the real audit trail and GET /api/v1/audit in a real Jetty, with the filters mapped as the whiteboard maps them (the
 * security headers first, then the gate) in front of the real API and webhook servlets. The buckets refill by a clock
 * the test moves, so nothing here depends on how fast the machine is; each test gets a new server, gate and audit.
 */
class RateLimitAndAuditTest {

    private static final long SECOND = 1_000_000_000L;
    private static final String READER_KEY = "reader-key-0123456789";
    private static final String OTHER_KEY = "other-reader-key-0123456789";
    private static final String TIGHT_KEY = "tight-key-0123456789";
    private static final String OPERATOR_KEY = "operator-key-0123456789";
    private static final String WRITER_KEY = "writer-key-0123456789";
    private static final String ADMIN_KEY = "admin-key-0123456789";
    private static final List<String> KEYS = List.of(READER_KEY, OTHER_KEY, TIGHT_KEY, OPERATOR_KEY, WRITER_KEY,
            ADMIN_KEY);

    @TempDir
    static Path shared;
    private static TwinServiceComponent twin;
    private static FileDeadLetterService letters;

    @TempDir
    Path home;
    private final AtomicLong clock = new AtomicLong(7 * SECOND);
    private ApiKeyAuthenticator authenticator;
    private FileAuditTrail trail;
    private ApiGateFilter gate;
    private ApiServlet servlet;
    private Server server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTwin() {
        twin = new TwinServiceComponent(new MemoryTwinStore());
        letters = new FileDeadLetterService(shared.resolve("data/dead-letters"), 100);
    }

    @AfterAll
    static void stopTwin() {
        twin.deactivate();
        letters.close();
    }

    @BeforeEach
    void start() throws Exception {
        // "tight" has a limit of its own in its client file; the others the default of this test
        ClientFile tight = TestClients.client("tight", "reader", TIGHT_KEY, "1", "3");
        authenticator = TestClients.authenticator(TestClients.client("reader-a", "reader", READER_KEY),
                TestClients.client("reader-b", "reader", OTHER_KEY), tight,
                TestClients.client("ops", "operator", OPERATOR_KEY), TestClients.client("feeder", "writer", WRITER_KEY),
                TestClients.client("privacy-officer", "admin", ADMIN_KEY));
        trail = new FileAuditTrail(home.resolve("data/audit"), 0, 1000);
        gate = new ApiGateFilter(authenticator, trail, clock::get);
        gate.limits(new RateLimit(1000, 1000), new RateLimit(2, 3), 100);
        gate.addClientFile(tight);
        servlet = new ApiServlet(twin, letters, authenticator, new AdapterFiles(home, symbolicName -> List.of()));
        servlet.addContributor(trail);
        servlet.setAuditLog(trail);
        servlet.addMetricsSource(new AuditMetrics(trail));
        servlet.addMetricsSource(gate);

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(new ApiHeadersFilter()), "/api/v1/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder gateHolder = new FilterHolder(gate);
        gateHolder.setName("gate");
        FilterMapping mapping = new FilterMapping();
        mapping.setFilterName("gate");
        mapping.setPathSpecs(new String[] {"/api/v1/*", "/ingest/*"});
        mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
        context.getServletHandler().addFilter(gateHolder, mapping);
        context.addServlet(new ServletHolder(servlet), "/api/v1/*");
        context.addServlet(new ServletHolder(new IngestServlet(authenticator, 1024, Duration.ofMillis(300))),
                "/ingest/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        trail.close();
    }

    private HttpResponse<String> send(String method, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        // a new client after a refusal with a body: the server closes that connection
        HttpClient client = method.equals("GET") ? http : HttpClient.newHttpClient();
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return send("GET", path, key);
    }

    private static String detail(HttpResponse<String> response) {
        return JsonObject.of(response.body()).getValue("detail").map(JsonValue::asString).orElseThrow();
    }

    private static void assertTooManyRequests(HttpResponse<String> response, String retryAfter) {
        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains(retryAfter);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("API-Version")).contains(ApiServlet.API_VERSION);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonObject problem = JsonObject.of(response.body());
        assertThat(problem.getValue("status")).contains(JsonValue.of(429));
        assertThat(problem.getValue("title")).contains(JsonValue.of("Too many requests"));
    }

    @Test
    void aClientOverItsBurstGets429WithRetryAfterAndOthersAreNotAffected() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/v1/things", TIGHT_KEY).statusCode()).as("request %d of the burst", i + 1)
                    .isEqualTo(200);
        }
        HttpResponse<String> refused = get("/api/v1/things", TIGHT_KEY);
        assertTooManyRequests(refused, "1");
        assertThat(detail(refused)).contains("API client 'tight'")
                .contains("1 request per second (bursts of up to 3)").contains("Retry after 1 s")
                .contains("etc/nl.lantaarn.http.client-tight.cfg");
        // the default of the other clients is theirs, and their buckets are their own
        for (int i = 0; i < 10; i++) {
            assertThat(get("/api/v1/things", READER_KEY).statusCode()).isEqualTo(200);
        }
        assertThat(get("/api/v1/things", OTHER_KEY).statusCode()).isEqualTo(200);
        // still refused: the clock has not moved
        assertTooManyRequests(get("/api/v1/things/nl.demo:x", TIGHT_KEY), "1");
        assertThat(gate.limited("tight")).isEqualTo(2);

        HttpResponse<String> metrics = get("/api/v1/metrics", OPERATOR_KEY);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("lantaarn_api_rate_limited_total{client=\"tight\"} 2\n")
                .contains("# TYPE lantaarn_audit_records_written_total counter\n")
                .contains("lantaarn_audit_records_lost_total 0\n");
    }

    @Test
    void theBucketRefillsAtTheClientsRate() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/v1/things", TIGHT_KEY).statusCode()).isEqualTo(200);
        }
        assertTooManyRequests(get("/api/v1/things", TIGHT_KEY), "1");
        clock.addAndGet(SECOND / 2);
        // half a token: Retry-After is rounded up to whole seconds
        assertTooManyRequests(get("/api/v1/things", TIGHT_KEY), "1");
        clock.addAndGet(SECOND / 2);
        assertThat(get("/api/v1/things", TIGHT_KEY).statusCode()).isEqualTo(200);
        assertTooManyRequests(get("/api/v1/things", TIGHT_KEY), "1");
        // a long pause fills the bucket, but never beyond the burst
        clock.addAndGet(60 * SECOND);
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/v1/things", TIGHT_KEY).statusCode()).isEqualTo(200);
        }
        assertTooManyRequests(get("/api/v1/things", TIGHT_KEY), "1");
    }

    @Test
    void requestsWithoutAKnownKeyShareTheLimitOfTheirAddress() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/v1/health", null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = get("/api/v1/health", null);
        assertTooManyRequests(refused, "1");
        assertThat(detail(refused)).contains("without a known API key").contains("2 requests per second")
                .contains("127.0.0.1").contains("send an API key");
        // a key the hub does not know counts as no key: guessing keys is limited too
        assertTooManyRequests(get("/api/v1/things", "guessed-key"), "1");
        // a client with a key has its own bucket
        assertThat(get("/api/v1/things", READER_KEY).statusCode()).isEqualTo(200);
        assertThat(gate.limited(ApiGateFilter.ANONYMOUS)).isEqualTo(2);
        clock.addAndGet(SECOND);
        assertThat(get("/api/v1/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyRequestIsAuditedOnTheTrailWithClientPurposeResourceAndResultButNoKey() throws Exception {
        assertThat(get("/api/v1/things?limit=5&token=secret-in-the-query", READER_KEY).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/things", null).statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/api/v1/things/nl.demo.safety:noise-1", READER_KEY).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/ingest/sound/events", WRITER_KEY).statusCode()).isEqualTo(503);
        for (int i = 0; i < 3; i++) {
            get("/api/v1/things", TIGHT_KEY);
        }
        assertThat(get("/api/v1/things", TIGHT_KEY).statusCode()).isEqualTo(429);
        // health and the contract are audited only when refused
        assertThat(get("/api/v1/health", null).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/openapi.json", null).statusCode()).isEqualTo(200);
        clock.addAndGet(SECOND);
        // a read of health that is refused is audited: two tokens came back in the second, two requests are over
        for (int i = 0; i < 4; i++) {
            get("/api/v1/health", null);
        }

        List<JsonObject> entries = chronological(awaitEntries(10, ""));
        assertThat(entries).hasSize(10);
        JsonObject ok = entries.get(0);
        assertEntry(ok, "reader-a", "tests of reader-a", "GET /api/v1/things", "", "200");
        assertThat(ok.getValue("kind")).contains(JsonValue.of("api-access"));
        assertThat(ok.getValue("sequence")).contains(JsonValue.of(1));
        Instant time = Instant.parse(ok.getValue("time").orElseThrow().asString());
        assertThat(LocalDate.ofInstant(time, ZoneOffset.UTC)).isIn(LocalDate.now(ZoneOffset.UTC),
                LocalDate.now(ZoneOffset.UTC).minusDays(1));

        assertEntry(entries.get(1), "anonymous", "", "GET /api/v1/things", "", "401");
        assertEntry(entries.get(2), "reader-a", "tests of reader-a", "PUT /api/v1/things/nl.demo.safety:noise-1",
                "nl.demo.safety:noise-1", "403");
        assertEntry(entries.get(3), "feeder", "tests of feeder", "POST /ingest/sound/events", "", "503");
        for (int i = 4; i < 7; i++) {
            assertEntry(entries.get(i), "tight", "tests of tight", "GET /api/v1/things", "", "200");
        }
        assertEntry(entries.get(7), "tight", "tests of tight", "GET /api/v1/things", "", "429");
        assertEntry(entries.get(8), "anonymous", "", "GET /api/v1/health", "", "429");
        assertEntry(entries.get(9), "anonymous", "", "GET /api/v1/health", "", "429");

        String text = trailText();
        for (String key : KEYS) {
            assertThat(text).doesNotContain(key);
        }
        assertThat(text).doesNotContain("secret-in-the-query").doesNotContain("Bearer").doesNotContain("?");
        assertThat(TrailVerifier.verify(trail.directory()).problem()).isEmpty();
        assertThat(trail.health().status()).isEqualTo(ComponentHealth.Status.UP);
    }

    @Test
    void theAuditTrailIsReadByTimeActorThingAndKindInPages() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        assertThat(get("/api/v1/things", READER_KEY).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/things/nl.demo.safety:noise-1", READER_KEY).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/things/nl.demo.safety:noise-2", OTHER_KEY).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/things/nl.demo.safety:noise-1", OTHER_KEY).statusCode()).isEqualTo(404);
        awaitEntries(4, "");

        HttpResponse<String> first = get("/api/v1/audit?actor=reader-b&limit=1&kind=api-access", ADMIN_KEY);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(first.headers().firstValue("API-Version")).contains(ApiServlet.API_VERSION);
        JsonObject page = JsonObject.of(first.body());
        assertThat(entries(page)).singleElement().satisfies(entry -> assertEntry(entry, "reader-b",
                "tests of reader-b", "GET /api/v1/things/nl.demo.safety:noise-1", "nl.demo.safety:noise-1", "404"));
        String next = page.getValue("next").map(JsonValue::asString).orElseThrow();
        assertThat(next).startsWith("/api/v1/audit?").contains("actor=reader-b").contains("cursor=4");
        assertThat(first.headers().firstValue("Link")).contains("<" + next + ">; rel=\"next\"");
        JsonObject second = JsonObject.of(get(next, ADMIN_KEY).body());
        assertThat(entries(second)).singleElement().satisfies(entry -> assertThat(entry.getValue("thingId"))
                .contains(JsonValue.of("nl.demo.safety:noise-2")));
        assertThat(second.getValue("next")).isEmpty();

        JsonObject byThing = JsonObject.of(get("/api/v1/audit?thing=nl.demo.safety:noise-1", ADMIN_KEY).body());
        assertThat(entries(byThing)).extracting(entry -> entry.getValue("actor").orElseThrow().asString())
                .containsExactly("reader-b", "reader-a");
        String from = URLEncoder.encode(before.toString(), StandardCharsets.UTF_8);
        String to = URLEncoder.encode(Instant.now().plusSeconds(60).toString(), StandardCharsets.UTF_8);
        assertThat(entries(JsonObject.of(get("/api/v1/audit?from=" + from + "&to=" + to + "&purpose=READER-A",
                ADMIN_KEY).body()))).hasSize(2);
        assertThat(entries(JsonObject.of(get("/api/v1/audit?to=" + from, ADMIN_KEY).body()))).isEmpty();
        assertThat(entries(JsonObject.of(get("/api/v1/audit?kind=erasure,configuration-change", ADMIN_KEY)
                .body()))).isEmpty();
    }

    @Test
    void badAuditQueriesAreProblemsNamingTheParameter() throws Exception {
        assertBadAuditQuery("limit=0", "'limit' must be a whole number from 1 to 1000");
        assertBadAuditQuery("limit=1001", "'limit'");
        assertBadAuditQuery("kind=everything", "'kind' must be one of api-access, purpose-refused");
        assertBadAuditQuery("from=yesterday", "'from' must be an ISO-8601 time");
        assertBadAuditQuery("from=2026-11-24T10:00:00Z&to=2026-11-24T09:00:00Z", "'from' (2026-11-24T10:00:00Z) "
                + "must be before 'to'");
        assertBadAuditQuery("cursor=abc", "'cursor' must be the 'next' cursor");
        assertBadAuditQuery("cursor=0", "'cursor'");
        assertBadAuditQuery("client=reader-a", "Unknown query parameter 'client'");
        assertBadAuditQuery("actor=a&actor=b", "'actor' may be given once");

        HttpResponse<String> reader = get("/api/v1/audit", READER_KEY);
        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(detail(reader)).contains("admin");
        HttpResponse<String> operator = get("/api/v1/audit", OPERATOR_KEY);
        assertThat(operator.statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/audit", null).statusCode()).isEqualTo(401);
        HttpResponse<String> post = send("POST", "/api/v1/audit", ADMIN_KEY);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");

        servlet.unsetAuditLog(trail);
        HttpResponse<String> without = get("/api/v1/audit", ADMIN_KEY);
        assertThat(without.statusCode()).isEqualTo(503);
        assertThat(detail(without)).contains("nl.lantaarn.audit");
    }

    private void assertBadAuditQuery(String query, String expected) throws Exception {
        HttpResponse<String> response = get("/api/v1/audit?" + query, ADMIN_KEY);
        assertThat(response.statusCode()).as(query).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(detail(response)).as(query).contains(expected);
    }

    private static void assertEntry(JsonObject entry, String actor, String purpose, String resource, String thing,
            String outcome) {
        assertThat(entry.getValue("actor")).as("%s", entry).contains(JsonValue.of(actor));
        assertThat(entry.getValue("purpose")).as("%s", entry).contains(JsonValue.of(purpose));
        assertThat(entry.getValue("resource")).as("%s", entry).contains(JsonValue.of(resource));
        assertThat(entry.getValue("thingId")).as("%s", entry).contains(JsonValue.of(thing));
        assertThat(entry.getValue("outcome")).as("%s", entry).contains(JsonValue.of(outcome));
        assertThat(entry.getValue("detail")).as("%s", entry).contains(JsonValue.of("from 127.0.0.1"));
    }

    private static List<JsonObject> entries(JsonObject page) {
        List<JsonObject> entries = new ArrayList<>();
        page.getValue("entries").orElseThrow().asArray().forEach(value -> entries.add(value.asObject()));
        return entries;
    }

    private static List<JsonObject> chronological(List<JsonObject> newestFirst) {
        List<JsonObject> entries = new ArrayList<>(newestFirst);
        Collections.reverse(entries);
        return entries;
    }

    /** The entries GET /api/v1/audit answers once the trail has written {@code count} (the writer is a thread). */
    private List<JsonObject> awaitEntries(int count, String query) throws Exception {
        await().until(() -> trail.statistics().written() >= count);
        HttpResponse<String> response = get("/api/v1/audit?limit=1000" + query, ADMIN_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return entries(JsonObject.of(response.body()));
    }

    private String trailText() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(trail.directory())) {
            for (Path file : files.sorted().toList()) {
                assertThat(file.getFileName().toString()).matches("audit-\\d{4}-\\d{2}-\\d{2}\\.jsonl");
                text.append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }
}
