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
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;

/**
 * What the scenario tests of the example routes ({@code routes/examples}) share: the hub on its embedded broker in a
 * fresh home per class, adding an example and notification channels to the running hub as an operator does, writing
 * over the HTTP API, the routes' state and counters, the sensors' topics and things, and playing a street-light
 * controller that acknowledges commands. Public, so that Pax Exam finds {@link #config()} on every subclass.
 */
public abstract class ScenarioSupport extends SliceTestSupport {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The hub on its embedded broker, in a fresh home for the scenario's class. */
    @Configuration
    public Option[] config() {
        return HubTestOptions.embedded(getClass());
    }

    /** Copies {@code routes/examples/<name>.yaml} into the hub's {@code routes/} as it is (see below). */
    void addExampleRoute(String name) {
        addExampleRoute(name, Map.of());
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

    /** Waits until the hub reports {@code count} notification channels. */
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

    /** A counter of a route ({@code in}, {@code out}, {@code failed}, {@code suppressed}, ...). */
    long counter(String routeId, String name) {
        Hub.Response route = hub().get("/api/v1/routes/" + routeId);
        assertThat(route.status()).as("%s", route).isEqualTo(200);
        return Hub.at(route.jsonObject(), "counters/" + name).map(JsonValue::asLong).orElseThrow(
                () -> new AssertionError("no counter " + name + " in " + route));
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

    /** Places a thing: merges {@code attributesJson} into its attributes over the HTTP API. */
    void setAttributes(String thingId, String attributesJson) {
        Hub.Response response = send("PATCH", "/api/v1/things/" + thingId + "/attributes",
                "application/merge-patch+json", attributesJson);
        assertThat(response.status()).as("%s", response).isIn(201, 204);
    }

    /** Sets a thing's location as an operator does from the asset register (lamps report none themselves). */
    void setLocation(String thingId, double lat, double lon) {
        setAttributes(thingId, "{\"location\":" + point(lat, lon) + "}");
    }

    static String point(double lat, double lon) {
        return "{\"type\":\"Point\",\"coordinates\":[" + lon + "," + lat + "]}";
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

    /** The topic of an acoustic event sensor (sound-events adapter). */
    static String soundTopic(String sensor) {
        return "sound/" + sensor + "/events";
    }

    static String soundThing(String sensor) {
        return "nl.demo.safety:sound-" + sensor;
    }

    /** The topic of a people counter (crowd adapter). */
    static String crowdTopic(String counter) {
        return "crowd/" + counter + "/counts";
    }

    static String crowdThing(String counter) {
        return "nl.demo.crowd:crowd-" + counter;
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
