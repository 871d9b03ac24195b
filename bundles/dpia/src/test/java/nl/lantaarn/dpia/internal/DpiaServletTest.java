package nl.lantaarn.dpia.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.routing.api.PendingAction;
import nl.lantaarn.routing.api.RouteAdmin;
import nl.lantaarn.routing.api.RouteOutline;
import nl.lantaarn.routing.api.RouteStatus;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/** GET /api/v1/dpia in a real Jetty on a free port, over real HTTP. */
class DpiaServletTest {

    private static Server server;
    private static String url;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    static Optional<ApiClient> client(String authorization, String apiKey) {
        return switch (authorization == null ? "" : authorization) {
            case "Bearer operator" -> Optional.of(new ApiClient("ops", EnumSet.of(Role.OPERATOR), "operating"));
            case "Bearer reader" -> Optional.of(new ApiClient("app", EnumSet.of(Role.READER), "an app"));
            default -> Optional.empty();
        };
    }

    @BeforeAll
    static void start() throws Exception {
        DpiaServlet servlet = new DpiaServlet(DpiaServletTest::client,
                Clock.fixed(FactSheetGeneratorTest.NOW, ZoneOffset.UTC));
        servlet.addFactory(new AdapterFactory() {
            @Override
            public AdapterType type() {
                return FactSheetGeneratorTest.SOUND;
            }

            @Override
            public SensorAdapter create(AdapterConfiguration configuration) {
                throw new UnsupportedOperationException();
            }
        });
        servlet.setRoutes(new RouteAdmin() {
            @Override
            public List<RouteStatus> list() {
                return List.of(FactSheetGeneratorTest.ROUTE);
            }

            @Override
            public List<RouteOutline> outlines() {
                return List.of(FactSheetGeneratorTest.OUTLINE);
            }

            @Override
            public List<PendingAction> pending() {
                return List.of();
            }

            @Override
            public Optional<PendingAction> confirm(String id, String client) {
                return Optional.empty();
            }

            @Override
            public Optional<PendingAction> reject(String id, String client, String reason) {
                return Optional.empty();
            }
        });
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/api/v1/dpia");
        server.setHandler(context);
        server.start();
        url = "http://127.0.0.1:" + connector.getLocalPort() + "/api/v1/dpia";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    static HttpResponse<String> get(String query, String key, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + query));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOperatorGetsMarkdownByDefaultAndHtmlAsABrowserAsksForIt() throws Exception {
        HttpResponse<String> markdown = get("", "operator", null);
        assertThat(markdown.statusCode()).isEqualTo(200);
        assertThat(markdown.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/markdown").containsIgnoringCase("charset=utf-8"));
        assertThat(markdown.headers().firstValue("API-Version")).hasValue(DpiaServlet.API_VERSION);
        assertThat(markdown.body()).startsWith("# DPIA fact sheet").contains("### Adapter sound-events",
                "### Route glass-at-night", "MQTT topic lantaarn/alerts/safety");

        HttpResponse<String> html = get("", "operator",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'"));
        assertThat(html.body()).startsWith("<!DOCTYPE html>").contains("id=\"adapter-sound-events\"",
                "id=\"route-glass-at-night\"").doesNotContain("<script");
    }

    @Test
    void formatWinsOverAcceptAndMarkdownCanBeAskedFor() throws Exception {
        assertThat(get("?format=html", "operator", "text/markdown").body()).startsWith("<!DOCTYPE html>");
        assertThat(get("?format=md", "operator", "text/html").body()).startsWith("# DPIA");
        assertThat(get("", "operator", "text/markdown").body()).startsWith("# DPIA");
        assertThat(get("", "operator", "text/html;q=0.5, text/markdown").body()).startsWith("# DPIA");
    }

    @Test
    void badInputIsAProblemNamingWhatToChange() throws Exception {
        HttpResponse<String> format = get("?format=pdf", "operator", null);
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(format.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(format.body()).contains("'format' must be md", "'pdf'");

        HttpResponse<String> accept = get("", "operator", "application/json");
        assertThat(accept.statusCode()).isEqualTo(406);
        assertThat(accept.body()).contains("text/markdown or text/html", "?format=");

        HttpResponse<String> anonymous = get("", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("role operator", "./lantaarn clients add");

        HttpResponse<String> reader = get("", "reader", null);
        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(reader.body()).contains("needs role operator", "'app'", "role reader");

        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer operator").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void whatIsNotRunningIsNamedInTheNotes() throws Exception {
        assertThat(get("", "operator", null).body()).contains("## Notes", "adapter runtime",
                "notification service");
    }
}
