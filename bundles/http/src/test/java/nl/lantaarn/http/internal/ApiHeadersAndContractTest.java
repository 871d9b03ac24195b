package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The security headers on every answer under /api/v1 (also another servlet's, and errors), HSTS only over HTTPS, and
 * the contract served as JSON and YAML, in a real Jetty with the filter mapped as the whiteboard maps it.
 */
class ApiHeadersAndContractTest {

    @TempDir
    static Path home;
    private static TwinServiceComponent twin;
    private static FileDeadLetterService letters;
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        twin = new TwinServiceComponent(new MemoryTwinStore());
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 100);
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        // a TLS-terminating proxy in front of the hub says so with X-Forwarded-Proto; Jetty then reports isSecure()
        config.addCustomizer(new ForwardedRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(new ApiHeadersFilter()), "/api/v1/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ApiServlet(twin, letters, new ApiKeyAuthenticator(ApiKeys.none()),
                new AdapterFiles(home, symbolicName -> List.of()))), "/api/v1/*");
        // stands for another bundle's servlet below /api/v1, as search's is
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(204);
            }
        }), "/api/v1/search/*");
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(204);
            }
        }), "/ingest/*");
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

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertSecurityHeaders(HttpResponse<String> response) {
        var headers = response.headers();
        assertThat(headers.firstValue("Cache-Control")).as("%s", response).contains("no-store");
        assertThat(headers.firstValue("X-Content-Type-Options")).as("%s", response).contains("nosniff");
        assertThat(headers.firstValue("X-Frame-Options")).as("%s", response).contains("DENY");
        assertThat(headers.firstValue("Content-Security-Policy")).as("%s", response).contains("frame-ancestors 'none'");
        assertThat(headers.firstValue("Referrer-Policy")).as("%s", response).contains("no-referrer");
    }

    @Test
    void everyAnswerUnderApiV1CarriesTheSecurityHeadersAndNoHstsOverPlainHttp() throws Exception {
        for (String path : List.of("/api/v1/health", "/api/v1/things", "/api/v1/nothing-here", "/api/v1/metrics",
                "/api/v1/things/not-an-id", "/api/v1/search/things")) {
            HttpResponse<String> response = get(path);
            assertSecurityHeaders(response);
            assertThat(response.headers().firstValue("Strict-Transport-Security")).as("%s", response).isEmpty();
        }
        // reads need a key since clients have roles, so an anonymous request learns nothing about what exists
        assertThat(get("/api/v1/nothing-here").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/metrics").statusCode()).isEqualTo(401);
        // the filter is mapped to /api/v1 only
        assertThat(get("/ingest/x").headers().firstValue("X-Frame-Options")).isEmpty();
    }

    @Test
    void hstsOnlyWhenTheRequestCameOverHttps() throws Exception {
        HttpResponse<String> response = get("/api/v1/health", "X-Forwarded-Proto", "https");
        assertThat(response.statusCode()).isEqualTo(200);
        assertSecurityHeaders(response);
        assertThat(response.headers().firstValue("Strict-Transport-Security")).contains(ApiHeadersFilter.HSTS);
    }

    @Test
    void servesTheContractAsJsonAndYamlAnonymously() throws Exception {
        HttpResponse<String> json = get("/api/v1/openapi.json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(json.headers().firstValue("API-Version")).contains(ApiServlet.API_VERSION);
        assertSecurityHeaders(json);
        JsonObject document = JsonObject.of(json.body());
        assertThat(document.getValue("openapi").orElseThrow().asString()).isEqualTo("3.0.3");
        assertThat(document.getValue(JsonPointer.of("/info/version")).orElseThrow().asString())
                .as("the contract's version is the one the hub reports in API-Version")
                .isEqualTo(ApiServlet.API_VERSION);
        assertThat(document.getValue(JsonPointer.of("/paths")).orElseThrow().asObject().getKeys())
                .extracting(Object::toString)
                .contains("/things", "/health", "/search/things", "/dead-letters", "/adapters", "/routes", "/metrics",
                        "/openapi.json");

        HttpResponse<String> yaml = get("/api/v1/openapi.yaml");
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/yaml");
        assertSecurityHeaders(yaml);
        // the YAML is api/openapi.yaml as written: one source, the JSON derived from it at build time
        Path source = Path.of(System.getProperty("user.dir")).resolve("../../api/openapi.yaml").normalize();
        assertThat(yaml.body()).isEqualTo(java.nio.file.Files.readString(source, StandardCharsets.UTF_8));
    }
}
