package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.ditto.json.JsonArray;
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

import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.routing.api.PendingAction;
import nl.lantaarn.routing.api.RouteAdmin;
import nl.lantaarn.routing.api.RouteStatus;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/** /api/v1/routes and its pending actions through the servlet in a real Jetty on a free port. */
class RoutesApiTest {

    private static final String KEY = "routes-key-0123456789";
    /**
     * A client per request: the server closes a connection after refusing a request whose body it did not read,
     * and the JDK client, which retries only idempotent requests, could pick a pooled connection in that moment.
     */
    private static HttpClient client() {
        return HttpClient.newHttpClient();
    }
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    /** Route admin double: fixed routes, pending actions that are removed once decided; records the decisions. */
    static final class FakeRouteAdmin implements RouteAdmin {
        record Decision(String id, String outcome, String client, String reason) {
        }

        final List<RouteStatus> routes = new CopyOnWriteArrayList<>();
        final Map<String, PendingAction> waiting = new ConcurrentHashMap<>();
        final List<Decision> decisions = new CopyOnWriteArrayList<>();

        @Override
        public List<RouteStatus> list() {
            return List.copyOf(routes);
        }

        @Override
        public List<PendingAction> pending() {
            return waiting.values().stream().sorted(java.util.Comparator.comparing(PendingAction::created)).toList();
        }

        @Override
        public Optional<PendingAction> confirm(String id, String client) {
            PendingAction action = waiting.remove(id);
            if (action != null) {
                decisions.add(new Decision(id, "confirmed", client, null));
            }
            return Optional.ofNullable(action);
        }

        @Override
        public Optional<PendingAction> reject(String id, String client, String reason) {
            PendingAction action = waiting.remove(id);
            if (action != null) {
                decisions.add(new Decision(id, "rejected", client, reason));
            }
            return Optional.ofNullable(action);
        }
    }

    @TempDir
    static Path home;
    private static FileDeadLetterService letters;
    private static TwinServiceComponent twin;
    private static final FakeRouteAdmin ROUTES = new FakeRouteAdmin();
    private static ApiServlet servlet;
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 1000);
        twin = new TwinServiceComponent(new MemoryTwinStore());
        ApiKeys keys = ApiKeys.parse(new String[] {"operator:sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(KEY))});
        servlet = new ApiServlet(twin, letters, new ApiKeyAuthenticator(keys),
                new AdapterFiles(home, symbolicName -> List.of()));
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
        twin.deactivate();
        letters.close();
    }

    @BeforeEach
    void reset() {
        ROUTES.routes.clear();
        ROUTES.routes.add(new RouteStatus("noise-alerts", "noise-alerts.yaml", "Started", "Loud -> alert",
                "Tell the safety domain at once", "PUBLIC_TASK", "Municipality, OOV", 10, 8, 1, 1, 2, 3, 4, 5, 6));
        ROUTES.routes.add(new RouteStatus("old-style", "old.yaml", "Stopped", null, null, null, null, 0, 0, 0, 0, 0));
        ROUTES.waiting.clear();
        ROUTES.decisions.clear();
        servlet.setRouteAdmin(ROUTES);
    }

    private static PendingAction waiting(String id) {
        PendingAction action = new PendingAction(id, "noise-escalation", "nl.eindhoven.safety:stratumseind-12",
                "Send the police", "{\"laeq\":82.5}", T0, T0.plusSeconds(600));
        ROUTES.waiting.put(id, action);
        return action;
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    private static HttpRequest.Builder authed(String path) {
        return request(path).header("X-API-Key", KEY);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(HttpRequest.Builder request) {
        return request.POST(HttpRequest.BodyPublishers.noBody());
    }

    private static String problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonObject body = JsonObject.of(response.body());
        assertThat(body.getValue("status").orElseThrow().asInt()).isEqualTo(status);
        return body.getValue("detail").orElseThrow().asString();
    }

    @Test
    void everyRoutesRequestNeedsAnApiKey() throws Exception {
        waiting("a1");
        for (HttpRequest.Builder request : List.of(request("/routes"), request("/routes/noise-alerts"),
                request("/routes/pending"), post(request("/routes/pending/a1/confirm")),
                post(request("/routes/pending/a1/reject")),
                post(request("/routes/pending/a1/confirm").header("X-API-Key", "not-a-key-0123456789")))) {
            HttpResponse<String> response = send(request);
            assertThat(problem(response, 401)).contains("The routes API needs an API key");
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
        assertThat(ROUTES.waiting).containsKey("a1");
        assertThat(ROUTES.decisions).isEmpty();
    }

    @Test
    void listsRoutesWithMetadataAndCountersAndGetsOne() throws Exception {
        HttpResponse<String> list = send(authed("/routes"));
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonArray routes = JsonArray.of(list.body());
        assertThat(routes.getSize()).isEqualTo(2);
        JsonObject expected = JsonObject.of("""
                {"id":"noise-alerts","file":"noise-alerts.yaml","description":"Loud -> alert",
                 "purpose":"Tell the safety domain at once","legalBasis":"PUBLIC_TASK","owner":"Municipality, OOV",
                 "state":"Started","counters":{"in":10,"out":8,"failed":1,"retried":6,"deadLettered":1,"suppressed":2,
                 "confirmed":3,"rejected":4,"expired":5}}""");
        assertThat(routes.get(0).orElseThrow().asObject()).isEqualTo(expected);
        // metadata a route lacks is null, not left out
        JsonObject old = routes.get(1).orElseThrow().asObject();
        assertThat(old.getValue("purpose").orElseThrow().isNull()).isTrue();
        assertThat(old.getValue("counters/confirmed").orElseThrow().asLong()).isZero();

        HttpResponse<String> one = send(authed("/routes/noise-alerts"));
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JsonObject.of(one.body())).isEqualTo(expected);
    }

    @Test
    void routeCountersAreMetrics() throws Exception {
        HttpResponse<String> metrics = send(authed("/metrics"));
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("# TYPE lantaarn_route_in_total counter\nlantaarn_route_in_total{route=\"noise-alerts\"} 10\n"
                        + "lantaarn_route_in_total{route=\"old-style\"} 0\n")
                .contains("lantaarn_route_out_total{route=\"noise-alerts\"} 8\n")
                .contains("lantaarn_route_failed_total{route=\"noise-alerts\"} 1\n")
                .contains("lantaarn_route_retried_total{route=\"noise-alerts\"} 6\n")
                .contains("lantaarn_route_dead_lettered_total{route=\"noise-alerts\"} 1\n")
                .contains("lantaarn_route_suppressed_total{route=\"noise-alerts\"} 2\n")
                .contains("lantaarn_route_expired_total{route=\"noise-alerts\"} 5\n");
    }

    @Test
    void anUnknownRouteOrPendingActionIs404NamingIt() throws Exception {
        assertThat(problem(send(authed("/routes/no-such-route")), 404))
                .contains("There is no route 'no-such-route'", "the routes are noise-alerts, old-style");
        assertThat(problem(send(post(authed("/routes/pending/no-such-action/confirm"))), 404))
                .contains("There is no pending action 'no-such-action'", "GET /api/v1/routes/pending");
        assertThat(problem(send(post(authed("/routes/pending/no-such-action/reject"))), 404))
                .contains("There is no pending action 'no-such-action'");
        assertThat(problem(send(authed("/routes/pending/x/approve")), 404))
                .contains("/routes/pending/{id}/confirm");
        HttpResponse<String> wrongMethod = send(authed("/routes/pending/x/confirm"));
        assertThat(problem(wrongMethod, 405)).contains("POST");
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
        assertThat(problem(send(post(authed("/routes"))), 405)).contains("GET, HEAD");
    }

    @Test
    void withoutTheRoutingComponentEveryRequestIs503() throws Exception {
        servlet.unsetRouteAdmin(ROUTES);
        for (HttpRequest.Builder request : List.of(authed("/routes"), authed("/routes/noise-alerts"),
                authed("/routes/pending"), post(authed("/routes/pending/a1/confirm")))) {
            HttpResponse<String> response = send(request);
            assertThat(problem(response, 503)).contains("routing component (bundle nl.lantaarn.routing) is not "
                    + "running");
            assertThat(response.headers().firstValue("Retry-After")).contains("10");
        }
    }

    @Test
    void pendingActionsAreListedConfirmedAndRejectedRecordingTheClient() throws Exception {
        waiting("a1");
        waiting("a2");

        HttpResponse<String> list = send(authed("/routes/pending"));
        assertThat(list.statusCode()).isEqualTo(200);
        JsonArray pending = JsonArray.of(list.body());
        assertThat(pending.getSize()).isEqualTo(2);
        assertThat(pending.stream().map(v -> v.asObject()).filter(o -> o.getValue("id").orElseThrow().asString()
                .equals("a1")).findFirst().orElseThrow()).isEqualTo(JsonObject.of("""
                {"id":"a1","route":"noise-escalation","thing":"nl.eindhoven.safety:stratumseind-12",
                 "action":"Send the police","bodySummary":"{\\"laeq\\":82.5}","created":"2026-11-24T10:00:00Z",
                 "expires":"2026-11-24T10:10:00Z"}"""));

        HttpResponse<String> confirmed = send(post(authed("/routes/pending/a1/confirm")));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        JsonObject body = JsonObject.of(confirmed.body());
        assertThat(body.getValue("outcome").orElseThrow().asString()).isEqualTo("confirmed");
        assertThat(body.getValue("decidedBy").orElseThrow().asString()).isEqualTo("operator");
        assertThat(body.getValue("action/id").orElseThrow().asString()).isEqualTo("a1");

        HttpResponse<String> rejected = send(authed("/routes/pending/a2/reject")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"false alarm\"}")));
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        assertThat(JsonObject.of(rejected.body()).getValue("reason").orElseThrow().asString())
                .isEqualTo("false alarm");

        assertThat(ROUTES.decisions).containsExactly(
                new FakeRouteAdmin.Decision("a1", "confirmed", "operator", null),
                new FakeRouteAdmin.Decision("a2", "rejected", "operator", "false alarm"));
        // decided once: a second confirmation finds nothing
        assertThat(problem(send(post(authed("/routes/pending/a1/confirm"))), 404)).contains("a1");
        assertThat(JsonArray.of(send(authed("/routes/pending")).body()).getSize()).isZero();
    }

    @Test
    void aRejectionWithABadBodyIs400AndDecidesNothing() throws Exception {
        waiting("a1");
        assertThat(problem(send(authed("/routes/pending/a1/reject")
                .POST(HttpRequest.BodyPublishers.ofString("false alarm"))), 400))
                .contains("must be empty or a JSON object such as {\"reason\":\"false alarm\"}");
        assertThat(problem(send(authed("/routes/pending/a1/reject")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"" + "x".repeat(501) + "\"}"))), 400))
                .contains("at most 500 characters");
        assertThat(ROUTES.waiting).containsKey("a1");
        assertThat(ROUTES.decisions).isEmpty();
    }
}
