package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import nl.lantaarn.api.client.HealthApi;
import nl.lantaarn.api.client.HistoryApi;
import nl.lantaarn.api.client.SearchApi;
import nl.lantaarn.api.client.ThingsApi;
import nl.lantaarn.api.client.invoker.ApiClient;
import nl.lantaarn.api.client.invoker.ApiException;
import nl.lantaarn.api.client.invoker.ApiResponse;
import nl.lantaarn.api.client.model.Attributes;
import nl.lantaarn.api.client.model.Feature;
import nl.lantaarn.api.client.model.GeoJsonPoint;
import nl.lantaarn.api.client.model.Health;
import nl.lantaarn.api.client.model.HealthStatus;
import nl.lantaarn.api.client.model.History;
import nl.lantaarn.api.client.model.HistoryBucketsInner;
import nl.lantaarn.api.client.model.HistoryPointsInner;
import nl.lantaarn.api.client.model.Problem;
import nl.lantaarn.api.client.model.SearchResult;
import nl.lantaarn.api.client.model.Thing;

/**
 * A partner's program against the hub: the distribution's hub runs as a process (like {@link ApiContractIT}) with a
 * {@code writer} and a {@code reader} client, and everything below goes through the Java client that api/client
 * generates from {@code api/openapi.yaml}, and nothing else. Where the generated client cannot talk to the hub, the
 * contract and the hub disagree (or the contract says something a generator cannot use).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnerClientIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String THING = "nl.test.partner:lamp-1";

    private final String writerKey = "writer-" + UUID.randomUUID();
    private final String readerKey = "reader-" + UUID.randomUUID();
    private LauncherProcess.Runs runs;
    private String baseUri;

    @BeforeAll
    void startHub() throws Exception {
        runs = LauncherProcess.Runs.of(PartnerClientIT.class, "partner", PATIENCE);
        runs.assertDistributionFresh();
        Path home = runs.work().resolve("home");
        for (String folder : List.of("etc", "routes")) {
            Files.createDirectories(home.resolve(folder));
            try (Stream<Path> files = Files.list(runs.repository().resolve(folder))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, home.resolve(folder).resolve(file.getFileName()));
                }
            }
        }
        // two partners, as ./lantaarn clients add writes them
        client(home, "writer-partner", "writer", writerKey);
        client(home, "reader-partner", "reader", readerKey);

        int httpPort = HubTestOptions.freePort();
        baseUri = "http://127.0.0.1:" + httpPort + "/api/v1";
        LauncherProcess hub = runs.launchHub("hub", home, httpPort, HubTestOptions.freePort(), "start");
        hub.awaitReadyLine();
        ThingsApi writer = new ThingsApi(client(writerKey));
        await("the hub's API at port " + httpPort + " knowing the writer (see " + runs.work() + ")").atMost(PATIENCE)
                .pollInterval(POLL).until(() -> {
                    assertThat(hub.process().isAlive()).as("the hub is running: %s", hub.describe()).isTrue();
                    return answers(() -> writer.listThings(1, 0, null));
                });
    }

    @AfterAll
    void stopHub() {
        if (runs != null) {
            assertThat(runs.stopAll(Duration.ofSeconds(60))).as("processes that outlived the test").isEmpty();
        }
    }

    @Test
    void anonymousGetsHealthButNoThings() throws Exception {
        ApiClient anonymous = client(null);

        Health health = new HealthApi(anonymous).getHealth();
        assertThat(health.getStatus()).isIn(HealthStatus.UP, HealthStatus.DEGRADED);
        assertThat(health.getComponents()).containsKey("twin");
        assertThat(health.getComponents().get("twin").getStatus()).isEqualTo(HealthStatus.UP);

        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> new ThingsApi(anonymous).listThings(null, null, null));
        assertThat(refused).as("an anonymous read").isNotNull();
        assertThat(refused.getCode()).isEqualTo(401);
        assertThat(refused.getResponseHeaders().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        Problem problem = problem(refused);
        assertThat(problem.getStatus()).isEqualTo(401);
        assertThat(problem.getDetail()).contains("./lantaarn clients add");
    }

    @Test
    void aWriterCreatesReadsMergesListsAndFindsAThing() throws Exception {
        ApiClient client = client(writerKey);
        ThingsApi things = new ThingsApi(client);
        Attributes attributes = new Attributes().zone("stratumseind").vendor("partner-test")
                .location(new GeoJsonPoint().type(GeoJsonPoint.TypeEnum.POINT)
                        .coordinates(List.of(new BigDecimal("5.4787"), new BigDecimal("51.4418"))));
        attributes.putAdditionalProperty("mast", "M-17");
        Thing lamp = new Thing().thingId(THING).attributes(attributes)
                .features(Map.of("noise", new Feature().definition(List.of("org.fiware:NoiseLevelObserved:1.0.0"))
                        .properties(Map.of("laeq", 61.5))));

        // create only: If-None-Match *
        ApiResponse<Object> created = things.putThingWithHttpInfo(THING, lamp, null, "*");
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(created.getHeaders().get("Location")).containsExactly("/api/v1/things/" + THING);
        String etag = created.getHeaders().get("ETag").get(0);
        ApiException again = catchThrowableOfType(ApiException.class,
                () -> things.putThing(THING, lamp, null, "*"));
        assertThat(again.getCode()).as("a second create").isEqualTo(412);

        ApiResponse<Thing> read = things.getThingWithHttpInfo(THING, null);
        assertThat(read.getHeaders().get("ETag")).containsExactly(etag);
        Thing thing = read.getData();
        assertThat(thing.getThingId()).isEqualTo(THING);
        assertThat(thing.getAttributes().getZone()).isEqualTo("stratumseind");
        assertThat(thing.getAttributes().getLocation().getCoordinates())
                .containsExactly(new BigDecimal("5.4787"), new BigDecimal("51.4418"));
        assertThat(thing.getAttributes().getAdditionalProperty("mast")).isEqualTo("M-17");
        assertThat(thing.getFeatures().get("noise").getDefinition())
                .containsExactly("org.fiware:NoiseLevelObserved:1.0.0");
        assertThat(thing.getFeatures().get("noise").getProperties()).containsEntry("laeq", 61.5);
        assertThat(things.getAttribute(THING, "zone")).isEqualTo("stratumseind");
        // deeper than one segment through fields: a path parameter with a slash is sent as %2F, which the hub's Jetty
        // refuses (400 "Ambiguous URI path separator"; README of api/client)
        assertThat(things.getThing(THING, "attributes/location/coordinates").getAttributes().getLocation()
                .getCoordinates()).containsExactly(new BigDecimal("5.4787"), new BigDecimal("51.4418"));
        Thing selected = things.getThing(THING, "thingId,_revision,_modified");
        assertThat(selected.getRevision()).isEqualTo(Long.parseLong(etag.replace("\"", "")));
        assertThat(selected.getModified()).isBefore(OffsetDateTime.now().plusMinutes(1));
        assertThat(selected.getAttributes()).isNull();

        // merge a property (and remove another one: null in a merge patch) at the revision just read
        things.putProperty(THING, "noise", "properties", "peak", 80.0, null, null);
        String current = things.getThingWithHttpInfo(THING, null).getHeaders().get("ETag").get(0);
        ApiResponse<Object> merged = things.patchFeatureSectionWithHttpInfo(THING, "noise", "properties",
                JsonNodeFactory.instance.objectNode().put("laeq", 74.5).putNull("peak"), current, null);
        assertThat(merged.getStatusCode()).isEqualTo(204);
        assertThat(merged.getHeaders().get("ETag").get(0)).isNotEqualTo(current);
        assertThat(things.getProperty(THING, "noise", "properties", "laeq")).isEqualTo(74.5);
        ApiException gone = catchThrowableOfType(ApiException.class,
                () -> things.getProperty(THING, "noise", "properties", "peak"));
        assertThat(gone.getCode()).as("the property the patch removed").isEqualTo(404);
        ApiException stale = catchThrowableOfType(ApiException.class, () -> things.patchFeatureSection(THING, "noise",
                "properties", Map.of("laeq", 50.0), current, null));
        assertThat(stale.getCode()).as("a merge at a revision that is gone").isEqualTo(412);
        assertThat(problem(stale).getDetail()).isNotBlank();

        // list: the thing, and the total in X-Total-Count
        ApiResponse<List<Thing>> page = things.listThingsWithHttpInfo(100, 0, "thingId");
        assertThat(page.getData()).extracting(Thing::getThingId).contains(THING);
        assertThat(Integer.parseInt(page.getHeaders().get("X-Total-Count").get(0)))
                .isGreaterThanOrEqualTo(page.getData().size());

        // history: both values of laeq, raw and per hour
        HistoryApi history = new HistoryApi(client);
        History points = await("two points of laeq").atMost(PATIENCE).pollInterval(POLL).until(
                () -> history.getPropertyHistory(THING, "noise", "laeq", null, null, null, null),
                h -> h.getPoints() != null && h.getPoints().size() == 2);
        assertThat(points.getPoints()).extracting(HistoryPointsInner::getV).containsExactly(61.5, 74.5);
        History hourly = history.getPropertyHistory(THING, "noise", "laeq", OffsetDateTime.now().minusHours(2),
                OffsetDateTime.now().plusMinutes(1), "1h", 10);
        assertThat(hourly.getBuckets().stream().mapToLong(HistoryBucketsInner::getCount).sum()).isEqualTo(2);
        assertThat(hourly.getBuckets()).extracting(HistoryBucketsInner::getMax)
                .allSatisfy(max -> assertThat(max).isLessThanOrEqualTo(new BigDecimal("74.5")));

        // search: by laeq and near the lamp, and counted
        SearchApi search = new SearchApi(client);
        String mine = "and(like(thingId,\"nl.test.partner:*\"),gt(features/noise/properties/laeq,70))";
        SearchResult found = await("the lamp in search").atMost(PATIENCE).pollInterval(POLL).until(
                () -> search.searchThings(null, 10, null, "thingId,attributes/zone", mine, "51.4418,5.4787,50", null,
                        null, null),
                result -> result.getItems().size() == 1);
        assertThat(found.getItems().get(0).getThingId()).isEqualTo(THING);
        assertThat(found.getItems().get(0).getAttributes().getZone()).isEqualTo("stratumseind");
        assertThat(search.countThings(mine, null, null, null, null)).isEqualTo(1);
        assertThat(search.searchThings(null, null, null, null, mine, "51.4518,5.4787,50", null, null, null)
                .getItems()).as("a point 1.1 km away").isEmpty();
        ApiException badFilter = catchThrowableOfType(ApiException.class, () -> search.countThings(
                "gt(features/noise/properties/laeq,7O)", null, null, null, null));
        assertThat(badFilter.getCode()).isEqualTo(400);

        things.deleteThing(THING, null);
        assertThat(catchThrowableOfType(ApiException.class, () -> things.getThing(THING, null)).getCode())
                .isEqualTo(404);
    }

    @Test
    void aReaderReadsButMayNotWrite() throws Exception {
        ThingsApi reader = new ThingsApi(client(readerKey));
        assertThat(reader.listThings(1, 0, null)).isNotNull();

        ApiException forbidden = catchThrowableOfType(ApiException.class,
                () -> reader.putAttribute("nl.test.partner:reader-1", "zone", "markt", null, null));

        assertThat(forbidden).as("a reader's write").isNotNull();
        assertThat(forbidden.getCode()).isEqualTo(403);
        Problem problem = problem(forbidden);
        assertThat(problem.getStatus()).isEqualTo(403);
        assertThat(problem.getDetail()).contains("writer");
    }

    /** The generated client as a partner sets it up: base URI, and the key as a bearer token on every request. */
    private ApiClient client(String key) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUri);
        client.setConnectTimeout(Duration.ofSeconds(5));
        client.setReadTimeout(Duration.ofSeconds(30));
        if (key != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        }
        return client;
    }

    private static void client(Path home, String name, String role, String key) throws IOException {
        Files.writeString(home.resolve("etc/nl.lantaarn.http.client-" + name + ".cfg"), """
                name = %s
                roles = %s
                purpose = partner client test
                keyHash = sha256:%s
                """.formatted(name, role, HubHome.sha256(key)));
    }

    /** True once the call answers; false while the hub is not listening or does not know the key yet. */
    private static boolean answers(Callable<?> call) throws Exception {
        try {
            call.call();
            return true;
        } catch (ApiException e) {
            if (Set.of(0, 401, 503).contains(e.getCode())) {
                return false;
            }
            throw e;
        }
    }

    private static Problem problem(ApiException refused) {
        assertThat(refused.getResponseHeaders().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        try {
            return ApiClient.createDefaultObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        } catch (IOException e) {
            throw new AssertionError("not a problem document: " + refused.getResponseBody(), e);
        }
    }
}
