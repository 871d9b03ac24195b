package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Scenario "nightlife de-escalation" (Stratumseind, Eindhoven) end to end in the distribution with its shipped
 * adapters: the example route {@code routes/examples/nightlife-de-escalation.yaml}, the shipped zone
 * {@code zones/stratumseind.geojson} and a webhook channel {@code police} are added to the running hub; the test plays
 * the acoustic event sensors and the people counters (MQTT, as the simulators publish), the street-light controller
 * (which acknowledges commands and reports state) and the police's webhook receiver.
 * <p>
 * Aggression and a crowd peak in the zone within 2 minutes, in either order, set every lamp of the zone to the calming
 * scene and alert the police once; the lamps go back after the window without new pairs, shortened here from 15
 * minutes to 3 seconds by rewriting the copied route. Either signal alone, a crowd outside the zone, and lamps outside
 * the zone stay out of it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NightlifeDeEscalationScenarioIT extends ZoneScenarioSupport {

    private static final String FILE = "nightlife-de-escalation";
    private static final String AGGRESSION_ROUTE = "nightlife-aggression";
    private static final String CROWD_ROUTE = "nightlife-crowd-peak";
    private static final String ACT_ROUTE = "nightlife-de-escalate";
    private static final String ZONE = "stratumseind";
    private static final String SECRET = "itest-police-secret";
    private static final String TITLE = "Aggression in a crowded nightlife zone";

    private static final String CONTROLLER = "ctl_str";
    /** Lamps inside the zone (placed by location) and one north of it. */
    private static final String LAMP_A = "in-1";
    private static final String LAMP_B = "in-2";
    private static final String LAMP_OUT = "out-1";
    private static final String NORMAL = "{\"dimLevel\":40,\"scene\":\"normal\",\"power\":\"on\"}";

    /** Two acoustic sensors and a people counter in the zone, a people counter north of it. */
    private static final String SOUND_1 = "se-21";
    private static final String SOUND_2 = "se-22";
    private static final String COUNTER = "cc-21";
    private static final String COUNTER_OUT = "cc-29";

    @Test
    public void aggressionAndACrowdPeakInTheZoneCalmItsLampsAndAlertThePoliceOnceInEitherOrder() {
        try (WebhookReceiver police = new WebhookReceiver();
                SimulatedLightingController lights = controller(CONTROLLER)) {
            // the zone, the lamps (the controller reports them; their position is set once, as an operator does),
            // and the sensors with a harmless first message each, before the routes run
            addShippedZone("stratumseind.geojson");
            reportUntilThings(lights, NORMAL, List.of(LAMP_A, LAMP_B, LAMP_OUT));
            setAttributes(lights.thingId(LAMP_A), "{\"location\":" + point(51.4418, 5.4785) + "}");
            setAttributes(lights.thingId(LAMP_B), "{\"location\":" + point(51.4422, 5.4795) + "}");
            setAttributes(lights.thingId(LAMP_OUT), "{\"location\":" + point(51.4440, 5.4790) + "}");
            publishUntilThing(soundTopic(SOUND_1), aggression(SOUND_1, 0.1, 51.4415, 5.4788), soundThing(SOUND_1));
            publishUntilThing(soundTopic(SOUND_2), aggression(SOUND_2, 0.1, 51.4420, 5.4797), soundThing(SOUND_2));
            publishUntilThing(crowdTopic(COUNTER), crowd(COUNTER, 0.05, 51.4419, 5.4787), crowdThing(COUNTER));
            publishUntilThing(crowdTopic(COUNTER_OUT), crowd(COUNTER_OUT, 0.05, 51.4441, 5.4790),
                    crowdThing(COUNTER_OUT));
            awaitInZone(ZONE, "lamp", List.of(lights.thingId(LAMP_A), lights.thingId(LAMP_B)));
            awaitInZone(ZONE, "crowd", List.of(crowdThing(COUNTER)));
            awaitInZone(ZONE, "aggression", List.of(soundThing(SOUND_1), soundThing(SOUND_2)));

            // what an operator adds to the running hub: the police's channel and the route, its calm window shortened
            webhookChannel("police", police, SECRET);
            addExampleRoute(FILE, Map.of("revertAfter: PT15M", "revertAfter: PT3S"));
            awaitChannels(1);
            awaitRouteStarted(AGGRESSION_ROUTE);
            awaitRouteStarted(CROWD_ROUTE);
            awaitRouteStarted(ACT_ROUTE);

            // order 1, aggression first. Aggression alone: the crowd in the zone is thin, nothing happens
            mqtt().publish(soundTopic(SOUND_1), aggression(SOUND_1, 0.93, 51.4415, 5.4788));
            awaitHandled(AGGRESSION_ROUTE, 1);
            // a thin crowd with the aggression: nothing
            mqtt().publish(crowdTopic(COUNTER), crowd(COUNTER, 0.2, 51.4419, 5.4787));
            awaitHandled(CROWD_ROUTE, 1);
            assertNothingDone(lights, police, 0);
            // a dense crowd outside the zone: the route does not even see it (checked below: in stays 2)
            mqtt().publish(crowdTopic(COUNTER_OUT), crowd(COUNTER_OUT, 0.9, 51.4441, 5.4790));
            // the crowd peak in the zone, within 2 minutes of the aggression: calm lamps, police alerted
            mqtt().publish(crowdTopic(COUNTER), crowd(COUNTER, 0.8, 51.4419, 5.4787));
            awaitHandled(CROWD_ROUTE, 2);
            awaitCalmThenBack(lights, 1);

            await("one signed alert at the police's webhook").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(police.requests()).hasSize(1));
            WebhookReceiver.Request request = police.requests().get(0);
            assertThat(WebhookReceiver.signedWith(SECRET, request)).as("signature of %s", request.body()).isTrue();
            JsonObject alert = JsonFactory.newObject(request.body());
            assertThat(Hub.at(alert, "severity")).contains(JsonValue.of("critical"));
            assertThat(Hub.at(alert, "title")).contains(JsonValue.of(TITLE));
            assertThat(Hub.at(alert, "zone")).as("%s", alert).contains(JsonValue.of(ZONE));
            assertThat(Hub.at(alert, "body/zone")).as("%s", alert).contains(JsonValue.of(ZONE));
            assertThat(Hub.at(alert, "body/trigger")).as("%s", alert).contains(JsonValue.of(crowdThing(COUNTER)));
            assertThat(Hub.at(alert, "body/aggressionConfidence").map(JsonValue::asDouble)).contains(0.93);
            assertThat(Hub.at(alert, "body/crowdDensity").map(JsonValue::asDouble)).contains(0.8);

            // order 2, crowd peak first, in the same zone. First both signals die down (a new detection and a new
            // count replace the old ones), then the crowd peak alone: nothing
            mqtt().publish(soundTopic(SOUND_1), aggression(SOUND_1, 0.3, 51.4415, 5.4788));
            awaitHandled(AGGRESSION_ROUTE, 2);
            mqtt().publish(crowdTopic(COUNTER), crowd(COUNTER, 0.1, 51.4419, 5.4787));
            awaitHandled(CROWD_ROUTE, 3);
            mqtt().publish(crowdTopic(COUNTER), crowd(COUNTER, 0.85, 51.4419, 5.4787));
            awaitHandled(CROWD_ROUTE, 4);
            assertNothingDone(lights, police, 1);
            // then aggression at the other sensor of the zone: calm again; the police were alerted for this zone
            // within the de-duplication window, so not again
            mqtt().publish(soundTopic(SOUND_2), aggression(SOUND_2, 0.91, 51.4420, 5.4797));
            awaitHandled(AGGRESSION_ROUTE, 3);
            awaitCalmThenBack(lights, 2);

            long suppressed = counter(AGGRESSION_ROUTE, "suppressed") + counter(CROWD_ROUTE, "suppressed")
                    + counter(ACT_ROUTE, "suppressed");
            assertThat(suppressed).as("repeated alerts suppressed").isEqualTo(1);
            assertThat(police.requests()).as("alerts at the police's webhook").hasSize(1);
            assertThat(lights.commands(LAMP_OUT)).as("commands to the lamp outside the zone").isEmpty();
            assertThat(Hub.at(hub().get("/api/v1/things/" + lights.thingId(LAMP_OUT)).jsonObject(),
                    "features/lamp/desiredProperties")).as("desired properties of the lamp outside the zone").isEmpty();
            assertThat(counter(ACT_ROUTE, "in")).as("pairs handed to " + ACT_ROUTE).isEqualTo(2);
            assertThat(counter(ACT_ROUTE, "failed")).isZero();
        }
    }

    /**
     * The pair was handled: the lamps of the zone got their {@code round}-th calming command (calm, 100), acknowledged,
     * and then, the shortened window passing without another pair, a command back to what they reported before
     * (normal, 40), which they report again.
     */
    private void awaitCalmThenBack(SimulatedLightingController lights, int round) {
        for (String lamp : List.of(LAMP_A, LAMP_B)) {
            String thing = lights.thingId(lamp);
            await(thing + ": calm, then back to normal (round " + round + ")").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> {
                        List<JsonObject> commands = distinct(lights.commands(lamp));
                        assertThat(commands).as("commands to %s", lamp).hasSize(2 * round);
                        JsonObject calm = commands.get(2 * round - 2);
                        assertThat(Hub.at(calm, "scene")).as("%s", calm).contains(JsonValue.of("calm"));
                        assertThat(Hub.at(calm, "dimLevel").map(JsonValue::asInt)).as("%s", calm).contains(100);
                        JsonObject back = commands.get(2 * round - 1);
                        assertThat(Hub.at(back, "scene")).as("%s", back).contains(JsonValue.of("normal"));
                        assertThat(Hub.at(back, "dimLevel").map(JsonValue::asInt)).as("%s", back).contains(40);
                        JsonObject reported = hub().get("/api/v1/things/" + thing).jsonObject();
                        assertThat(Hub.at(reported, "features/lamp/properties/scene")).as("%s", reported)
                                .contains(JsonValue.of("normal"));
                        assertThat(Hub.at(reported, "features/lamp/properties/commandStatus/commandId"))
                                .as("%s", reported).contains(Hub.at(back, "commandId").orElseThrow());
                        assertThat(Hub.at(reported, "features/lamp/properties/commandStatus/status"))
                                .as("%s", reported).contains(JsonValue.of("acknowledged"));
                    });
        }
    }

    /** Nothing reached the lamps or the police beyond {@code pairs} handled pairs. */
    private void assertNothingDone(SimulatedLightingController lights, WebhookReceiver police, int pairs) {
        assertThat(counter(ACT_ROUTE, "in")).as("pairs handed to " + ACT_ROUTE).isEqualTo(pairs);
        for (String lamp : List.of(LAMP_A, LAMP_B, LAMP_OUT)) {
            assertThat(distinct(lights.commands(lamp))).as("commands to %s", lamp)
                    .hasSize(lamp.equals(LAMP_OUT) ? 0 : 2 * pairs);
        }
        assertThat(police.requests()).as("alerts at the police's webhook").hasSize(Math.min(pairs, 1));
    }

    /** The commands without repetitions of a commandId (a retry is the same command). */
    private static List<JsonObject> distinct(List<SimulatedLightingController.Command> commands) {
        LinkedHashMap<String, JsonObject> byId = new LinkedHashMap<>();
        commands.forEach(c -> byId.putIfAbsent(c.commandId(), c.json()));
        return List.copyOf(byId.values());
    }

    private static String aggression(String sensor, double confidence, double lat, double lon) {
        return String.format(Locale.ROOT, "{\"sensorId\":\"%s\",\"eventType\":\"aggression\",\"confidence\":%s,"
                + "\"peakDb\":94.5,\"lat\":%s,\"lon\":%s,\"detectedAt\":\"%s\"}", sensor, confidence, lat, lon,
                Instant.now());
    }

    private static String crowd(String counter, double density, double lat, double lon) {
        return String.format(Locale.ROOT, "{\"sensorId\":\"%s\",\"technology\":\"camera\",\"count\":%d,"
                + "\"density\":%s,\"lat\":%s,\"lon\":%s,\"observedAt\":\"%s\"}", counter, Math.round(density * 400),
                density, lat, lon, Instant.now());
    }
}
