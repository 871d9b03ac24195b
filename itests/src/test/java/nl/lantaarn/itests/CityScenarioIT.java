package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A city scenario end to end in the distribution with its shipped adapters: "an aggression alarm sets the street
 * light to a calming scene and alerts the police". The example route {@code routes/examples/aggression-calms-lights.yaml}
 * and a webhook channel {@code police} are added to the running hub; the test plays the acoustic sensors, the
 * street-light controller (which acknowledges commands) and the police's webhook receiver.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CityScenarioIT extends ScenarioSupport {

    private static final String ROUTE = "aggression-calms-lights";
    private static final String SECRET = "itest-police-secret";
    private static final String CONTROLLER = "ctl_7";
    private static final String LAMP_TOPIC = "lighting/" + CONTROLLER + "/lamp/l-0042";
    private static final String LAMP = "nl.demo.lighting:lamp-" + CONTROLLER + "-l-0042";
    private static final String SENSOR = "se-12";
    private static final String SOUND = "nl.demo.safety:sound-" + SENSOR;
    private static final String QUIET_SENSOR = "se-13";

    /** Command messages the controller (this test) has answered so far. */
    private int answered;

    @Test
    public void aggressionCalmsTheStreetLightAndAlertsThePoliceOnce() {
        try (WebhookReceiver police = new WebhookReceiver()) {
            // the street-light controller reports its lamp, so the lamp is a thing, and listens for commands
            publishUntilThing(LAMP_TOPIC + "/state",
                    "{\"dimLevel\":40,\"scene\":\"normal\",\"power\":\"on\"}", LAMP);
            mqtt().subscribe(LAMP_TOPIC + "/set");

            // what an operator adds to the running hub: the police's channel (named by its file) and the route
            webhookChannel("police", police, SECRET);
            addExampleRoute(ROUTE);
            awaitChannels(1);
            awaitRouteStarted(ROUTE);

            // below the threshold: neither alert nor command; the route sees its events in order, so this one has
            // been through the route when the next sensor's alert arrives
            publishUntilThing(soundTopic(QUIET_SENSOR), aggression(QUIET_SENSOR, 0.5),
                    soundThing(QUIET_SENSOR));
            mqtt().publish(soundTopic(SENSOR), aggression(SENSOR, 0.93));

            await("one signed alert at the police's webhook").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(police.requests()).hasSize(1));
            WebhookReceiver.Request request = police.requests().get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(WebhookReceiver.signedWith(SECRET, request)).as("signature %s of %s", request.signature(),
                    request.body()).isTrue();
            JsonObject alert = JsonFactory.newObject(request.body());
            assertThat(Hub.at(alert, "thingId")).contains(JsonValue.of(SOUND));
            assertThat(Hub.at(alert, "severity")).contains(JsonValue.of("critical"));
            assertThat(Hub.at(alert, "title")).contains(JsonValue.of("Aggression detected"));
            assertThat(Hub.at(alert, "source")).contains(JsonValue.of("route:" + ROUTE));
            assertThat(Hub.at(alert, "id")).contains(JsonValue.of(request.alertId()));
            assertThat(Hub.at(alert, "body/confidence").map(JsonValue::asDouble)).contains(0.93);

            List<String> first = awaitCommandsAcknowledged(1);
            JsonObject command = command(first.get(0));
            assertThat(Hub.at(command, "scene")).contains(JsonValue.of("calm"));
            assertThat(Hub.at(command, "dimLevel").map(JsonValue::asInt)).contains(100);

            // the same sensor again, within the alert's de-duplication window (5 minutes): hub:command does not
            // de-duplicate and the adapter runtime sends every write of desired properties, so the lamp gets a
            // second command; the police get no second alert
            mqtt().publish(soundTopic(SENSOR), aggression(SENSOR, 0.95));
            List<String> both = awaitCommandsAcknowledged(2);
            assertThat(both.get(1)).isNotEqualTo(both.get(0));
            Hub.Response route = hub().get("/api/v1/routes/" + ROUTE);
            assertThat(Hub.at(route.jsonObject(), "counters/suppressed").map(JsonValue::asInt)).as("%s", route)
                    .contains(1);
            assertThat(Hub.at(route.jsonObject(), "counters/failed").map(JsonValue::asInt)).as("%s", route)
                    .contains(0);
            assertThat(police.requests()).as("alerts at the police's webhook").hasSize(1);
            assertThat(alertsNamingQuietSensor(police)).isEmpty();
        }
    }

    /**
     * Acts as the controller until {@code count} commands (distinct commandIds) arrived and the lamp's
     * {@code commandStatus} says the last one was acknowledged; returns the commandIds in the order they arrived. Every
     * command message is answered once on {@code <root>/<controller>/ack}: a repeated one (a retry) too, as the
     * protocol asks.
     */
    private List<String> awaitCommandsAcknowledged(int count) {
        List<String> ids = new ArrayList<>();
        await(count + " commands to the lamp, acknowledged").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> {
                    List<MqttTestClient.Message> commands = mqtt().received(LAMP_TOPIC + "/set");
                    ids.clear();
                    for (int i = 0; i < commands.size(); i++) {
                        String id = Hub.at(JsonFactory.newObject(commands.get(i).payload()), "commandId")
                                .orElseThrow().asString();
                        if (i >= answered) {
                            mqtt().publish("lighting/" + CONTROLLER + "/ack",
                                    "{\"commandId\":\"" + id + "\",\"status\":\"ok\"}");
                            answered++;
                        }
                        if (!ids.contains(id)) {
                            ids.add(id);
                        }
                    }
                    assertThat(ids).as("commandIds received on %s/set", LAMP_TOPIC).hasSize(count);
                    Hub.Response lamp = hub().get("/api/v1/things/" + LAMP);
                    assertThat(Hub.at(lamp.jsonObject(), "features/lamp/properties/commandStatus/commandId"))
                            .as("%s", lamp).contains(JsonValue.of(ids.get(count - 1)));
                    assertThat(Hub.at(lamp.jsonObject(), "features/lamp/properties/commandStatus/status"))
                            .as("%s", lamp).contains(JsonValue.of("acknowledged"));
                });
        return List.copyOf(ids);
    }

    private JsonObject command(String commandId) {
        return mqtt().received(LAMP_TOPIC + "/set").stream().map(m -> JsonFactory.newObject(m.payload()))
                .filter(c -> Hub.at(c, "commandId").equals(Optional.of(JsonValue.of(commandId))))
                .findFirst().orElseThrow(() -> new AssertionError("no command " + commandId));
    }

    private static List<String> alertsNamingQuietSensor(WebhookReceiver police) {
        return police.requests().stream().map(WebhookReceiver.Request::body)
                .filter(body -> body.contains("sound-" + QUIET_SENSOR)).toList();
    }

    private static String aggression(String sensor, double confidence) {
        return String.format(Locale.ROOT, "{\"sensorId\":\"%s\",\"eventType\":\"aggression\",\"confidence\":%s,"
                + "\"peakDb\":94.5,\"lat\":51.4397,\"lon\":5.4784,\"detectedAt\":\"%s\"}", sensor, confidence,
                Instant.now());
    }
}
