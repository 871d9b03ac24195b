package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Scenario d end to end in the hub ("Inbraakvrije wijk", Rotterdam Lombardijen): breaking glass at night turns up the
 * street lamps near the sensor, notifies the neighbourhood watch, and reaches the police only after an operator
 * confirmed it over the HTTP API; movement at night only turns up the light. The example
 * {@code routes/examples/neighbourhood-watch.yaml} and webhook channels {@code buurtpreventie} and {@code police} are
 * added to the running hub; the test plays the sensors in the lamp heads (sound-events and crowd over MQTT), the
 * street-light controller (acknowledging commands), the operator and both receivers. Detection times are fixed moments
 * by day and by night, so the outcome does not depend on when the test runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NeighbourhoodWatchScenarioIT extends ScenarioSupport {

    private static final String FILE = "neighbourhood-watch";
    private static final String SOUND_ROUTE = "lombardijen-suspicious-sound";
    private static final String POLICE_ROUTE = "lombardijen-police-confirmed";
    private static final String MOVEMENT_ROUTE = "lombardijen-movement-light";
    private static final String WATCH_SECRET = "itest-buurtpreventie-secret";
    private static final String POLICE_SECRET = "itest-police-secret";

    /** 02:30 in Amsterdam (winter time). */
    private static final String NIGHT = "2026-03-10T01:30:00Z";
    /** 13:00 in Amsterdam. */
    private static final String DAY = "2026-03-10T12:00:00Z";

    /** A street in Lombardijen: the sensor's lamp, its neighbour 25 m on, and a lamp some 600 m away. */
    private static final double LAT = 51.8805;
    private static final double LON = 4.5330;
    private static final double FAR_LAT = 51.8850;
    private static final double FAR_LON = 4.5400;

    @Test
    public void breakingGlassAtNightLightsTheStreetTellsTheWatchAndThePoliceOnlyAfterConfirmation() {
        try (WebhookReceiver watch = new WebhookReceiver(); WebhookReceiver police = new WebhookReceiver()) {
            Controller controller = new Controller("ctl_lb");
            String sensorLamp = controller.lampThing("l-1");
            String neighbourLamp = controller.lampThing("l-2");
            String farLamp = controller.lampThing("l-9");
            controller.report("l-1", "{\"dimLevel\":20,\"scene\":\"night\",\"power\":\"on\"}");
            controller.report("l-2", "{\"dimLevel\":20,\"scene\":\"night\",\"power\":\"on\"}");
            controller.report("l-9", "{\"dimLevel\":20,\"scene\":\"night\",\"power\":\"on\"}");
            setLocation(sensorLamp, LAT, LON);
            setLocation(neighbourLamp, LAT + 0.000225, LON);
            setLocation(farLamp, FAR_LAT, FAR_LON);
            controller.listen();

            webhookChannel("buurtpreventie", watch, WATCH_SECRET);
            webhookChannel("police", police, POLICE_SECRET);
            addExampleRoute(FILE);
            awaitChannels(2);
            awaitRouteStarted(SOUND_ROUTE);
            awaitRouteStarted(POLICE_ROUTE);
            awaitRouteStarted(MOVEMENT_ROUTE);

            // by day: nothing. The route sees its events in order, so this one has been through it when the night's
            // notification arrives
            publishUntilThing(soundTopic("lb-day"), glass("lb-day", DAY, LAT, LON), soundThing("lb-day"));
            mqtt().publish(soundTopic("lb-night"), glass("lb-night", NIGHT, LAT, LON));

            await("the neighbourhood watch notified").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(watch.requests()).hasSize(1));
            assertThat(WebhookReceiver.signedWith(WATCH_SECRET, watch.requests().get(0))).isTrue();
            JsonObject notified = alerts(watch).get(0);
            assertThat(text(notified, "thingId")).contains(soundThing("lb-night"));
            assertThat(text(notified, "title")).contains("Breaking glass heard at night");
            assertThat(text(notified, "body/detectedAt")).contains(NIGHT);
            assertThat(Hub.at(notified, "body").orElseThrow().asObject().getKeys()).extracting(Object::toString)
                    .as("data minimisation").containsExactlyInAnyOrder("detectedAt", "location");

            // an action waits for the operator; the lamps near the sensor were commanded before it was parked
            JsonObject action = awaitPendingAction(SOUND_ROUTE);
            assertThat(text(action, "thing")).contains(soundThing("lb-night"));
            assertThat(desiredDimLevel(sensorLamp)).isEqualTo(100);
            assertThat(desiredDimLevel(neighbourLamp)).isEqualTo(100);
            assertThat(desiredDimLevel(farLamp)).as("the lamp 600 m away").isNull();
            await("the commands to the near lamps sent and acknowledged").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> {
                        List<JsonObject> commands = controller.commands("l-1");
                        assertThat(commands).isNotEmpty();
                        assertThat(text(commands.get(0), "scene")).contains("bright");
                        assertThat(controller.commands("l-2")).isNotEmpty();
                        assertThat(text(awaitThing(sensorLamp), "features/lamp/properties/commandStatus/status"))
                                .contains("acknowledged");
                    });
            assertThat(police.requests()).as("the police before the operator confirmed").isEmpty();

            // the operator confirms
            Hub.Response confirmed = send("POST", "/api/v1/routes/pending/" + text(action, "id").orElseThrow()
                    + "/confirm", null, null);
            assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
            assertThat(text(confirmed.jsonObject(), "outcome")).contains("confirmed");
            await("the police alerted").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(police.requests()).hasSize(1));
            assertThat(WebhookReceiver.signedWith(POLICE_SECRET, police.requests().get(0))).isTrue();
            JsonObject alert = alerts(police).get(0);
            assertThat(text(alert, "thingId")).contains(soundThing("lb-night"));
            assertThat(text(alert, "severity")).contains("critical");
            assertThat(text(alert, "source")).contains("route:" + POLICE_ROUTE);
            assertThat(text(alert, "body/detectedAt")).contains(NIGHT);
            assertThat(Hub.at(alert, "body/location/coordinates").map(c -> c.asArray().get(1).orElseThrow().asDouble()))
                    .contains(LAT);

            // movement: by day nothing, at night the light near the counter goes up; nobody is told
            publishUntilThing(crowdTopic("lb-c9"), count("lb-c9", DAY), "nl.demo.crowd:crowd-lb-c9");
            mqtt().publish(crowdTopic("lb-c9"), count("lb-c9", NIGHT));
            await("the far lamp lit for movement at night").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(desiredDimLevel(farLamp)).isEqualTo(100));
            assertThat(counter(MOVEMENT_ROUTE, "in")).isGreaterThanOrEqualTo(2);
            assertThat(watch.requests()).hasSize(1);
            assertThat(police.requests()).hasSize(1);
            assertThat(counter(SOUND_ROUTE, "failed")).isZero();
            assertThat(counter(SOUND_ROUTE, "confirmed")).isEqualTo(1);
            assertThat(counter(MOVEMENT_ROUTE, "failed")).isZero();
        }
    }

    private JsonObject awaitPendingAction(String routeId) {
        AtomicReference<JsonObject> found = new AtomicReference<>();
        await("a pending action of " + routeId).atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response pending = hub().get("/api/v1/routes/pending");
            assertThat(pending.status()).as("%s", pending).isEqualTo(200);
            JsonArray actions = pending.json().asArray();
            assertThat(actions).as("%s", pending).hasSize(1);
            found.set(actions.get(0).orElseThrow().asObject());
            assertThat(text(found.get(), "route")).contains(routeId);
        });
        return found.get();
    }

    /** The lamp's desired dim level, or null when nothing was commanded. */
    private Integer desiredDimLevel(String lamp) {
        return Hub.at(awaitThing(lamp), "features/lamp/desiredProperties/dimLevel").map(JsonValue::asInt)
                .orElse(null);
    }

    private static String glass(String sensor, String detectedAt, double lat, double lon) {
        return String.format(Locale.ROOT, "{\"sensorId\":\"%s\",\"eventType\":\"glassBreaking\",\"confidence\":0.86,"
                + "\"peakDb\":88.0,\"lat\":%s,\"lon\":%s,\"detectedAt\":\"%s\"}", sensor, lat, lon, detectedAt);
    }

    private static String count(String sensor, String observedAt) {
        return String.format(Locale.ROOT, "{\"sensorId\":\"%s\",\"technology\":\"infrared\",\"count\":1,"
                + "\"lat\":%s,\"lon\":%s,\"observedAt\":\"%s\"}", sensor, FAR_LAT + 0.0001, FAR_LON, observedAt);
    }
}
