package nl.lantaarn.ditto.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * {@code /api/2} over real HTTP against the real twin and the hub's real access policies ({@link Partners}): roles,
 * things and parts cut to what a client may read, writes that need WRITE, and a search that matches only on what the
 * client may read.
 */
class DittoHttpServletTest {

    private static final String NOISE = "/api/2/things/" + Partners.NOISE;

    @TempDir
    Path folder;

    private TwinServiceComponent twin;
    private Server server;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile List<String> searchResult = List.of();

    @BeforeEach
    void start() throws Exception {
        twin = new TwinServiceComponent(new MemoryTwinStore());
        Partners.seed(twin);
        DittoHttpServlet servlet = new DittoHttpServlet(twin, Partners.authenticator(), Partners.policies(folder));
        servlet.setSearch(new ThingSearch() {
            @Override
            public List<String> thingIds(String rqlFilter, Near near, String zone, int limit) {
                return searchResult;
            }

            @Override
            public List<String> zonesAt(double longitude, double latitude) {
                return List.of();
            }

            @Override
            public Optional<ZoneInfo> zone(String zoneId) {
                return Optional.empty();
            }
        });
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/api/2/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        twin.deactivate();
    }

    private HttpResponse<String> call(String method, String path, String key, String body, String contentType,
            String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        return call("GET", path, key, null, null);
    }

    private static JsonObject json(HttpResponse<String> response) {
        return JsonObject.of(response.body());
    }

    @Test
    void aReaderIsRefusedAModifyWithDittosErrorAnd403() throws Exception {
        HttpResponse<String> refused = call("PUT", NOISE + "/features/noise/properties/laeq", "police-key", "10",
                "application/json");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonObject error = json(refused);
        assertThat(error.getValue("status")).contains(JsonValue.of(403));
        assertThat(error.getValue("error")).contains(JsonValue.of("things:feature.property.notmodifiable"));
        assertThat(error.getValue("message").map(JsonValue::asString)).hasValueSatisfying(
                message -> assertThat(message).contains("role writer", "'police'"));
        assertThat(error.getValue("description").map(JsonValue::asString)).hasValueSatisfying(
                description -> assertThat(description).contains("./lantaarn clients add"));
        assertThat(call("DELETE", NOISE, "police-key", null, null).statusCode()).isEqualTo(403);
        assertThat(twin.retrieve(Partners.NOISE)).isPresent();

        HttpResponse<String> noRole = get(NOISE, "nobody-key");
        assertThat(noRole.statusCode()).isEqualTo(403);
        assertThat(json(noRole).getValue("error")).contains(JsonValue.of(Enforcement.ROLE_INSUFFICIENT));
        assertThat(get("/api/2/search/things", "nobody-key").statusCode()).isEqualTo(403);
    }

    @Test
    void aRevokedPropertyIsAbsentForOnePartnerAndPresentForAnother() throws Exception {
        HttpResponse<String> app = get(NOISE, "wijkapp-key");
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(json(app).getValue(Partners.LAEQ)).isEmpty();
        assertThat(json(app).getValue(Partners.LAMAX)).contains(JsonValue.of(80.1));
        assertThat(app.body()).doesNotContain("71.5");
        HttpResponse<String> police = get(NOISE, "police-key");
        assertThat(json(police).getValue(Partners.LAEQ)).contains(JsonValue.of(71.5));

        // fields select within what it may read
        HttpResponse<String> selected = get(NOISE + "?fields=thingId,features/noise/properties", "wijkapp-key");
        assertThat(json(selected).getValue("features/noise/properties"))
                .contains(JsonObject.of("{\"lamax\":80.1}"));

        // the hidden property is a 404 exactly like a missing one; its feature comes without it
        HttpResponse<String> hidden = get(NOISE + "/features/noise/properties/laeq", "wijkapp-key");
        HttpResponse<String> missing = get(NOISE + "/features/noise/properties/nothing", "wijkapp-key");
        assertThat(hidden.statusCode()).isEqualTo(missing.statusCode()).isEqualTo(404);
        assertThat(json(hidden).getValue("error")).isEqualTo(json(missing).getValue("error"))
                .contains(JsonValue.of("things:feature.property.notfound"));
        assertThat(get(NOISE + "/features/noise/properties/laeq", "police-key").body()).isEqualTo("71.5");
        assertThat(JsonObject.of(get(NOISE + "/features/noise", "wijkapp-key").body())
                .getValue("properties/laeq")).isEmpty();

        // a thing outside its domain is answered like one that does not exist
        HttpResponse<String> lamp = get("/api/2/things/" + Partners.LAMP, "wijkapp-key");
        HttpResponse<String> none = get("/api/2/things/nl.eindhoven.lighting:no-such-lamp", "wijkapp-key");
        assertThat(lamp.statusCode()).isEqualTo(none.statusCode()).isEqualTo(404);
        assertThat(json(lamp).getValue("error")).isEqualTo(json(none).getValue("error"))
                .contains(JsonValue.of("things:thing.notfound"));
        assertThat(get("/api/2/things/" + Partners.LAMP, "police-key").statusCode()).isEqualTo(200);
    }

    @Test
    void writesNeedWriteOnEveryWrittenPath() throws Exception {
        HttpResponse<String> put = call("PUT", NOISE + "/features/noise/properties/laeq", "maintainer-key", "10",
                "application/json");
        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(json(put).getValue("message").map(JsonValue::asString)).hasValueSatisfying(
                message -> assertThat(message).contains("thing:/features/noise/properties/laeq", "'maintainer'"));

        HttpResponse<String> merge = call("PATCH", NOISE + "/features/noise/properties", "maintainer-key",
                "{\"laeq\":1,\"lamax\":2}", "application/merge-patch+json");
        assertThat(merge.statusCode()).isEqualTo(403);
        assertThat(twin.retrieve(Partners.NOISE).orElseThrow().toJson().getValue(Partners.LAMAX))
                .contains(JsonValue.of(80.1));

        HttpResponse<String> allowed = call("PATCH", NOISE + "/features/noise/properties", "maintainer-key",
                "{\"lamax\":2}", "application/merge-patch+json");
        assertThat(allowed.statusCode()).isEqualTo(204);
        HttpResponse<String> created = call("PUT", NOISE + "/attributes/floor", "maintainer-key", "3",
                "application/json");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains(NOISE + "/attributes/floor");
        assertThat(twin.retrieve(Partners.NOISE).orElseThrow().toJson().getValue("attributes/floor"))
                .contains(JsonValue.of(3));
        assertThat(twin.retrieve(Partners.NOISE).orElseThrow().toJson().getValue(Partners.LAEQ))
                .contains(JsonValue.of(71.5));
    }

    @Test
    void thingsAreCreatedChangedAndDeletedAsInDittosHttpApi() throws Exception {
        String lamp = "/api/2/things/nl.eindhoven.lighting:lamp-2";
        HttpResponse<String> created = call("PUT", lamp, "maintainer-key",
                "{\"attributes\":{\"zone\":\"centrum\"}}", "application/json");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains(lamp);
        assertThat(json(created).getValue("attributes/zone")).contains(JsonValue.of("centrum"));
        assertThat(call("PUT", lamp + "/attributes/zone", "maintainer-key", "\"markt\"", "application/json")
                .statusCode()).isEqualTo(204);
        HttpResponse<String> stale = call("PUT", lamp + "/attributes/zone", "maintainer-key", "\"x\"",
                "application/json", "If-Match", "\"rev:999\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(get(lamp + "/attributes/zone", "police-key").body()).isEqualTo("\"markt\"");
        HttpResponse<String> unknownPart = get(lamp + "/colour", "police-key");
        assertThat(unknownPart.statusCode()).isBetween(400, 499);
        assertThat(json(unknownPart).getValue("message").map(JsonValue::asString)).hasValueSatisfying(
                message -> assertThat(message).contains("colour"));
        assertThat(call("DELETE", lamp + "/attributes/zone", "maintainer-key", null, null).statusCode())
                .isEqualTo(204);
        assertThat(get(lamp + "/attributes/zone", "police-key").statusCode()).isEqualTo(404);
        // as in Ditto, a revoke counts below every path it covers: deleting a whole thing needs WRITE on all of it
        HttpResponse<String> whole = call("DELETE", lamp, "maintainer-key", null, null);
        assertThat(whole.statusCode()).isEqualTo(403);
        assertThat(json(whole).getValue("error")).contains(JsonValue.of("things:thing.notmodifiable"));
    }

    @Test
    void aSearchOnAHiddenPropertyFindsNothingAndResultsAreCut() throws Exception {
        searchResult = List.of(Partners.LAMP.toString(), Partners.NOISE.toString());
        String onLaeq = "/api/2/search/things?filter="
                + URLEncoder.encode("gt(features/noise/properties/laeq,50)", StandardCharsets.UTF_8);
        HttpResponse<String> app = get(onLaeq, "wijkapp-key");
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(json(app).getValue("items")).contains(JsonArray.empty());
        assertThat(json(get(onLaeq, "police-key")).getValue("items").orElseThrow().asArray()).hasSize(2);

        String onLamax = "/api/2/search/things?filter="
                + URLEncoder.encode("gt(features/noise/properties/lamax,50)", StandardCharsets.UTF_8);
        JsonArray items = json(get(onLamax, "wijkapp-key")).getValue("items").orElseThrow().asArray();
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.asObject().getValue("thingId")).contains(JsonValue.of(Partners.NOISE.toString()));
            assertThat(item.asObject().getValue(Partners.LAEQ)).isEmpty();
            assertThat(item.asObject().getValue(Partners.LAMAX)).contains(JsonValue.of(80.1));
        });
    }
    // ---- regressions found by DittoFuzzTest ----

    /** An empty correlation-id made Ditto's header builder throw before the error handling: Jetty's HTML 500. */
    @Test
    void anEmptyCorrelationIdIsA400() throws Exception {
        nl.lantaarn.http.internal.RawHttp.Response answer = nl.lantaarn.http.internal.RawHttp.exchange(port, "GET",
                NOISE, java.util.Map.of("Authorization", "Bearer police-key", "correlation-id", ""), null, false,
                java.time.Duration.ofSeconds(10));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(JsonObject.of(answer.text()).getValue("message").map(JsonValue::asString))
                .hasValueSatisfying(message -> assertThat(message).contains("correlation-id"));
    }

    /** A filter with '%zz' made every getParameter throw Jetty's BadMessageException: a 500. */
    @Test
    void anUndecodableQueryStringIsA400() throws Exception {
        for (String query : List.of("filter=%zz", "filter=like(attributes/x,%22%E2%82%22)", "fields=%")) {
            nl.lantaarn.http.internal.RawHttp.Response answer = nl.lantaarn.http.internal.RawHttp.exchange(port,
                    "GET", "/api/2/search/things?" + query, java.util.Map.of("Authorization", "Bearer police-key"),
                    null, false, java.time.Duration.ofSeconds(10));
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat(JsonObject.of(answer.text()).getValue("error")).contains(JsonValue.of("gateway:query.invalid"));
        }
    }

    /** Deleting a feature definition that is not there: Ditto's registry has no error for it (the lookup threw). */
    @Test
    void deletingAMissingFeatureDefinitionIsA404() throws Exception {
        HttpResponse<String> missing = call("DELETE", NOISE + "/features/noise/definition", "maintainer-key", null,
                null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).getValue("error")).contains(JsonValue.of("things:feature.definition.notfound"));
    }
}
