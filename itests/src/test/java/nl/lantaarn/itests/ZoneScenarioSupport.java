package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What the zone scenarios add to {@link ScenarioSupport} (see routes/examples/): the shipped zones copied into the
 * hub's {@code zones/} and zones of the test's own, a light controller of the test's own, waiting for the search to
 * place things in a zone, and waiting for a route to have handled its events, which its counters say (each
 * {@code hub:events} route handles its events in order, one at a time).
 */
abstract class ZoneScenarioSupport extends ScenarioSupport {

    /** A controller of the test's own, on the broker the hub uses; the caller closes it. */
    SimulatedLightingController controller(String id) {
        mqtt(); // waits for the broker
        boolean embedded = "embedded".equals(hub().property(HubTestOptions.MQTT_BROKER));
        return SimulatedLightingController.connect(id, hub().property(HubTestOptions.MQTT_HOST),
                hub().intProperty(HubTestOptions.MQTT_PORT), embedded ? "devices" : null,
                embedded ? devicesPassword() : null);
    }

    /** Reports each lamp with {@code state} until it is a thing. */
    void reportUntilThings(SimulatedLightingController lights, String state, List<String> lamps) {
        for (String lamp : lamps) {
            String thing = lights.thingId(lamp);
            await(thing + " reported").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
                lights.report(lamp, state);
                assertThat(hub().get("/api/v1/things/" + thing).status()).isEqualTo(200);
            });
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
}
