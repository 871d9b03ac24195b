package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
import nl.lantaarn.security.api.Role;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * Every class of path against every role, over real HTTP: no key is a 401 saying how to get one, a role too low a 403
 * naming the role needed, the role needed gets through (whatever the resource then answers).
 */
class RoleCheckTest {

    /** One client per role, the key being the role's id plus a suffix. */
    private static final Map<Role, String> KEYS = Map.of(Role.READER, "reader-key-1", Role.WRITER, "writer-key-1",
            Role.OPERATOR, "operator-key-1", Role.ADMIN, "admin-key-1");

    record Call(String method, String path, Role needed) {
    }

    private static final List<Call> CALLS = List.of(
            new Call("GET", "/api/v1/things", Role.READER),
            new Call("GET", "/api/v1/things/nl.demo.safety:noise-1", Role.READER),
            new Call("GET", "/api/v1/things/nl.demo.safety:noise-1/features/noise/properties/laeq/history",
                    Role.READER),
            new Call("PUT", "/api/v1/things/nl.demo.safety:noise-1", Role.WRITER),
            new Call("PATCH", "/api/v1/things/nl.demo.safety:noise-1", Role.WRITER),
            new Call("DELETE", "/api/v1/things/nl.demo.safety:noise-1", Role.WRITER),
            new Call("POST", "/ingest/sound", Role.WRITER),
            new Call("GET", "/api/v1/adapters", Role.OPERATOR),
            new Call("POST", "/api/v1/adapters/ttn/stop", Role.OPERATOR),
            new Call("PUT", "/api/v1/adapters/ttn/configuration", Role.OPERATOR),
            new Call("GET", "/api/v1/adapters/bundles", Role.OPERATOR),
            new Call("GET", "/api/v1/routes", Role.OPERATOR),
            new Call("GET", "/api/v1/routes/pending", Role.OPERATOR),
            new Call("POST", "/api/v1/routes/pending/action-1/confirm", Role.OPERATOR),
            new Call("POST", "/api/v1/routes/pending/action-1/reject", Role.OPERATOR),
            new Call("GET", "/api/v1/dead-letters", Role.OPERATOR),
            new Call("POST", "/api/v1/dead-letters/replay", Role.OPERATOR),
            new Call("GET", "/api/v1/metrics", Role.OPERATOR),
            new Call("POST", "/api/v1/adapters/bundles", Role.ADMIN),
            new Call("DELETE", "/api/v1/adapters/bundles/nl.example.adapter", Role.ADMIN));

    @TempDir
    static Path home;
    private static FileDeadLetterService letters;
    private static TwinServiceComponent twin;
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        twin = new TwinServiceComponent(new MemoryTwinStore());
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 100);
        ApiKeyAuthenticator authenticator = TestClients.authenticator(
                KEYS.entrySet().stream().map(e -> TestClients.client(e.getKey().id() + "-client", e.getKey().id(),
                        e.getValue())).toArray(ClientFile[]::new));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new ApiServlet(twin, letters, authenticator,
                new AdapterFiles(home, symbolicName -> List.of()))), "/api/v1/*");
        context.addServlet(new ServletHolder(new IngestServlet(authenticator, 1024, Duration.ofMillis(300))),
                "/ingest/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        twin.deactivate();
        letters.close();
    }

    private static HttpResponse<String> send(Call call, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call.path()))
                .header("Content-Type", call.method().equals("PATCH") ? "application/merge-patch+json"
                        : "application/json")
                .method(call.method(), call.method().equals("GET") || call.method().equals("DELETE")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        // a client per request: the server closes the connection after a refusal
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String detail(HttpResponse<String> response) {
        return JsonObject.of(response.body()).getValue("detail").orElseThrow().asString();
    }

    @Test
    void noKeyIsA401ThatSaysHowToGetOne() throws Exception {
        for (Call call : CALLS) {
            for (String key : new String[] {null, "not-a-key"}) {
                HttpResponse<String> response = send(call, key);
                assertThat(response.statusCode()).as("%s with key %s: %s", call, key, response.body()).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).as("%s", call)
                        .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
                assertThat(detail(response)).as("%s", call).contains("an API key")
                        .contains("./lantaarn clients add <name> --role <role> --purpose");
            }
        }
    }

    @Test
    void aRoleTooLowIsA403NamingTheRoleNeeded() throws Exception {
        for (Call call : CALLS) {
            for (Role role : Role.values()) {
                HttpResponse<String> response = send(call, KEYS.get(role));
                if (role.includes(call.needed())) {
                    assertThat(response.statusCode()).as("%s by %s: %s", call, role, response.body())
                            .isNotIn(401, 403);
                } else {
                    assertThat(response.statusCode()).as("%s by %s: %s", call, role, response.body())
                            .isEqualTo(403);
                    assertThat(detail(response)).as("%s by %s", call, role)
                            .contains("role " + call.needed().id())
                            .contains("'" + role.id() + "-client' has role " + role.id())
                            .contains("--role " + call.needed().id());
                }
            }
        }
    }

    @Test
    void healthIsOpenToAnyone() throws Exception {
        HttpResponse<String> health = send(new Call("GET", "/api/v1/health", null), null);
        assertThat(health.statusCode()).isEqualTo(200);
    }
}
