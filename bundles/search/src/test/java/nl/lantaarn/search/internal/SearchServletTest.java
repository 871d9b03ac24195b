package nl.lantaarn.search.internal;

import org.eclipse.ditto.json.JsonPointer;

import nl.lantaarn.security.api.ThingAccess;

import static nl.lantaarn.search.internal.TestThings.noise;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.twin.api.TwinService;

/** The search servlet in a real Jetty on a free port, spoken to over real HTTP. */
class SearchServletTest {

    /** Access for tests of search itself: every client reads everything (the policies have their own tests). */
    static final ThingAccess OPEN = new ThingAccess() {
        @Override
        public boolean readsEverything(ApiClient client) {
            return true;
        }

        @Override
        public Optional<JsonObject> readable(ApiClient client, JsonObject thing) {
            return Optional.of(thing);
        }

        @Override
        public boolean mayRead(ApiClient client, JsonObject thing, JsonPointer path) {
            return true;
        }

        @Override
        public boolean mayWrite(ApiClient client, JsonObject thing, JsonPointer path) {
            return false;
        }
    };

    @TempDir
    static Path zonesFolder;
    private static final Map<ThingId, Thing> THINGS = new TreeMap<>();
    private static ZoneRegistry zones;
    private static SearchIndex index;
    private static Server server;
    private static String base;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Files.copy(Path.of("../../zones/stratumseind.geojson"), zonesFolder.resolve("stratumseind.geojson"));
        zones = new ZoneRegistry(zonesFolder, 60_000);
        for (int i = 1; i <= 30; i++) {
            // 30 sensors along a line going north from Stratumseind, 10 m apart, laeq 50..79
            Thing thing = noise(String.format("noise-%02d", i), 51.4418 + (i - 1) * 0.00009, 5.4787, 49 + i,
                    "stratumseind", 1);
            THINGS.put(thing.getEntityId().orElseThrow(), thing);
        }
        index = new SearchIndex(new ArrayList<>(THINGS.values()), zones, 1024);
        // a proxy: only what the servlet uses, whatever else the interface grows
        TwinService twin = (TwinService) Proxy.newProxyInstance(TwinService.class.getClassLoader(),
                new Class<?>[] {TwinService.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "retrieve" -> Optional.ofNullable(THINGS.get((ThingId) args[0]));
                    case "list" -> List.copyOf(THINGS.values());
                    case "size" -> THINGS.size();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new SearchServlet(twin, index.engine(), zones, SearchServletTest::client, OPEN)), "/api/v1/search/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/api/v1/search";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        index.close();
        zones.close();
    }

    static final String READER_KEY = "reader-key";
    static final String NO_ROLE_KEY = "no-role-key";

    /** The hub's Authenticator contract: a reader key, a key of a client without roles, nothing else. */
    static Optional<ApiClient> client(String authorization, String apiKey) {
        String key = apiKey != null ? apiKey : authorization == null ? null : authorization.replaceFirst("^Bearer ", "");
        if (READER_KEY.equals(key)) {
            return Optional.of(new ApiClient("dashboard", Set.of(Role.READER), "crowd levels"));
        }
        return NO_ROLE_KEY.equals(key) ? Optional.of(new ApiClient("nobody", Set.of(), "")) : Optional.empty();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return get(path, READER_KEY);
    }

    private static HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readsNeedAKeyWithARole() throws Exception {
        for (String path : List.of("/things", "/things/count", "/zones")) {
            HttpResponse<String> anonymous = get(path, null);
            assertThat(anonymous.statusCode()).as("%s without a key: %s", path, anonymous.body()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Bearer"));
            assertThat(anonymous.body()).contains("./lantaarn clients add");
            HttpResponse<String> unknown = get(path, "not-a-key");
            assertThat(unknown.statusCode()).as("%s with an unknown key", path).isEqualTo(401);
            HttpResponse<String> noRole = get(path, NO_ROLE_KEY);
            assertThat(noRole.statusCode()).as("%s by a client without role: %s", path, noRole.body()).isEqualTo(403);
            assertThat(noRole.body()).contains("role reader").contains("'nobody'");
            assertThat(get(path, READER_KEY).statusCode()).as("%s by a reader", path).isEqualTo(200);
        }
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void searchesPagesAndSelectsFields() throws Exception {
        String query = "/things?filter=" + q("gt(features/noise/properties/laeq,70)")
                + "&sort=" + q("sort(-features/noise/properties/laeq)") + "&size=4"
                + "&fields=" + q("thingId,features/noise/properties/laeq");
        HttpResponse<String> first = get(query);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("API-Version")).contains(SearchServlet.API_VERSION);
        assertThat(first.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonObject body = JsonObject.of(first.body());
        JsonArray items = body.getValue("items").orElseThrow().asArray();
        assertThat(items.getSize()).isEqualTo(4);
        assertThat(items.get(0).orElseThrow().asObject()).isEqualTo(JsonObject.of(
                "{\"thingId\":\"nl.eindhoven.safety:noise-30\",\"features\":{\"noise\":{\"properties\":{\"laeq\":79.0}}}}"));
        List<String> seen = new ArrayList<>();
        items.forEach(item -> seen.add(item.asObject().getValue("thingId").orElseThrow().asString()));
        String cursor = body.getValue("cursor").orElseThrow().asString();
        while (cursor != null) {
            JsonObject page = JsonObject.of(get(query + "&cursor=" + q(cursor)).body());
            page.getValue("items").orElseThrow().asArray()
                    .forEach(item -> seen.add(item.asObject().getValue("thingId").orElseThrow().asString()));
            cursor = page.getValue("cursor").map(v -> v.asString()).orElse(null);
        }
        assertThat(seen).hasSize(9).doesNotHaveDuplicates();
        assertThat(seen.get(8)).isEqualTo("nl.eindhoven.safety:noise-22");

        // without fields: whole things; default size 25
        JsonObject all = JsonObject.of(get("/things").body());
        assertThat(all.getValue("items").orElseThrow().asArray().getSize()).isEqualTo(25);
        assertThat(all.getValue("items").orElseThrow().asArray().get(0).orElseThrow().asObject()
                .getValue("attributes/zone").orElseThrow().asString()).isEqualTo("stratumseind");
        assertThat(get("/things/count?filter=" + q("ge(features/noise/properties/laeq,75)")).body()).isEqualTo("5");
    }

    @Test
    void geoParameters() throws Exception {
        // noise-01 is at the point, noise-02 about 10 m north, noise-03 about 20 m
        JsonObject near = JsonObject.of(get("/things?near=51.4418,5.4787,15&fields=thingId").body());
        assertThat(near.getValue("items").orElseThrow().asArray().getSize()).isEqualTo(2);
        assertThat(get("/things/count?bbox=5.478,51.4418,5.479,51.44199").body()).isEqualTo("3");
        // the zone's outline ends at latitude 51.4428: noise-01 .. noise-12
        assertThat(get("/things/count?zone=stratumseind").body()).isEqualTo("12");
        assertThat(get("/things/count?zone=stratumseind&filter=" + q("gt(features/noise/properties/laeq,55)")).body())
                .isEqualTo("6");
        JsonObject zoneList = JsonObject.of(get("/zones").body());
        assertThat(zoneList.getValue("items").orElseThrow().asArray().get(0).orElseThrow().asObject()
                .getValue("name").orElseThrow().asString()).isEqualTo("Stratumseind, Eindhoven");
    }

    @Test
    void badRequestsAreProblemDocumentsNamingTheError() throws Exception {
        HttpResponse<String> bad = get("/things?filter=" + q("and(gt(features/noise/properties/laeq,70),eq(thingId"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonObject problem = JsonObject.of(bad.body());
        assertThat(problem.getValue("status").orElseThrow().asInt()).isEqualTo(400);
        assertThat(problem.getValue("parameter").orElseThrow().asString()).isEqualTo("filter");
        assertThat(problem.getValue("position").orElseThrow().asInt()).isEqualTo(53);
        assertThat(problem.getValue("detail").orElseThrow().asString())
                .startsWith("The filter is not valid RQL at position 53:");

        assertProblem(get("/things?zone=nowhere"), "zone", "Zone 'nowhere' is not known; the known zones are stratumseind");
        assertProblem(get("/things?near=51.44,abc,10"), "near", "'abc' in near is not a number");
        assertProblem(get("/things?bbox=1,2,3"), "bbox", "takes 4 numbers");
        assertProblem(get("/things?within=" + q("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}")),
                "within", "invalid geometry: Self-intersection");
        assertProblem(get("/things?size=1000"), "size", "from 1 to 200");
        assertProblem(get("/things?size=ten"), "size", "from 1 to 200");
        assertProblem(get("/things?cursor=abc"), "cursor", "not one this hub handed out");
        assertProblem(get("/things?sort=" + q("sort(+nothing)")), "sort", "'nothing' cannot be searched");
        assertProblem(get("/things?fields=" + q("attributes(location")), "fields", "'fields' must be");
        assertProblem(get("/things?filtr=x"), "filtr", "Unknown query parameter 'filtr'");
        assertProblem(get("/things?filter=a&filter=b"), "filter", "more than once");
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/things"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    }

    private static void assertProblem(HttpResponse<String> response, String parameter, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonObject problem = JsonObject.of(response.body());
        assertThat(problem.getValue("parameter").orElseThrow().asString()).isEqualTo(parameter);
        assertThat(problem.getValue("detail").orElseThrow().asString()).contains(detail);
    }
    /** Regression: a cursor that decodes to the cursor's shape with a wrong member was a 500. */
    @Test
    void aGarbledCursorIsA400() throws Exception {
        for (String json : List.of("[1,\"x\",[],\"a:b\"]", "[1,{},[],\"a:b\"]", "[1,0,[[\"x\"]],\"a:b\"]",
                "[1,0,[],5]", "[\"1\",0,[],\"a:b\"]")) {
            String cursor = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(json.getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> answer = get("/things?cursor=" + cursor);
            assertThat(answer.statusCode()).as(json).isEqualTo(400);
            assertThat(JsonObject.of(answer.body()).getValue("parameter").orElseThrow().asString()).isEqualTo("cursor");
        }
    }

    /** Regression: a query string the container cannot decode ('%zz') made every getParameter throw: a 500. */
    @Test
    void anUndecodableQueryStringIsAProblem() throws Exception {
        int port = URI.create(base).getPort();
        for (String query : List.of("filter=%zz", "filter=eq(thingId,%22%E2%82%22)", "%", "size=1&cursor=%2")) {
            nl.lantaarn.http.internal.RawHttp.Response answer = nl.lantaarn.http.internal.RawHttp.exchange(port, "GET",
                    "/api/v1/search/things?" + query, Map.of("X-API-Key", READER_KEY), null, false,
                    java.time.Duration.ofSeconds(10));
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat(answer.problemDetail()).as(query).contains("cannot be decoded");
        }
    }
}
