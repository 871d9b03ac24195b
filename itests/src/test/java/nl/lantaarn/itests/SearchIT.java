package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Search inside the distribution's bundle set: noise things that went through the slice (MQTT -> adapter -> twin) are
 * found at {@code /api/v1/search/things} by laeq (RQL), near a point and in a zone file dropped into the home's
 * {@code zones/} while the hub runs; a malformed filter is a 400 naming the position.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SearchIT extends SliceTestSupport {

    private static final String SEARCH = "/api/v1/search/things?";
    /** Where the slice's noise readings are (see {@link SliceTestSupport#noiseReading}). */
    private static final String READING_POINT = "51.44,5.48";

    @Configuration
    public Option[] config() {
        return HubTestOptions.embedded(SearchIT.class);
    }

    @Test
    public void findsNoiseThingsByLaeqNearAPointAndInAZone() throws IOException {
        publishUntilThing("sim/noise/s-1", noiseReading("s-1", 75.5), noiseThingId("s-1"));
        publishUntilThing("sim/noise/s-2", noiseReading("s-2", 58.0), noiseThingId("s-2"));
        String mine = "like(thingId,\"" + noiseThingId("s-") + "*\")";

        String loud = SEARCH + "filter=" + q("and(" + mine + ",gt(features/noise/properties/laeq,70))")
                + "&fields=" + q("thingId,features/noise/properties/laeq");
        await("noise-s-1 alone in " + loud).atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response response = hub().get(loud);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.contentType()).as("%s", response).startsWith("application/json");
            assertThat(ids(response)).as("%s", response).containsExactly(noiseThingId("s-1"));
            JsonObject item = Hub.at(response.jsonObject(), "items").orElseThrow().asArray().get(0).orElseThrow()
                    .asObject();
            assertThat(Hub.at(item, "features/noise/properties/laeq").map(JsonValue::asDouble)).contains(75.5);
            assertThat(Hub.at(item, "attributes")).as("fields selects").isEmpty();
        });

        String near = SEARCH + "filter=" + q(mine) + "&near=" + READING_POINT + ",50&sort="
                + q("-features/noise/properties/laeq");
        await("both near " + READING_POINT).atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> assertThat(
                ids(hub().get(near))).containsExactly(noiseThingId("s-1"), noiseThingId("s-2")));
        Hub.Response far = hub().get(SEARCH + "filter=" + q(mine) + "&near=51.45,5.48,100");
        assertThat(far.status()).as("%s", far).isEqualTo(200);
        assertThat(ids(far)).as("%s: about 1.1 km away", far).isEmpty();

        // a zone file dropped into the home's zones/ is picked up while the hub runs
        Path zones = Files.createDirectories(hub().home().resolve("zones"));
        Files.writeString(zones.resolve("slice.geojson"), """
                {"type":"Feature","id":"slice","properties":{"name":"Around the slice's readings"},
                 "geometry":{"type":"Polygon","coordinates":[[[5.479,51.439],[5.481,51.439],[5.481,51.441],
                   [5.479,51.441],[5.479,51.439]]]}}""");
        String inZone = SEARCH + "zone=slice&filter=" + q(mine);
        await("both in zone slice").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> assertThat(
                ids(hub().get(inZone))).containsExactly(noiseThingId("s-1"), noiseThingId("s-2")));
    }

    @Test
    public void badRequestsAreProblemsThatSayWhatIsWrong() {
        Hub.Response bad = hub().get(SEARCH + "filter=" + q("gt(features/noise/properties/laeq,7O)"));
        assertThat(bad.status()).as("%s", bad).isEqualTo(400);
        assertThat(bad.contentType()).as("%s", bad).startsWith("application/problem+json");
        assertThat(Hub.at(bad.jsonObject(), "position").map(JsonValue::asInt)).as("%s", bad).contains(36);
        assertThat(Hub.at(bad.jsonObject(), "detail").map(JsonValue::asString).orElseThrow()).as("%s", bad)
                .startsWith("The filter is not valid RQL at position 36");
        Hub.Response zone = hub().get(SEARCH + "zone=nowhere");
        assertThat(zone.status()).as("%s", zone).isEqualTo(400);
        assertThat(Hub.at(zone.jsonObject(), "detail").map(JsonValue::asString).orElseThrow())
                .contains("Zone 'nowhere' is not known");
        // the rest of /api/v1 is still the API servlet's
        assertThat(hub().get("/api/v1/things").status()).isEqualTo(200);
    }

    private static List<String> ids(Hub.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Hub.at(response.jsonObject(), "items").orElseThrow().asArray()
                .forEach(item -> ids.add(Hub.at(item.asObject(), "thingId").orElseThrow().asString()));
        return ids;
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
