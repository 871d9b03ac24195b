package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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
import java.util.Optional;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

/**
 * What the scenario tests of the example routes ({@code routes/examples}) share: adding an example and notification
 * channels to the running hub as an operator does, writing over the HTTP API, and playing a street-light controller
 * that acknowledges commands.
 */
abstract class ScenarioSupport extends SliceTestSupport {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Copies {@code routes/examples/<name>.yaml} into the hub's routes/ under a name the hub does not read, then renames it. */
    void addExampleRoute(String name) {
        Path example = HubTestOptions.requiredPath(HubTestOptions.ROUTES).resolve("examples").resolve(name + ".yaml");
        Path routes = hub().home().resolve("routes");
        try {
            Path partial = Files.copy(example, routes.resolve(name + ".yaml.partial"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, routes.resolve(name + ".yaml"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot add " + example + " to " + routes, e);
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

    /** Configures a webhook notification channel {@code name} that posts to {@code receiver}. */
    void webhookChannel(String name, WebhookReceiver receiver, String secret) {
        etc("nl.lantaarn.notify.webhook-" + name + ".cfg", "url = " + receiver.url() + "\nsecret = " + secret + "\n");
    }

    void awaitChannels(int count) {
        await(count + " notification channels").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response health = hub().get("/api/v1/health");
            // the detail goes on after the count, e.g. with the outbox
            assertThat(text(health.jsonObject(), "components/notifications/detail").orElse("")).as("%s", health)
                    .matches(count + " channels\\b.*");
        });
    }

    void awaitRouteStarted(String routeId) {
        await("route " + routeId + " started").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response route = hub().get("/api/v1/routes/" + routeId);
            assertThat(route.status()).as("%s", route).isEqualTo(200);
            assertThat(Hub.at(route.jsonObject(), "state")).as("%s", route).contains(JsonValue.of("Started"));
        });
    }

    /** A counter of a route, e.g. {@code in}, {@code failed}. */
    int routeCounter(String routeId, String counter) {
        Hub.Response route = hub().get("/api/v1/routes/" + routeId);
        return Hub.at(route.jsonObject(), "counters/" + counter).map(JsonValue::asInt)
                .orElseThrow(() -> new AssertionError("no counter " + counter + " in " + route));
    }

    /** A write to the hub's HTTP API with the tests' API key; the answer as {@link Hub.Response}. */
    Hub.Response send(String method, String path, String contentType, String body) {
        URI uri = URI.create("http://127.0.0.1:" + hub().property(HubTestOptions.HTTP_PORT) + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
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

    /** Sets a thing's location as an operator does from the asset register (lamps report none themselves). */
    void setLocation(String thingId, double lat, double lon) {
        Hub.Response response = send("PATCH", "/api/v1/things/" + thingId + "/attributes",
                "application/merge-patch+json",
                "{\"location\":{\"type\":\"Point\",\"coordinates\":[" + lon + "," + lat + "]}}");
        assertThat(response.status()).as("%s", response).isIn(201, 204);
    }

    /** The alert JSON objects a receiver got, in order. */
    static List<JsonObject> alerts(WebhookReceiver receiver) {
        List<JsonObject> alerts = new ArrayList<>();
        receiver.requests().forEach(request -> alerts.add(JsonFactory.newObject(request.body())));
        return alerts;
    }

    static Optional<String> text(JsonObject object, String pointer) {
        return Hub.at(object, pointer).filter(JsonValue::isString).map(JsonValue::asString);
    }

    /**
     * A street-light controller on the lighting adapter's MQTT protocol: reports lamps and acknowledges every command
     * message once (a repeated one too, as the protocol asks).
     */
    final class Controller {

        private final String id;
        private int answered;

        Controller(String id) {
            this.id = id;
        }

        String lampTopic(String lamp) {
            return "lighting/" + id + "/lamp/" + lamp;
        }

        String lampThing(String lamp) {
            return "nl.demo.lighting:lamp-" + id + "-" + lamp;
        }

        /** Reports the lamp until it is a thing, then listens for its commands. */
        void report(String lamp, String state) {
            publishUntilThing(lampTopic(lamp) + "/state", state, lampThing(lamp));
        }

        void listen() {
            mqtt().subscribe("lighting/" + id + "/lamp/+/set");
        }

        /** Acknowledges the command messages not answered yet; returns all command messages of {@code lamp}. */
        List<JsonObject> commands(String lamp) {
            List<MqttTestClient.Message> all = new ArrayList<>(mqtt().received("lighting/" + id + "/lamp/"));
            all.removeIf(m -> !m.topic().endsWith("/set"));
            for (int i = answered; i < all.size(); i++) {
                String commandId = Hub.at(JsonFactory.newObject(all.get(i).payload()), "commandId").orElseThrow()
                        .asString();
                mqtt().publish("lighting/" + id + "/ack", "{\"commandId\":\"" + commandId + "\",\"status\":\"ok\"}");
            }
            answered = all.size();
            List<JsonObject> commands = new ArrayList<>();
            all.stream().filter(m -> m.topic().equals(lampTopic(lamp) + "/set"))
                    .forEach(m -> commands.add(JsonFactory.newObject(m.payload())));
            return commands;
        }
    }
}
