package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.deadletter.internal.FileDeadLetterService;

/** Webhooks through the ingest servlet in a real Jetty on a free port. */
class IngestServletTest {

    private static final String KEY = "webhook-key-0123456789";
    private static final int MAX_BODY = 1024;
    /**
     * A client per request: the server closes a connection after refusing a request whose body it did not read,
     * and the JDK client, which retries only idempotent requests, could pick a pooled connection in that moment.
     */
    private static HttpClient client() {
        return HttpClient.newHttpClient();
    }

    @TempDir
    static Path home;
    private static FileDeadLetterService letters;
    private static FakeAdmin admin;
    private static IngestServlet servlet;
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        letters = new FileDeadLetterService(home, 100);
        admin = new FakeAdmin(letters);
        ApiKeys keys = ApiKeys.parse(new String[] {"sensor-vendor:sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(KEY))});
        servlet = new IngestServlet(new ApiKeyAuthenticator(keys), MAX_BODY, Duration.ofMillis(300));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/ingest/*");
        // an adapter bundle's own endpoint for a more specific pattern
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setStatus(200);
                response.getWriter().write("open311 endpoint");
            }
        }), "/ingest/open311/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/ingest";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        letters.close();
    }

    @BeforeEach
    void reset() {
        admin.statuses.clear();
        admin.put(FakeAdmin.status("sound-events", "webhook:sound", AdapterState.RUNNING));
        admin.put(FakeAdmin.status("crowd.stratumseind", "webhook:crowd-counts", AdapterState.RUNNING));
        admin.put(FakeAdmin.status("ttn", "mqtt:v3/+/devices/+/up (qos 1)", AdapterState.RUNNING));
        admin.ingested.clear();
        admin.ingestAnswer = message -> CompletableFuture.completedFuture(
                new IngestResult(true, List.of("nl.demo.safety:sound-1", "nl.demo.safety:sound-2"), null, null));
        servlet.setAdmin(admin);
    }

    private static HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.headers().firstValue("API-Version")).contains(ApiServlet.API_VERSION);
        return JsonObject.of(response.body()).getValue("detail").orElseThrow().asString();
    }

    @Test
    void handsTheBodyToTheWebhookInstanceAndNamesTheThings() throws Exception {
        HttpResponse<String> response = send(post("/sound/events/v1?ignored=1", "{\"db\":92}")
                .header("Authorization", "Bearer " + KEY));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat((Object) JsonObject.of(response.body())).isEqualTo(JsonObject.of(
                "{\"accepted\":true,\"thingIds\":[\"nl.demo.safety:sound-1\",\"nl.demo.safety:sound-2\"]}"));
        InboundMessage message = admin.ingested.get(0);
        assertThat(message.origin()).isEqualTo("/ingest/sound/events/v1");
        assertThat(message.payloadAsString()).isEqualTo("{\"db\":92}");
        assertThat(message.attributes()).containsEntry(InboundMessage.HTTP_METHOD, "POST")
                .containsEntry(InboundMessage.HTTP_PATH, "/events/v1")
                .containsEntry(InboundMessage.CONTENT_TYPE, "application/json");

        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/crowd-counts"))
                .header("X-API-Key", KEY).PUT(HttpRequest.BodyPublishers.ofString("12")));
        assertThat(put.statusCode()).isEqualTo(202);
        assertThat(admin.ingested.get(1).attributes()).containsEntry(InboundMessage.HTTP_METHOD, "PUT")
                .containsEntry(InboundMessage.HTTP_PATH, "/").doesNotContainKey(InboundMessage.CONTENT_TYPE);
    }

    @Test
    void aRejectedPayloadIs422WithTheReasonAndItsDeadLetter() throws Exception {
        admin.ingestAnswer = message -> CompletableFuture.completedFuture(
                new IngestResult(false, List.of(), "field 'db' is missing", "dl-42"));
        HttpResponse<String> response = send(post("/sound", "{}").header("X-API-Key", KEY));
        assertThat(problem(response, 422)).contains("sound-events").contains("field 'db' is missing")
                .contains("dl-42").contains("/api/v1/dead-letters/dl-42/replay");
        JsonObject body = JsonObject.of(response.body());
        assertThat(body.getValue("reason").orElseThrow().asString()).isEqualTo("field 'db' is missing");
        assertThat(body.getValue("deadLetterId").orElseThrow().asString()).isEqualTo("dl-42");
    }

    @Test
    void anAnswerThatTakesTooLongIs202Pending() throws Exception {
        admin.ingestAnswer = message -> new CompletableFuture<>();
        HttpResponse<String> response = send(post("/sound", "{}").header("X-API-Key", KEY));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat((Object) JsonObject.of(response.body())).isEqualTo(JsonObject.of("{\"accepted\":\"pending\"}"));
        assertThat(admin.ingested).hasSize(1);
    }

    @Test
    void needsAKnownClient() throws Exception {
        HttpResponse<String> anonymous = send(post("/sound", "{}"));
        assertThat(problem(anonymous, 401)).contains("needs an API key").contains("X-API-Key");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        problem(send(post("/sound", "{}").header("X-API-Key", "guess")), 401);
        assertThat(admin.ingested).isEmpty();
    }

    @Test
    void unknownWebhooksAre404ListingTheExistingOnes() throws Exception {
        assertThat(problem(send(post("/noise/x", "{}").header("X-API-Key", KEY)), 404)).contains("'noise'")
                .contains("/ingest/crowd-counts, /ingest/sound");
        assertThat(problem(send(post("/", "{}").header("X-API-Key", KEY)), 404)).contains("/ingest/sound");
        admin.statuses.clear();
        assertThat(problem(send(post("/sound", "{}").header("X-API-Key", KEY)), 404))
                .contains("no instance has a webhook inbound");
    }

    @Test
    void bodiesAboveTheLimitAre413() throws Exception {
        assertThat(problem(send(post("/sound", "x".repeat(MAX_BODY + 1)).header("X-API-Key", KEY)), 413))
                .contains("1 KiB").contains("maxBodyBytes");
        // without a declared length the limit holds while reading
        HttpResponse<String> chunked = send(HttpRequest.newBuilder(URI.create(base + "/sound")).header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(new byte[MAX_BODY * 4]))));
        problem(chunked, 413);
        assertThat(admin.ingested).isEmpty();
        assertThat(send(post("/sound", "x".repeat(MAX_BODY)).header("X-API-Key", KEY)).statusCode()).isEqualTo(202);
    }

    @Test
    void withoutTheRuntimeIs503AndOtherMethodsAre405() throws Exception {
        servlet.unsetAdmin(admin);
        HttpResponse<String> unavailable = send(post("/sound", "{}").header("X-API-Key", KEY));
        assertThat(problem(unavailable, 503)).contains("nl.lantaarn.adapter.runtime");
        assertThat(unavailable.headers().firstValue("Retry-After")).contains("10");
        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(base + "/sound")).header("X-API-Key", KEY));
        assertThat(problem(get, 405)).contains("POST or PUT");
        assertThat(get.headers().firstValue("Allow")).contains("POST, PUT");
    }

    @Test
    void aMoreSpecificServletOfAnAdapterBundleWins() throws Exception {
        HttpResponse<String> response = send(post("/open311/requests.json", "{}"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("open311 endpoint");
        assertThat(admin.ingested).isEmpty();
    }
}
