package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The slice of issue 2 end to end on the embedded broker, inside the distribution's bundle set: MQTT reading ->
 * adapter -> twin -> HTTP, the route's alert on MQTT, dead letters for bad input, and an adapter bundle dropped into
 * deploy/ while the hub runs. Each test uses its own sensor ids, so the order of the tests does not matter.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HubSliceIT extends SliceTestSupport {

    private static final String CROWD_ADAPTER = "nl.lantaarn.adapters.demo.crowd";

    @Configuration
    public Option[] config() {
        return HubTestOptions.embedded(HubSliceIT.class);
    }

    @Test
    public void readingBecomesThingAndOnlyLoudReadingRaisesAlert() {
        mqtt().subscribe(ALERTS);

        // exactly 70 is not above the threshold
        publishUntilThing("sim/noise/n-8", noiseReading("n-8", 70.0), noiseThingId("n-8"));
        JsonObject thing = publishUntilThing("sim/noise/n-7", noiseReading("n-7", 72.4), noiseThingId("n-7"));

        assertThat(Hub.at(thing, "thingId")).contains(JsonValue.of("nl.demo.safety:noise-n-7"));
        assertThat(Hub.at(thing, "features/noise/properties/laeq").map(JsonValue::asDouble)).contains(72.4);
        assertThat(Hub.at(thing, "features/noise/properties/measuredAt")).contains(JsonValue.of(MEASURED_AT));
        assertThat(Hub.at(thing, "attributes/location/type")).contains(JsonValue.of("Point"));
        assertThat(Hub.at(thing, "attributes/location/coordinates").map(JsonValue::toString)).contains("[5.48,51.44]");

        await("an alert for noise-n-7 on " + ALERTS).atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertThat(alertsFor(noiseThingId("n-7"))).as("alerts on %s", ALERTS)
                        .anySatisfy(alert -> {
                            assertThat(Hub.at(alert, "laeq").map(JsonValue::asDouble)).contains(72.4);
                            assertThat(Hub.at(alert, "measuredAt")).contains(JsonValue.of(MEASURED_AT));
                            assertThat(Hub.at(alert, "location/type")).contains(JsonValue.of("Point"));
                        }));
        // n-8 went through the route before n-7 did, so its alert would have come first
        assertThat(alertsFor(noiseThingId("n-8"))).as("alerts for a reading of 70.0 dB(A)").isEmpty();
        assertThat(alerts()).as("alerts on %s", ALERTS).allSatisfy(alert -> assertThat(alert.isObject())
                .as("alert %s is a JSON object", alert).isTrue());

        Hub.Response list = hub().get("/api/v1/things");
        assertThat(list.status()).as("%s", list).isEqualTo(200);
        assertThat(list.contentType()).startsWith("application/json");
        assertThat(list.json().isArray()).as("%s is a JSON array", list).isTrue();
        assertThat(list.json().asArray().stream().map(t -> Hub.at(t.asObject(), "thingId").orElseThrow().asString()))
                .as("thing ids in %s", list).contains(noiseThingId("n-7"), noiseThingId("n-8"));
    }

    @Test
    public void unknownThingIsNotFound() {
        Hub.Response response = hub().get("/api/v1/things/nl.demo.safety:noise-does-not-exist");
        assertThat(response.status()).as("%s", response).isEqualTo(404);
    }

    @Test
    public void badInputBecomesDeadLettersAndHubKeepsProcessing() {
        // the adapter is subscribed once a reading got through
        publishUntilThing("sim/noise/n-20", noiseReading("n-20", 55.0), noiseThingId("n-20"));

        mqtt().publish("sim/noise/bad-json", "laeq=80 at 22:00");
        mqtt().publish("sim/noise/bad-missing",
                "{\"id\":\"bad-missing\",\"measuredAt\":\"" + MEASURED_AT + "\",\"lat\":51.44,\"lon\":5.48}");
        mqtt().publish("sim/noise/bad-text",
                "{\"id\":\"bad-text\",\"laeq\":\"loud\",\"measuredAt\":\"" + MEASURED_AT + "\"}");

        await("three dead letters at /api/v1/dead-letters").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response response = hub().get("/api/v1/dead-letters");
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            List<JsonObject> letters = deadLetters(response);
            assertThat(reason(letters, "sim/noise/bad-json")).as("reason for a payload that is not JSON")
                    .hasValueSatisfying(r -> assertThat(r.toLowerCase(Locale.ROOT)).contains("json"));
            assertThat(reason(letters, "sim/noise/bad-missing")).as("reason for a reading without laeq")
                    .hasValueSatisfying(r -> assertThat(r).contains("laeq"));
            assertThat(reason(letters, "sim/noise/bad-text")).as("reason for a non-numeric laeq")
                    .hasValueSatisfying(r -> assertThat(r.toLowerCase(Locale.ROOT)).contains("laeq")
                            .containsAnyOf("number", "numeric"));
        });

        // still processing
        mqtt().publish("sim/noise/n-21", noiseReading("n-21", 61.5));
        JsonObject thing = awaitThing(noiseThingId("n-21"));
        assertThat(Hub.at(thing, "features/noise/properties/laeq").map(JsonValue::asDouble)).contains(61.5);
        assertThat(hub().get("/api/v1/things/nl.demo.safety:noise-bad-missing").status()).isEqualTo(404);
        assertThat(hub().get("/api/v1/things/nl.demo.safety:noise-bad-text").status()).isEqualTo(404);
    }

    @Test
    public void adapterDroppedIntoDeployStartsAndProcessesWithoutRestart() throws IOException {
        assertThat(hub().bundle(CROWD_ADAPTER)).as("the crowd adapter before it is deployed").isEmpty();
        publishUntilThing("sim/noise/n-30", noiseReading("n-30", 50.0), noiseThingId("n-30"));
        Bundle twin = hub().bundle("nl.lantaarn.twin").orElseThrow();
        long twinId = twin.getBundleId();

        Path jar = HubTestOptions.requiredPath(HubTestOptions.CROWD_ADAPTER);
        Path staged = hub().home().resolveSibling(CROWD_ADAPTER + ".jar");
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        // appears at once and complete, so FileInstall never sees half a jar
        Files.move(staged, hub().home().resolve("deploy").resolve(CROWD_ADAPTER + ".jar"),
                StandardCopyOption.ATOMIC_MOVE);

        await(CROWD_ADAPTER + " ACTIVE after it was dropped into deploy/").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertThat(hub().bundle(CROWD_ADAPTER).map(Bundle::getState))
                        .contains(Bundle.ACTIVE));

        JsonObject thing = publishUntilThing("sim/crowd/c-1",
                "{\"id\":\"c-1\",\"count\":120,\"measuredAt\":\"" + MEASURED_AT + "\"}", "nl.demo.crowd:crowd-c-1");
        assertThat(Hub.at(thing, "features/crowd/properties/count").map(JsonValue::asInt)).contains(120);

        // the same hub: the twin bundle was not restarted or replaced, and kept what it held
        assertThat(twin.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(hub().bundle("nl.lantaarn.twin").map(Bundle::getBundleId)).contains(twinId);
        assertThat(hub().get("/api/v1/things/" + noiseThingId("n-30")).status()).isEqualTo(200);
    }

    @Test
    public void healthReportsEachComponent() {
        // the slice's components; each one's detail says what to change when it is not UP
        String[] components = {"mqtt-broker", "mqtt-connection", "twin", "adapters", "routing", "dead-letters"};
        await("every component UP at /api/v1/health").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response response = hub().get("/api/v1/health");
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            JsonObject health = response.jsonObject();
            assertThat(Hub.at(health, "status")).as("%s", response).contains(JsonValue.of("UP"));
            for (String component : components) {
                assertThat(Hub.at(health, "components/" + component + "/status")).as("%s in %s", component, response)
                        .contains(JsonValue.of("UP"));
            }
        });
    }

    /** The dead letters of a listing: a JSON array of objects, newest first. */
    private static List<JsonObject> deadLetters(Hub.Response response) {
        JsonValue json = response.json();
        assertThat(json.isArray()).as("%s is a JSON array", response).isTrue();
        List<JsonObject> letters = new ArrayList<>();
        json.asArray().forEach(letter -> letters.add(letter.asObject()));
        return letters;
    }

    /** The reason of the dead letter from {@code origin}, checking that the noise adapter rejected it. */
    private static Optional<String> reason(List<JsonObject> letters, String origin) {
        return letters.stream().filter(l -> Hub.at(l, "origin").equals(Optional.of(JsonValue.of(origin))))
                .peek(l -> assertThat(Hub.at(l, "source")).as("source of %s", l).contains(JsonValue.of("demo-noise")))
                .map(l -> Hub.at(l, "reason").map(JsonValue::asString).orElse("")).findFirst();
    }
}
