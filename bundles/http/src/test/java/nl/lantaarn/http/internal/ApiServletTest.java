package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.InMemoryTwinService;

/** The servlet in a real Jetty on a free port, spoken to over real HTTP. */
class ApiServletTest {

    private static final InMemoryTwinService TWIN = new InMemoryTwinService();
    private static final DeadLetter LETTER = new DeadLetter("d-1", "demo-noise", "sim/noise/n-9", "field 'laeq' is missing",
            Instant.parse("2026-11-23T21:14:05Z"), "{\"id\":\"n-9\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    private static Server server;
    private static String base;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        DeadLetterService letters = new DeadLetterService() {
            @Override
            public DeadLetter record(String source, String origin, String reason, byte[] payload, Instant at) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<DeadLetter> list(String source, int limit) {
                return source == null || source.equals(LETTER.source()) ? List.of(LETTER) : List.of();
            }

            @Override
            public long count() {
                return 1;
            }
        };
        ApiServlet servlet = new ApiServlet(TWIN, letters);
        servlet.addContributor(contributor("twin", ComponentHealth.up("2 things")));
        servlet.addContributor(contributor("mqtt-broker", ComponentHealth.down("port 1883 is already in use")));
        for (String name : List.of("n-1", "n-2")) {
            TWIN.apply(ThingUpdate.merge(ThingId.of("nl.demo.safety", "noise-" + name),
                    JsonObject.of("{\"features\":{\"noise\":{\"properties\":{\"laeq\":71.5}}}}")));
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
        TWIN.deactivate();
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

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
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
        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/things"))
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
    void listsDeadLetters() throws Exception {
        JsonArray letters = JsonArray.of(get("/dead-letters?source=demo-noise").body());
        assertThat(letters.getSize()).isEqualTo(1);
        JsonObject letter = letters.get(0).orElseThrow().asObject();
        assertThat(letter.getValue("reason").orElseThrow().asString()).isEqualTo("field 'laeq' is missing");
        assertThat(letter.getValue("payload").orElseThrow().asString()).isEqualTo("{\"id\":\"n-9\"}");
        assertThat(JsonArray.of(get("/dead-letters?source=other").body()).getSize()).isZero();
    }
}
