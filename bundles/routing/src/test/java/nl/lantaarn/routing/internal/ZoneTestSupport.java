package nl.lantaarn.routing.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.apache.camel.Exchange;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.notify.api.NotificationService;
import nl.lantaarn.search.internal.SearchOverTwin;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * A real twin with a small part of Eindhoven, two zone files, and the search bundle's real search over them.
 * <pre>
 *   stratumseind: sensor-1 (noise), lamp-1 (13 m from sensor-1), lamp-2 (about 120 m), counter-1, counter-2,
 *                 report-1 (no location, attributes/zone "stratumseind")
 *   markt:        lamp-3, counter-3
 *   nowhere:      lamp-4 (outside both zones)
 * </pre>
 */
abstract class ZoneTestSupport extends RoutingTestSupport {

    static final ThingId SENSOR = ThingId.of("nl.demo.safety:sensor-1");
    static final ThingId LAMP_1 = ThingId.of("nl.demo.lighting:lamp-1");
    static final ThingId LAMP_2 = ThingId.of("nl.demo.lighting:lamp-2");
    static final ThingId LAMP_3 = ThingId.of("nl.demo.lighting:lamp-3");
    static final ThingId LAMP_4 = ThingId.of("nl.demo.lighting:lamp-4");
    static final ThingId COUNTER_1 = ThingId.of("nl.demo.crowd:counter-1");
    static final ThingId COUNTER_2 = ThingId.of("nl.demo.crowd:counter-2");
    static final ThingId COUNTER_3 = ThingId.of("nl.demo.crowd:counter-3");
    static final ThingId REPORT = ThingId.of("nl.demo.reports:report-1");
    /** "Now" for maxAge. */
    static final Instant NOW = Instant.parse("2026-11-21T23:15:00Z");

    @TempDir
    Path zonesFolder;

    final TwinServiceComponent twin = new TwinServiceComponent(new MemoryTwinStore());
    SearchOverTwin search;

    @BeforeEach
    void cityAndZones() throws IOException {
        Files.writeString(zonesFolder.resolve("stratumseind.geojson"), """
                {"type":"Feature","id":"stratumseind","properties":{"name":"Stratumseind"},
                 "geometry":{"type":"Polygon","coordinates":[[[5.4770,51.4410],[5.4805,51.4410],[5.4805,51.4428],
                   [5.4770,51.4428],[5.4770,51.4410]]]}}""");
        Files.writeString(zonesFolder.resolve("markt.geojson"), """
                {"type":"Feature","id":"markt","properties":{"name":"Markt"},
                 "geometry":{"type":"Polygon","coordinates":[[[5.4760,51.4370],[5.4790,51.4370],[5.4790,51.4390],
                   [5.4760,51.4390],[5.4760,51.4370]]]}}""");
        search = new SearchOverTwin(twin, zonesFolder);
        thing(SENSOR, 51.4418, 5.4787, "noise", "{\"laeq\":72}");
        thing(LAMP_1, 51.4419, 5.4788, "lamp", "{\"dimLevel\":30}");
        thing(LAMP_2, 51.4425, 5.4800, "lamp", "{\"dimLevel\":50}");
        thing(LAMP_3, 51.4380, 5.4775, "lamp", "{\"dimLevel\":20}");
        thing(LAMP_4, 51.4500, 5.4900, "lamp", "{\"dimLevel\":20}");
        thing(COUNTER_1, 51.4414, 5.4775, "crowd", "{\"peopleCount\":120,\"observedAt\":\"2026-11-21T23:14:30Z\"}");
        thing(COUNTER_2, 51.4422, 5.4798, "crowd", "{\"peopleCount\":300,\"observedAt\":\"2026-11-21T23:10:00Z\"}");
        thing(COUNTER_3, 51.4380, 5.4770, "crowd", "{\"peopleCount\":7,\"observedAt\":\"2026-11-21T23:14:59+01:00\"}");
        twin.apply(ThingUpdate.merge(REPORT, JsonObject.of("""
                {"attributes":{"zone":"stratumseind"},"features":{"report":{"properties":{"status":"open"}}}}""")));
    }

    @AfterEach
    void stopTwinAndSearch() {
        twin.deactivate();
        search.close();
    }

    void thing(ThingId id, double latitude, double longitude, String feature, String properties) {
        twin.apply(ThingUpdate.merge(id, JsonObject.newBuilder()
                .set("attributes", JsonObject.newBuilder()
                        .set(HubConventions.LOCATION, HubConventions.location(latitude, longitude)).build())
                .set("features", JsonObject.newBuilder().set(feature, JsonObject.newBuilder()
                        .set("properties", JsonObject.of(properties)).build()).build())
                .build()));
    }

    /** Starts the runtime with the twin, the search and a clock at {@link #NOW}. */
    void startCity(NotificationService notifications) {
        start(new HubServices(() -> notifications, () -> twin, () -> search, Clock.fixed(NOW, ZoneOffset.UTC),
                new RouteCounters()), null);
    }

    /** Sends to an endpoint directly (no route) and returns the exchange, failed or not. */
    Exchange send(String uri, Object body, Map<String, Object> headers) {
        var template = runtime.context().createFluentProducerTemplate().to(uri).withBody(body);
        headers.forEach(template::withHeader);
        return template.send();
    }

    JsonValue value(ThingId id, String pointer) {
        // read back as plain JSON: Ditto's FeatureProperties are not equal to a JsonObject of the same content
        return twin.retrieve(id).orElseThrow().toJson().getValue(JsonPointer.of(pointer))
                .map(found -> JsonFactory.readFrom(found.toString())).orElse(JsonValue.nullLiteral());
    }
}
