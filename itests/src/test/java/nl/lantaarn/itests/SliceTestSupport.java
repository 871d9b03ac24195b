package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import nl.lantaarn.mqtt.api.EmbeddedBroker;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.After;

/**
 * What the slice tests share: the hub, a connected MQTT client, sensor readings, and waiting for a thing to appear
 * over HTTP. Subclasses say which broker the hub uses (see {@link HubTestOptions}).
 */
abstract class SliceTestSupport {

    /** Generous: the machine may be busy; nothing waits longer than it must. */
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofMillis(500);
    static final String ALERTS = "lantaarn/alerts/safety";
    static final String MEASURED_AT = "2026-11-23T21:14:05Z";

    /** Where the broker keeps the generated password of the {@code devices} user. */
    static final String DEVICES_PASSWORD = "data/secrets/mqtt-devices.password";

    private Hub hub;
    private MqttTestClient mqtt;

    Hub hub() {
        if (hub == null) {
            hub = Hub.of(getClass());
        }
        return hub;
    }

    /** A client connected to the broker the hub uses: {@code devices} on the embedded broker, anonymous elsewhere. */
    MqttTestClient mqtt() {
        if (mqtt == null) {
            String host = hub().property(HubTestOptions.MQTT_HOST);
            int port = hub().intProperty(HubTestOptions.MQTT_PORT);
            boolean embedded = "embedded".equals(hub().property(HubTestOptions.MQTT_BROKER));
            if (embedded) {
                // registered only while the broker listens; the port says it runs with this test's etc/
                await("the embedded broker listening on port " + port).atMost(PATIENCE).pollInterval(POLL)
                        .until(() -> hub().context().getServiceReferences(EmbeddedBroker.class, "(port=" + port + ")")
                                .size() == 1);
            }
            String password = embedded ? devicesPassword() : null;
            AtomicReference<MqttTestClient> client = new AtomicReference<>();
            // a refused connection is an AssertionError and tried again; anything else ends the test at once
            await("MQTT connection to " + host + ":" + port).atMost(PATIENCE).pollInterval(POLL).untilAsserted(
                    () -> client.set(MqttTestClient.connect(host, port, embedded ? "devices" : null, password)));
            mqtt = client.get();
        }
        return mqtt;
    }

    @After
    public void closeMqtt() {
        if (mqtt != null) {
            mqtt.close();
            mqtt = null;
        }
    }

    /** The password the embedded broker generated for {@code devices} on its first start. */
    String devicesPassword() {
        Path file = hub().home().resolve(DEVICES_PASSWORD);
        await("the embedded broker writes " + file).atMost(PATIENCE).pollInterval(POLL)
                .until(() -> Files.isRegularFile(file) && Files.size(file) > 0);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    static String noiseReading(String id, double laeq) {
        return String.format(Locale.ROOT,
                "{\"id\":\"%s\",\"laeq\":%s,\"measuredAt\":\"%s\",\"lat\":51.44,\"lon\":5.48}", id, laeq, MEASURED_AT);
    }

    static String noiseThingId(String id) {
        return "nl.demo.safety:noise-" + id;
    }

    /**
     * Publishes {@code payload} until the thing appears over HTTP, then returns the thing. Publishing again covers a
     * subscription that is not in place yet; a reading is idempotent for the thing's state.
     */
    JsonObject publishUntilThing(String topic, String payload, String thingId) {
        AtomicReference<JsonObject> thing = new AtomicReference<>();
        await(thingId + " at /api/v1/things after publishing to " + topic).atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> {
                    mqtt().publish(topic, payload);
                    Hub.Response response = hub().get("/api/v1/things/" + thingId);
                    assertThat(response.status()).as("%s", response).isEqualTo(200);
                    thing.set(response.jsonObject());
                });
        return thing.get();
    }

    /** Waits until the thing exists over HTTP, without publishing. */
    JsonObject awaitThing(String thingId) {
        AtomicReference<JsonObject> thing = new AtomicReference<>();
        await(thingId + " at /api/v1/things").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response response = hub().get("/api/v1/things/" + thingId);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            thing.set(response.jsonObject());
        });
        return thing.get();
    }

    /** The alerts received for one thing, parsed; what is not a JSON object is left out (see {@link #alerts()}). */
    List<JsonObject> alertsFor(String thingId) {
        List<JsonObject> alerts = new ArrayList<>();
        for (JsonValue alert : alerts()) {
            if (alert.isObject() && Hub.at(alert.asObject(), "thingId").equals(Optional.of(JsonValue.of(thingId)))) {
                alerts.add(alert.asObject());
            }
        }
        return alerts;
    }

    /** Every alert received so far, parsed as JSON; a payload that is not JSON becomes a JSON string. */
    List<JsonValue> alerts() {
        List<JsonValue> alerts = new ArrayList<>();
        for (MqttTestClient.Message message : mqtt().received(ALERTS)) {
            try {
                alerts.add(JsonFactory.readFrom(message.payload()));
            } catch (RuntimeException e) {
                alerts.add(JsonValue.of(message.payload()));
            }
        }
        return alerts;
    }
}
