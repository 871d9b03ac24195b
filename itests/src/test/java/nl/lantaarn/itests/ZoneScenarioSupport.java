package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonValue;

/**
 * What the zone scenarios share (see routes/examples/): the example route copied into the hub's {@code routes/} with
 * the test's changes, the shipped zones copied into the hub's {@code zones/}, notification channels in {@code etc/},
 * things placed with the HTTP API, and the routes' counters, which say when a route has handled an event (each
 * {@code hub:events} route handles its events in order, one at a time).
 */
abstract class ZoneScenarioSupport extends SliceTestSupport {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private HttpClient http;

    /** A controller of the test's own, on the broker the hub uses; the caller closes it. */
    SimulatedLightingController controller(String id) {
        mqtt(); // waits for the broker
        boolean embedded = "embedded".equals(hub().property(HubTestOptions.MQTT_BROKER));
        return SimulatedLightingController.connect(id, hub().property(HubTestOptions.MQTT_HOST),
                hub().intProperty(HubTestOptions.MQTT_PORT), embedded ? "devices" : null,
                embedded ? devicesPassword() : null);
    }

    /**
     * Copies {@code routes/examples/<name>.yaml} into the hub's {@code routes/}, each key of {@code replacements}
     * (which must occur in the file) replaced by its value; written under a name the hub does not read, then renamed.
     */
    void addExampleRoute(String name, Map<String, String> replacements) {
        Path example = HubTestOptions.requiredPath(HubTestOptions.ROUTES).resolve("examples").resolve(name + ".yaml");
        Path routes = hub().home().resolve("routes");
        try {
            String text = Files.readString(example, StandardCharsets.UTF_8);
            for (Map.Entry<String, String> replacement : replacements.entrySet()) {
                assertThat(text).as("%s holds what the test changes", example).contains(replacement.getKey());
                text = text.replace(replacement.getKey(), replacement.getValue());
            }
            Path partial = routes.resolve(name + ".yaml.partial");
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, routes.resolve(name + ".yaml"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot add " + example + " to " + routes, e);
        }
    }

    /** Copies a zone file the distribution ships ({@code zones/} next to {@code routes/}) into the hub's home. */
    void addShippedZone(String file) {
        Path shipped = HubTestOptions.requiredPath(HubTestOptions.ROUTES).getParent().resolve("zones").resolve(file);
        try {
            writeZone(file, Files.readString(shipped, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the shipped zone " + shipped, e);
        }
    }

    /** Writes a zone file into the hub's {@code zones/} as a whole (the search bundle reads it within a second). */
    void writeZone(String file, String geojson) {
        Path zones = hub().home().resolve("zones");
        try {
            Files.createDirectories(zones);
            Path partial = zones.resolve(file + ".partial");
            Files.writeString(partial, geojson, StandardCharsets.UTF_8);
            Files.move(partial, zones.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + " into " + zones, e);
        }
    }

    /** Writes a file into the hub's etc/ as a whole: FileInstall reads it within a second. */
    void etc(String name, String content) {
        Path etc = hub().home().resolve("etc");
        try {
            Path partial = etc.resolve(name + ".partial");
            Files.writeString(partial, content, StandardCharsets.UTF_8);
            Files.move(partial, etc.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + name + " into " + etc, e);
        }
    }

    /** Waits until the hub reports {@code count} notification channels. */
    void awaitChannels(int count) {
        await(count + " notification channels").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response health = hub().get("/api/v1/health");
            assertThat(Hub.at(health.jsonObject(), "components/notifications/detail").map(JsonValue::asString)
                    .orElse("")).as("%s", health).matches(count + " channels(;.*)?");
        });
    }

    void awaitRouteStarted(String routeId) {
        await("route " + routeId + " started").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response route = hub().get("/api/v1/routes/" + routeId);
            assertThat(route.status()).as("%s", route).isEqualTo(200);
            assertThat(Hub.at(route.jsonObject(), "state")).as("%s", route).contains(JsonValue.of("Started"));
        });
    }

    /** A counter of a route ({@code in}, {@code out}, {@code failed}, {@code suppressed}, ...). */
    long counter(String routeId, String name) {
        Hub.Response route = hub().get("/api/v1/routes/" + routeId);
        assertThat(route.status()).as("%s", route).isEqualTo(200);
        return Hub.at(route.jsonObject(), "counters/" + name).map(JsonValue::asLong).orElseThrow(
                () -> new AssertionError("no counter " + name + " in " + route));
    }

    /**
     * Waits until {@code routeId} has completed {@code out} exchanges without error, then checks that exactly that
     * many entered it: the route has handled every event sent to it so far, and no other.
     */
    void awaitHandled(String routeId, long out) {
        await(routeId + " handled " + out + " events").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertThat(counter(routeId, "out")).as("out of %s", routeId).isEqualTo(out));
        assertThat(counter(routeId, "in")).as("in of %s", routeId).isEqualTo(out);
        assertThat(counter(routeId, "failed")).as("failed of %s", routeId).isZero();
    }

    /** Places a thing: merges {@code attributesJson} into its attributes over the HTTP API. */
    void setAttributes(String thingId, String attributesJson) {
        Hub.Response response = send("PATCH", "/api/v1/things/" + thingId + "/attributes",
                "application/merge-patch+json", attributesJson);
        assertThat(response.status()).as("%s", response).isIn(201, 204);
    }

    static String point(double lat, double lon) {
        return "{\"type\":\"Point\",\"coordinates\":[" + lon + "," + lat + "]}";
    }

    /** Waits until the search finds exactly {@code thingIds} among the things with {@code feature} in the zone. */
    void awaitInZone(String zone, String feature, List<String> thingIds) {
        String query = "/api/v1/search/things?zone=" + zone + "&size=200&filter="
                + URLEncoder.encode("exists(features/" + feature + ")", StandardCharsets.UTF_8);
        await(thingIds + " in zone " + zone).atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response response = hub().get(query);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            Hub.at(response.jsonObject(), "items").orElseThrow().asArray()
                    .forEach(item -> ids.add(Hub.at(item.asObject(), "thingId").orElseThrow().asString()));
            assertThat(ids).as("%s", response).containsExactlyInAnyOrderElementsOf(thingIds);
        });
    }

    /** A request with the tests' API key; {@code body} may be {@code null}. */
    Hub.Response send(String method, String path, String contentType, String body) {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        URI uri = URI.create("http://127.0.0.1:" + hub().property(HubTestOptions.HTTP_PORT) + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").header("X-API-Key", HubHome.API_KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Hub.Response(method + " " + path, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted during " + method + " " + uri, e);
        }
    }
}
