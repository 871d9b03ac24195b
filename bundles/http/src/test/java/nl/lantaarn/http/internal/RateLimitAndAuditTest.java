package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The rate limit and the request audit in a real Jetty, with the filters mapped as the whiteboard maps them (the
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
    private static final List<String> KEYS = List.of(READER_KEY, OTHER_KEY, TIGHT_KEY, OPERATOR_KEY, WRITER_KEY);

    @TempDir
    static Path shared;
    private static TwinServiceComponent twin;
    private static FileDeadLetterService letters;

    @TempDir
    Path home;
    private final AtomicLong clock = new AtomicLong(7 * SECOND);
    private ApiKeyAuthenticator authenticator;
    private AuditLog audit;
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
                TestClients.client("ops", "operator", OPERATOR_KEY), TestClients.client("feeder", "writer", WRITER_KEY));
        audit = new AuditLog(new AuditLog.Settings(home.resolve("data/audit"), 0, 1000), Clock.systemUTC());
        audit.start();
        gate = new ApiGateFilter(authenticator, audit, clock::get);
        gate.limits(new RateLimit(1000, 1000), new RateLimit(2, 3), 100);
        gate.addClientFile(tight);
        servlet = new ApiServlet(twin, letters, authenticator, new AdapterFiles(home, symbolicName -> List.of()));
        servlet.addContributor(audit);
        servlet.addMetricsSource(audit);
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
        audit.close();
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
        assertThat(gate.limited(AuditLog.ANONYMOUS)).isEqualTo(2);
        clock.addAndGet(SECOND);
        assertThat(get("/api/v1/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyRequestIsAuditedWithClientPurposeResourceAndResultButNoKey() throws Exception {
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

        List<JsonObject> records = awaitRecords(8);
        assertThat(records).hasSize(8);
        JsonObject ok = records.get(0);
        assertThat(ok.getValue("client")).contains(JsonValue.of("reader-a"));
        assertThat(ok.getValue("purpose")).contains(JsonValue.of("tests of reader-a"));
        assertThat(ok.getValue("method")).contains(JsonValue.of("GET"));
        assertThat(ok.getValue("resource")).contains(JsonValue.of("/api/v1/things"));
        assertThat(ok.getValue("status")).contains(JsonValue.of(200));
        assertThat(ok.getValue("remoteAddress")).contains(JsonValue.of("127.0.0.1"));
        Instant time = Instant.parse(ok.getValue("time").orElseThrow().asString());
        assertThat(LocalDate.ofInstant(time, ZoneOffset.UTC)).isIn(LocalDate.now(ZoneOffset.UTC),
                LocalDate.now(ZoneOffset.UTC).minusDays(1));

        assertRecord(records.get(1), "anonymous", null, "GET", "/api/v1/things", 401);
        assertRecord(records.get(2), "reader-a", "tests of reader-a", "PUT", "/api/v1/things/nl.demo.safety:noise-1",
                403);
        assertRecord(records.get(3), "feeder", "tests of feeder", "POST", "/ingest/sound/events", 503);
        for (int i = 4; i < 7; i++) {
            assertRecord(records.get(i), "tight", "tests of tight", "GET", "/api/v1/things", 200);
        }
        assertRecord(records.get(7), "tight", "tests of tight", "GET", "/api/v1/things", 429);

        // a read of health that is refused is audited: two tokens came back in the second, two requests are over
        for (int i = 0; i < 4; i++) {
            get("/api/v1/health", null);
        }
        List<JsonObject> more = awaitRecords(10);
        assertThat(more).hasSize(10);
        assertRecord(more.get(8), "anonymous", null, "GET", "/api/v1/health", 429);
        assertRecord(more.get(9), "anonymous", null, "GET", "/api/v1/health", 429);

        String text = auditText();
        for (String key : KEYS) {
            assertThat(text).doesNotContain(key);
        }
        assertThat(text).doesNotContain("secret-in-the-query").doesNotContain("Bearer").doesNotContain("?");
        assertThat(audit.health().status()).isEqualTo(ComponentHealth.Status.UP);
        assertThat(audit.health().detail()).contains("10 requests audited");
    }

    @Test
    void lostRecordsAreCountedMarkedInTheFileAndMakeHealthDegraded() throws Exception {
        Path folder = home.resolve("lossy");
        AuditLog lossy = new AuditLog(new AuditLog.Settings(folder, 0, 2), Clock.systemUTC());
        // in the hub's health in place of this test's audit: both are component "audit"
        servlet.removeContributor(audit);
        servlet.addContributor(lossy);
        try {
            long now = System.currentTimeMillis();
            // not started yet: nothing takes records from the queue, so the third and later are lost
            for (int i = 0; i < 5; i++) {
                lossy.record(now, "reader-a", "tests", "GET", "/api/v1/things/" + i, 200, "127.0.0.1");
            }
            assertThat(lossy.lost()).isEqualTo(3);
            assertThat(lossy.health().status()).isEqualTo(ComponentHealth.Status.DEGRADED);
            assertThat(lossy.health().detail()).startsWith("3 audit records lost since the hub started")
                    .contains("queue of 2 was full").contains("queueSize in etc/nl.lantaarn.http.audit.cfg");

            HttpResponse<String> health = get("/api/v1/health", null);
            assertThat(health.statusCode()).isEqualTo(200);
            JsonObject body = JsonObject.of(health.body());
            assertThat(body.getValue("status")).contains(JsonValue.of("DEGRADED"));
            assertThat(body.getValue("components/audit/status")).contains(JsonValue.of("DEGRADED"));
            assertThat(body.getValue("components/audit/detail").map(JsonValue::asString).orElseThrow())
                    .contains("3 audit records lost");

            lossy.start();
            List<JsonObject> lines = awaitLines(folder, 3);
            assertThat(lines.subList(0, 2)).allSatisfy(line -> assertThat(line.getValue("status"))
                    .contains(JsonValue.of(200)));
            JsonObject mark = lines.get(2);
            assertThat(mark.getValue("event")).contains(JsonValue.of("records-lost"));
            assertThat(mark.getValue("lost")).contains(JsonValue.of(3));
            assertThat(mark.getValue("reason")).contains(JsonValue.of("the audit queue was full"));
            // the count stays: the audit has a gap until the hub restarts
            assertThat(lossy.health().status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        } finally {
            servlet.removeContributor(lossy);
            lossy.close();
        }
    }

    @Test
    void filesOlderThanTheRetentionAreDeletedAndOthersKept() throws Exception {
        Path folder = Files.createDirectories(home.resolve("kept"));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path old = Files.writeString(folder.resolve("requests-" + today.minusDays(31) + ".jsonl"), "{}\n");
        Path recent = Files.writeString(folder.resolve("requests-" + today.minusDays(30) + ".jsonl"), "{}\n");
        Path other = Files.writeString(folder.resolve("requests-notes.jsonl"), "mine\n");
        AuditLog keeping = new AuditLog(new AuditLog.Settings(folder, 30, 10), Clock.systemUTC());
        keeping.start();
        long now = System.currentTimeMillis();
        try {
            keeping.record(now, null, null, "GET", "/api/v1/health", 429, "127.0.0.1");
        } finally {
            // writes what is queued, then ends the writer
            keeping.close();
        }
        Path written = folder.resolve("requests-" + LocalDate.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC)
                + ".jsonl");
        assertThat(Files.readString(written)).contains("\"resource\":\"/api/v1/health\"");
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(other).exists();
    }

    private static void assertRecord(JsonObject record, String client, String purpose, String method,
            String resource, int status) {
        assertThat(record.getValue("client")).as("%s", record).contains(JsonValue.of(client));
        assertThat(record.getValue("purpose")).as("%s", record).contains(JsonValue.of(purpose));
        assertThat(record.getValue("method")).as("%s", record).contains(JsonValue.of(method));
        assertThat(record.getValue("resource")).as("%s", record).contains(JsonValue.of(resource));
        assertThat(record.getValue("status")).as("%s", record).contains(JsonValue.of(status));
        assertThat(record.getValue("remoteAddress")).as("%s", record).contains(JsonValue.of("127.0.0.1"));
    }

    private String auditText() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(audit.directory())) {
            for (Path file : files.sorted().toList()) {
                assertThat(file.getFileName().toString()).matches("requests-\\d{4}-\\d{2}-\\d{2}\\.jsonl");
                text.append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }

    private List<JsonObject> awaitRecords(int count) throws Exception {
        return awaitLines(audit.directory(), count);
    }

    /** The lines of the audit files in {@code folder} once there are {@code count} (the writer is a thread). */
    private static List<JsonObject> awaitLines(Path folder, int count) throws Exception {
        long deadline = System.nanoTime() + 20 * SECOND;
        List<JsonObject> lines = List.of();
        while (System.nanoTime() - deadline < 0) {
            lines = lines(folder);
            if (lines.size() >= count) {
                return lines;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + count + " audit lines in " + folder + ", found " + lines);
    }

    private static List<JsonObject> lines(Path folder) throws IOException {
        List<JsonObject> lines = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return lines;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("requests-\\d.*"))
                    .sorted().toList()) {
                List<String> read;
                try {
                    read = Files.readAllLines(file, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    continue; // deleted as expired meanwhile
                }
                for (String line : read) {
                    if (!line.isBlank()) {
                        lines.add(JsonObject.of(line));
                    }
                }
            }
        }
        return lines;
    }
}
