package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Scenario "event crowd management" end to end in the distribution with its shipped adapters: the example route
 * {@code routes/examples/event-crowd-management.yaml}, the shipped zone {@code stratumseind}, a second zone (an event
 * terrain of the test's own), an exit-route zone for each, and a webhook channel {@code operations} are added to the
 * running hub; the test plays the people counters (MQTT, as the simulator publishes), the operators (HTTP API with the
 * tests' API key), the traffic domain (an MQTT subscriber of {@code lantaarn/traffic/advice}) and the street-light
 * controller (acknowledges commands and reports state).
 * <p>
 * A dense crowd in a zone asks the operators; nothing happens until they confirm: then the traffic advice goes out and
 * the lamps of that zone's exit routes go to full output. A rejected action does nothing, and the zone is not asked
 * about again within the window.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EventCrowdManagementScenarioIT extends ZoneScenarioSupport {

    private static final String FILE = "event-crowd-management";
    private static final String ASK_ROUTE = "event-crowd-density";
    private static final String ACT_ROUTE = "event-crowd-measures";
    private static final String ZONE = "stratumseind";
    private static final String TERRAIN = "itest-terrain";
    private static final String ADVICE = "lantaarn/traffic/advice";
    private static final String SECRET = "itest-operations-secret";

    private static final String CONTROLLER = "ctl_evt";
    /** Exit-route lamps of the zone and of the terrain, and a lamp inside the zone that is on no exit route. */
    private static final String EXIT_1 = "ex-1";
    private static final String EXIT_2 = "ex-2";
    private static final String TERRAIN_EXIT = "ex-9";
    private static final String INSIDE = "in-1";
    private static final String NORMAL = "{\"dimLevel\":30,\"scene\":\"normal\",\"power\":\"on\"}";

    private static final String COUNTER = "cc-31";
    private static final String TERRAIN_COUNTER = "cc-41";

    @Test
    public void aDenseCrowdAdvisesTrafficAndLightsTheExitRoutesOnlyOnceAnOperatorConfirms() {
        try (WebhookReceiver operations = new WebhookReceiver();
                SimulatedLightingController lights = controller(CONTROLLER)) {
            addShippedZone("stratumseind.geojson");
            writeZone(TERRAIN + ".geojson", """
                    {"type":"Feature","id":"%s","properties":{"name":"An event terrain of the test"},
                     "geometry":{"type":"Polygon","coordinates":[[[5.4900,51.4500],[5.4920,51.4500],[5.4920,51.4515],
                       [5.4900,51.4515],[5.4900,51.4500]]]}}""".formatted(TERRAIN));
            // the exit routes, each a zone starting at the edge of the place it serves
            writeZone("exit-route-" + ZONE + ".geojson", """
                    {"type":"Feature","id":"exit-route-%s","properties":{"name":"Exit route north of Stratumseind"},
                     "geometry":{"type":"Polygon","coordinates":[[[5.4780,51.4428],[5.4790,51.4428],[5.4790,51.4445],
                       [5.4780,51.4445],[5.4780,51.4428]]]}}""".formatted(ZONE));
            writeZone("exit-route-" + TERRAIN + ".geojson", """
                    {"type":"Feature","id":"exit-route-%s","properties":{"name":"Exit route east of the terrain"},
                     "geometry":{"type":"Polygon","coordinates":[[[5.4920,51.4500],[5.4935,51.4500],[5.4935,51.4510],
                       [5.4920,51.4510],[5.4920,51.4500]]]}}""".formatted(TERRAIN));
            reportUntilThings(lights, NORMAL, List.of(EXIT_1, EXIT_2, TERRAIN_EXIT, INSIDE));
            // the lamps are placed once, as an operator does: one by naming its zone (it has no location), the others
            // by location
            setAttributes(lights.thingId(EXIT_1), "{\"zone\":\"exit-route-" + ZONE + "\"}");
            setAttributes(lights.thingId(EXIT_2), "{\"location\":" + point(51.4437, 5.4785) + "}");
            setAttributes(lights.thingId(TERRAIN_EXIT), "{\"location\":" + point(51.4505, 5.4927) + "}");
            setAttributes(lights.thingId(INSIDE), "{\"location\":" + point(51.4418, 5.4785) + "}");
            publishUntilThing(crowdTopic(COUNTER), crowd(COUNTER, 0.1, 51.4419, 5.4787), crowdThing(COUNTER));
            publishUntilThing(crowdTopic(TERRAIN_COUNTER), crowd(TERRAIN_COUNTER, 0.1, 51.4507, 5.4910),
                    crowdThing(TERRAIN_COUNTER));
            awaitInZone(ZONE, "crowd", List.of(crowdThing(COUNTER)));
            awaitInZone(TERRAIN, "crowd", List.of(crowdThing(TERRAIN_COUNTER)));
            awaitInZone("exit-route-" + ZONE, "lamp", List.of(lights.thingId(EXIT_1), lights.thingId(EXIT_2)));
            awaitInZone("exit-route-" + TERRAIN, "lamp", List.of(lights.thingId(TERRAIN_EXIT)));
            awaitInZone(ZONE, "lamp", List.of(lights.thingId(INSIDE)));
            mqtt().subscribe(ADVICE);

            webhookChannel("operations", operations, SECRET);
            addExampleRoute(FILE);
            awaitChannels(1);
            awaitRouteStarted(ASK_ROUTE);
            awaitRouteStarted(ACT_ROUTE);

            // below the threshold: nobody is asked
            mqtt().publish(crowdTopic(COUNTER), crowd(COUNTER, 0.3, 51.4419, 5.4787));
            awaitHandled(ASK_ROUTE, 1);
            assertThat(pending()).as("pending actions").isEmpty();
            assertThat(operations.requests()).as("alerts to the operators").isEmpty();

            // a dense crowd on the terrain: the operators are told and asked; nothing else happens
            mqtt().publish(crowdTopic(TERRAIN_COUNTER), crowd(TERRAIN_COUNTER, 0.9, 51.4507, 5.4910));
            awaitHandled(ASK_ROUTE, 2);
            JsonObject terrainAction = onlyPending();
            assertThat(Hub.at(terrainAction, "route")).contains(JsonValue.of(ASK_ROUTE));
            assertThat(Hub.at(terrainAction, "thing")).contains(JsonValue.of(crowdThing(TERRAIN_COUNTER)));
            assertThat(Hub.at(terrainAction, "bodySummary").orElseThrow().asString()).contains(TERRAIN);
            await("the operators' alert about " + TERRAIN).atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(operations.requests()).hasSize(1));
            JsonObject alert = JsonFactory.newObject(operations.requests().get(0).body());
            assertThat(WebhookReceiver.signedWith(SECRET, operations.requests().get(0))).isTrue();
            assertThat(Hub.at(alert, "zone")).as("%s", alert).contains(JsonValue.of(TERRAIN));
            assertThat(Hub.at(alert, "body/density").map(JsonValue::asDouble)).as("%s", alert).contains(0.9);
            assertNothingCarriedOut(lights);

            // the operator rejects it: nothing happens, and the terrain is not asked about again within the window
            Hub.Response rejected = send("POST", "/api/v1/routes/pending/" + id(terrainAction) + "/reject",
                    "application/json", "{\"reason\":\"false alarm: a queue at the entrance\"}");
            assertThat(rejected.status()).as("%s", rejected).isEqualTo(200);
            assertThat(Hub.at(rejected.jsonObject(), "outcome")).contains(JsonValue.of("rejected"));
            assertThat(pending()).as("pending actions").isEmpty();
            assertThat(counter(ASK_ROUTE, "rejected")).isEqualTo(1);
            mqtt().publish(crowdTopic(TERRAIN_COUNTER), crowd(TERRAIN_COUNTER, 0.95, 51.4507, 5.4910));
            awaitHandled(ASK_ROUTE, 3);
            assertThat(pending()).as("pending actions").isEmpty();
            assertThat(counter(ASK_ROUTE, "suppressed")).isEqualTo(1);
            assertNothingCarriedOut(lights);

            // a dense crowd in the zone: asked, then confirmed
            mqtt().publish(crowdTopic(COUNTER), crowd(COUNTER, 0.8, 51.4419, 5.4787));
            awaitHandled(ASK_ROUTE, 4);
            JsonObject zoneAction = onlyPending();
            assertThat(Hub.at(zoneAction, "thing")).contains(JsonValue.of(crowdThing(COUNTER)));
            assertNothingCarriedOut(lights);
            Hub.Response confirmed = send("POST", "/api/v1/routes/pending/" + id(zoneAction) + "/confirm", null,
                    null);
            assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
            assertThat(Hub.at(confirmed.jsonObject(), "outcome")).contains(JsonValue.of("confirmed"));

            // the traffic advice
            await("the traffic advice on " + ADVICE).atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(mqtt().received(ADVICE)).hasSize(1));
            JsonObject advice = JsonFactory.newObject(mqtt().received(ADVICE).get(0).payload());
            assertThat(Hub.at(advice, "type")).as("%s", advice).contains(JsonValue.of("crowdTrafficAdvice"));
            assertThat(Hub.at(advice, "zone")).as("%s", advice).contains(JsonValue.of(ZONE));
            assertThat(Hub.at(advice, "advice")).as("%s", advice).contains(JsonValue.of("divert"));
            assertThat(Hub.at(advice, "density").map(JsonValue::asDouble)).as("%s", advice).contains(0.8);
            assertThat(Hub.at(advice, "counter")).as("%s", advice).contains(JsonValue.of(crowdThing(COUNTER)));
            assertThat(Hub.at(advice, "actionId")).as("%s", advice).contains(JsonValue.of(id(zoneAction)));
            assertThat(Hub.at(advice, "validFor")).as("%s", advice).contains(JsonValue.of("PT1H"));
            // an ISO-8601 UTC time, or this throws
            Instant.parse(Hub.at(advice, "issuedAt").orElseThrow().asString());

            // the zone's exit routes at full output, acknowledged; the other lamps untouched
            for (String lamp : List.of(EXIT_1, EXIT_2)) {
                String thing = lights.thingId(lamp);
                await(thing + " at full output").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
                    List<SimulatedLightingController.Command> commands = lights.commands(lamp);
                    assertThat(commands).as("commands to %s", lamp).isNotEmpty();
                    JsonObject command = commands.get(0).json();
                    assertThat(commands).allMatch(c -> c.commandId().equals(commands.get(0).commandId()));
                    assertThat(Hub.at(command, "dimLevel").map(JsonValue::asInt)).as("%s", command).contains(100);
                    assertThat(Hub.at(command, "power")).as("%s", command).contains(JsonValue.of("on"));
                    JsonObject reported = hub().get("/api/v1/things/" + thing).jsonObject();
                    assertThat(Hub.at(reported, "features/lamp/properties/dimLevel").map(JsonValue::asInt))
                            .as("%s", reported).contains(100);
                    assertThat(Hub.at(reported, "features/lamp/properties/commandStatus/status"))
                            .as("%s", reported).contains(JsonValue.of("acknowledged"));
                });
            }
            assertThat(lights.commands(TERRAIN_EXIT)).as("commands to the terrain's exit route").isEmpty();
            assertThat(lights.commands(INSIDE)).as("commands to the lamp inside the zone").isEmpty();
            assertThat(counter(ASK_ROUTE, "confirmed")).isEqualTo(1);
            assertThat(counter(ACT_ROUTE, "in")).isEqualTo(1);
            assertThat(counter(ACT_ROUTE, "failed")).isZero();
            await("the operators' alert about " + ZONE).atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(operations.requests()).hasSize(2));
            assertThat(Hub.at(JsonFactory.newObject(operations.requests().get(1).body()), "zone"))
                    .contains(JsonValue.of(ZONE));
            assertThat(mqtt().received(ADVICE)).as("advices").hasSize(1);
        }
    }

    /** No advice, no command, and the confirmed route has not run. */
    private void assertNothingCarriedOut(SimulatedLightingController lights) {
        assertThat(counter(ACT_ROUTE, "in")).as("runs of " + ACT_ROUTE).isZero();
        assertThat(mqtt().received(ADVICE)).as("traffic advices").isEmpty();
        assertThat(lights.commands()).as("commands to lamps").isEmpty();
        for (String lamp : List.of(EXIT_1, EXIT_2, TERRAIN_EXIT)) {
            assertThat(Hub.at(hub().get("/api/v1/things/" + lights.thingId(lamp)).jsonObject(),
                    "features/lamp/desiredProperties")).as("desired properties of %s", lamp).isEmpty();
        }
    }

    private List<JsonObject> pending() {
        Hub.Response response = hub().get("/api/v1/routes/pending");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        List<JsonObject> actions = new ArrayList<>();
        response.json().asArray().forEach(action -> actions.add(action.asObject()));
        return actions;
    }

    private JsonObject onlyPending() {
        List<JsonObject> actions = pending();
        assertThat(actions).as("pending actions").hasSize(1);
        return actions.get(0);
    }

    private static String id(JsonObject action) {
        return Hub.at(action, "id").orElseThrow().asString();
    }

    private static String crowd(String counter, double density, double lat, double lon) {
        return String.format(Locale.ROOT, "{\"sensorId\":\"%s\",\"technology\":\"camera\",\"count\":%d,"
                + "\"density\":%s,\"lat\":%s,\"lon\":%s,\"observedAt\":\"%s\"}", counter, Math.round(density * 2000),
                density, lat, lon, Instant.now());
    }
}
