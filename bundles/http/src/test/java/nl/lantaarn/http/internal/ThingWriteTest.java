package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/** Writes through the servlet in a real Jetty on a free port, into the real twin service on an in-memory store. */
class ThingWriteTest {

    private static final String KEY = "test-key-0123456789";
    private static final String READER_KEY = "reader-key-0123456789";
    private static final MemoryTwinStore STORE = new MemoryTwinStore();
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
    private static TwinServiceComponent twin;
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        twin = new TwinServiceComponent(STORE);
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 100);
        String hash = HexFormat.of().formatHex(ApiKeys.sha256(KEY));
        // an apiKeyHashes entry (every role, as before) next to a reader's client file
        ApiKeys keys = ApiKeys.parse(new String[] {"broken-entry, tester:sha256:" + hash});
        assertThat(keys.size()).isEqualTo(1);
        assertThat(keys.problems()).singleElement().asString().contains("entry 1").doesNotContain(hash);
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(keys);
        authenticator.addClientFile(TestClients.client("dashboard", "reader", READER_KEY));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new ApiServlet(twin, letters, authenticator,
                new AdapterFiles(home, symbolicName -> List.of()))), "/api/v1/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/api/v1/things/";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        twin.deactivate();
        letters.close();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    private static HttpRequest.Builder authed(String path) {
        return request(path).header("Authorization", "Bearer " + KEY);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder put(HttpRequest.Builder request, String json) {
        return request.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpRequest.Builder patch(HttpRequest.Builder request, String json) {
        return request.header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
    }

    private static String detail(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        return JsonObject.of(response.body()).getValue("detail").orElseThrow().asString();
    }

    @Test
    void writesNeedAKnownApiKey() throws Exception {
        HttpResponse<String> none = send(put(request("nl.demo.safety:anon"), "{}"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        assertThat(detail(none)).contains("./lantaarn clients add <name> --role <role>");
        HttpResponse<String> wrong = send(put(request("nl.demo.safety:anon").header("X-API-Key", "guess"), "{}"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(detail(wrong)).doesNotContain("guess");
        assertThat(send(request("nl.demo.safety:anon").header("Authorization", "Bearer wrong").DELETE()).statusCode())
                .isEqualTo(401);
        assertThat(twin.retrieve(org.eclipse.ditto.things.model.ThingId.of("nl.demo.safety:anon"))).isEmpty();
        // a reader may not write
        HttpResponse<String> byReader = send(put(request("nl.demo.safety:anon").header("X-API-Key", READER_KEY), "{}"));
        assertThat(byReader.statusCode()).isEqualTo(403);
        assertThat(detail(byReader)).contains("Writes need role writer (or operator, admin)")
                .contains("'dashboard' has role reader").contains("--role writer");
        assertThat(twin.retrieve(org.eclipse.ditto.things.model.ThingId.of("nl.demo.safety:anon"))).isEmpty();
        // X-API-Key works as well as a bearer token
        assertThat(send(put(request("nl.demo.safety:anon").header("X-API-Key", KEY), "{}")).statusCode())
                .isEqualTo(201);
    }

    @Test
    void noKeysConfiguredRefusesEveryWrite() throws Exception {
        ApiKeys none = ApiKeys.parse(new String[] {""});
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.client(KEY)).isEmpty();
        assertThat(none.problems()).isEmpty();
    }

    @Test
    void putCreatesPatchMergesAndConditionsHold() throws Exception {
        String id = "nl.demo.safety:noise-w-1";
        HttpResponse<String> created = send(put(authed(id),
                "{\"attributes\":{\"zone\":\"stratumseind\"},\"features\":{\"noise\":{\"properties\":{\"laeq\":60}}}}")
                .header("If-None-Match", "*"));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).contains("\"1\"");
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/api/v1/things/" + id);

        HttpResponse<String> again = send(put(authed(id), "{}").header("If-None-Match", "*"));
        assertThat(again.statusCode()).isEqualTo(412);
        assertThat(again.headers().firstValue("ETag")).contains("\"1\"");

        HttpResponse<String> merged = send(patch(authed(id + "/features/noise/properties"),
                "{\"laeq\":55,\"unit\":\"dB(A)\"}").header("If-Match", "\"1\""));
        assertThat(merged.statusCode()).isEqualTo(204);
        assertThat(merged.headers().firstValue("ETag")).contains("\"2\"");
        assertThat(JsonObject.of(send(authed(id + "/features/noise/properties")).body()))
                .isEqualTo(JsonObject.of("{\"laeq\":55,\"unit\":\"dB(A)\"}"));

        HttpResponse<String> stale = send(put(authed(id + "/attributes/zone"), "\"markt\"").header("If-Match", "\"1\""));
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.headers().firstValue("ETag")).contains("\"2\"");
        assertThat(detail(stale)).contains("revision 2");

        HttpResponse<String> property = send(put(authed(id + "/features/noise/properties/lamax"), "80")
                .header("If-Match", "*"));
        assertThat(property.statusCode()).isEqualTo(201);
        assertThat(property.body()).isEqualTo("80");
        HttpResponse<String> replaced = send(put(authed(id + "/attributes/zone"), "\"markt\""));
        assertThat(replaced.statusCode()).isEqualTo(204);
        assertThat(replaced.headers().firstValue("ETag")).contains("\"4\"");

        HttpResponse<String> wrongType = send(authed(id).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(detail(wrongType)).contains("application/merge-patch+json");
        assertThat(send(put(authed("nl.demo.safety:missing/attributes/zone"), "\"x\"")).statusCode()).isEqualTo(404);
        assertThat(send(put(authed(id), "{}").header("If-Match", "5")).statusCode()).isEqualTo(400);

        HttpResponse<String> deleted = send(authed(id).DELETE());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(send(authed(id)).statusCode()).isEqualTo(404);
        assertThat(send(authed(id).DELETE()).statusCode()).isEqualTo(404);
    }

    @Test
    void badBodiesAre4xxThatSayWhatToFix() throws Exception {
        String id = "nl.demo.safety:noise-w-2";
        HttpResponse<String> large = send(put(authed(id), "{\"attributes\":{\"x\":\"" + "a".repeat(300 * 1024) + "\"}}"));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(detail(large)).contains("256 KB");

        HttpResponse<String> bad = send(put(authed(id), "{\"attributes\":{\"zone\":}}"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(detail(bad)).contains("not valid JSON").contains("at 1:23");

        HttpResponse<String> deep = send(put(authed(id + "/attributes/deep"), "[".repeat(33) + "]".repeat(33)));
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(detail(deep)).contains("deeper than 32");
        assertThat(send(put(authed(id + "/attributes/ok"), "[".repeat(32) + "]".repeat(32))).statusCode())
                .isNotEqualTo(400);

        HttpResponse<String> convention = send(put(authed(id),
                "{\"attributes\":{\"location\":{\"type\":\"Point\",\"coordinates\":[5.4]}}}"));
        assertThat(convention.statusCode()).isEqualTo(400);
        assertThat(detail(convention)).contains("attributes/location/coordinates");

        assertThat(send(put(authed("not-an-id"), "{}")).statusCode()).isEqualTo(400);
        assertThat(send(put(authed(id + "/colour"), "1")).statusCode()).isEqualTo(400);
    }
}
