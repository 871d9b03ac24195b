package nl.lantaarn.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import nl.lantaarn.api.client.invoker.ApiClient;
import nl.lantaarn.api.client.invoker.ApiException;
import nl.lantaarn.api.client.invoker.ApiResponse;
import nl.lantaarn.api.client.model.Attributes;
import nl.lantaarn.api.client.model.Feature;
import nl.lantaarn.api.client.model.GeoJsonPoint;
import nl.lantaarn.api.client.model.Problem;
import nl.lantaarn.api.client.model.Thing;

/**
 * The generated client against a real HTTP server (the JDK's) on a free loopback port that answers what a hub
 * answers: the key goes out as a bearer token, JSON is mapped both ways, a refusal is an {@link ApiException} whose
 * body is the problem document. The hub itself is met in the itests' {@code PartnerClientIT}.
 */
class GeneratedClientTest {

    private static final String KEY = "partner-key-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String THING = """
            {"thingId":"nl.test.client:lamp-1",
             "attributes":{"location":{"type":"Point","coordinates":[5.4787,51.4418]},"zone":"stratumseind","floor":2},
             "features":{"noise":{"definition":["org.fiware:NoiseLevelObserved:1.0.0"],"properties":{"laeq":72.5}}},
             "_revision":5,"_modified":"2026-11-23T21:14:03.120Z"}""";

    /** A request as the server saw it: path decoded, query raw. */
    private record Received(String method, String path, String query, Map<String, List<String>> headers,
            String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    /** A canned answer. */
    private record Answer(int status, String contentType, String body, Map<String, String> headers) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ApiClient client;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/", this::answer);
        server.start();
        client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1");
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + KEY));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void readsThingsWithTheKeyAsBearerToken() throws Exception {
        answers.put("GET /api/v1/things", new Answer(200, "application/json", "[" + THING + "]", Map.of()));
        answers.put("GET /api/v1/things/nl.test.client:lamp-1", new Answer(200, "application/json", THING,
                Map.of("ETag", "\"5\"")));
        ThingsApi things = new ThingsApi(client);

        List<Thing> list = things.listThings(10, 0, null);
        ApiResponse<Thing> read = things.getThingWithHttpInfo("nl.test.client:lamp-1", "thingId,_revision,_modified");

        assertThat(received).hasSize(2).allSatisfy(request -> {
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(request.header("Accept")).contains("application/json");
        });
        assertThat(received.get(0).query()).isEqualTo("limit=10&offset=0");
        // the ':' of the thing id arrives as sent, the fields as one parameter
        assertThat(received.get(1).path()).isEqualTo("/api/v1/things/nl.test.client:lamp-1");
        assertThat(received.get(1).query()).isEqualTo("fields=thingId%2C_revision%2C_modified");
        assertThat(list).singleElement().isEqualTo(read.getData());
        Thing thing = read.getData();
        assertThat(read.getHeaders().get("ETag")).containsExactly("\"5\"");
        assertThat(thing.getThingId()).isEqualTo("nl.test.client:lamp-1");
        assertThat(thing.getRevision()).isEqualTo(5L);
        assertThat(thing.getModified()).isEqualTo(OffsetDateTime.parse("2026-11-23T21:14:03.120Z"));
        assertThat(thing.getAttributes().getLocation().getCoordinates())
                .containsExactly(new BigDecimal("5.4787"), new BigDecimal("51.4418"));
        assertThat(thing.getAttributes().getZone()).isEqualTo("stratumseind");
        // free attributes beyond the hub's conventions are kept
        assertThat(thing.getAttributes().getAdditionalProperty("floor")).isEqualTo(2);
        Feature noise = thing.getFeatures().get("noise");
        assertThat(noise.getDefinition()).containsExactly("org.fiware:NoiseLevelObserved:1.0.0");
        assertThat(noise.getProperties()).containsEntry("laeq", 72.5);
    }

    @Test
    void aRefusalIsAnApiExceptionWithTheProblem() {
        answers.put("GET /api/v1/things", new Answer(401, "application/problem+json", """
                {"type":"about:blank","title":"Unauthorized","status":401,
                 "detail":"The request has no API key, or one this hub does not know (./lantaarn clients add)."}""",
                Map.of("WWW-Authenticate", "Bearer realm=\"lantaarn\"")));

        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> new ThingsApi(client).listThings(null, null, null));

        assertThat(refused.getCode()).isEqualTo(401);
        assertThat(refused.getResponseHeaders().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"lantaarn\"");
        Problem problem = problem(refused);
        assertThat(problem.getStatus()).isEqualTo(401);
        assertThat(problem.getDetail()).contains("./lantaarn clients add");
        // without a body the exception still says which call and status it was
        answers.put("GET /api/v1/things", new Answer(503, "application/problem+json", "", Map.of()));
        ApiException empty = catchThrowableOfType(ApiException.class,
                () -> new ThingsApi(client).listThings(null, null, null));
        assertThat(empty.getCode()).isEqualTo(503);
        assertThat(empty.getMessage()).contains("listThings").contains("503");
    }

    @Test
    void writesAThingAsItsJsonAndMergesWithNullAsRemoval() throws Exception {
        answers.put("PUT /api/v1/things/nl.test.client:lamp-2", new Answer(201, "application/json",
                "{\"thingId\":\"nl.test.client:lamp-2\"}", Map.of("ETag", "\"1\"",
                        "Location", "/api/v1/things/nl.test.client:lamp-2")));
        answers.put("PATCH /api/v1/things/nl.test.client:lamp-2/features/noise/properties", new Answer(204, null, null,
                Map.of("ETag", "\"2\"")));
        ThingsApi things = new ThingsApi(client);
        Attributes attributes = new Attributes().zone("stratumseind")
                .location(new GeoJsonPoint().type(GeoJsonPoint.TypeEnum.POINT)
                        .coordinates(List.of(new BigDecimal("5.4787"), new BigDecimal("51.4418"))));
        attributes.putAdditionalProperty("floor", 2);
        Thing thing = new Thing().thingId("nl.test.client:lamp-2").attributes(attributes)
                .features(Map.of("noise", new Feature().properties(Map.of("laeq", 61.5))));

        ApiResponse<Object> created = things.putThingWithHttpInfo("nl.test.client:lamp-2", thing, null, "*");
        ObjectNode patch = JSON.createObjectNode().put("laeq", 74.5).putNull("peak");
        ApiResponse<Object> merged = things.patchFeatureSectionWithHttpInfo("nl.test.client:lamp-2", "noise",
                "properties", patch, "\"1\"", null);

        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(created.getHeaders().get("ETag")).containsExactly("\"1\"");
        Received put = received.get(0);
        assertThat(put.header("If-None-Match")).isEqualTo("*");
        assertThat(put.header("Content-Type")).isEqualTo("application/json");
        // exactly what was set: no empty "definition" (Ditto refuses it) or "features" a partner did not give
        assertThat(JSON.readTree(put.body())).isEqualTo(JSON.readTree("""
                {"thingId":"nl.test.client:lamp-2",
                 "attributes":{"location":{"type":"Point","coordinates":[5.4787,51.4418]},"zone":"stratumseind",
                               "floor":2},
                 "features":{"noise":{"properties":{"laeq":61.5}}}}"""));
        assertThat(merged.getStatusCode()).isEqualTo(204);
        assertThat(merged.getData()).isNull();
        assertThat(merged.getHeaders().get("ETag")).containsExactly("\"2\"");
        Received patchRequest = received.get(1);
        assertThat(patchRequest.header("Content-Type")).isEqualTo("application/merge-patch+json");
        assertThat(patchRequest.header("If-Match")).isEqualTo("\"1\"");
        JsonNode sent = JSON.readTree(patchRequest.body());
        assertThat(sent.get("laeq").asDouble()).isEqualTo(74.5);
        assertThat(sent.has("peak")).as("null removes in a merge patch, so it must be sent: %s", sent).isTrue();
        assertThat(sent.get("peak").isNull()).isTrue();
    }

    private static Problem problem(ApiException refused) {
        try {
            return ApiClient.createDefaultObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        } catch (IOException e) {
            throw new AssertionError("not a problem document: " + refused.getResponseBody(), e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + path, new Answer(404,
                    "application/problem+json", "{\"status\":404,\"title\":\"Not found\",\"detail\":\"nothing canned at "
                    + path + "\"}", Map.of()));
            answer.headers().forEach(exchange.getResponseHeaders()::add);
            byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
            if (answer.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
