package nl.lantaarn.search.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;

/** Builds test things in the hub's conventions, and reads the fixtures. */
final class TestThings {

    /** Stratumseind, Eindhoven. */
    static final double STRATUMSEIND_LAT = 51.4418;
    static final double STRATUMSEIND_LON = 5.4787;

    private TestThings() {
    }

    /** A sound sensor: features/noise/properties/laeq, a location, a zone and a vendor. */
    static Thing noise(String name, double lat, double lon, double laeq, String zone, long revision) {
        String json = String.format(Locale.ROOT, """
                {"thingId":"nl.eindhoven.safety:%s","policyId":"nl.eindhoven.safety:default",
                 "attributes":{"location":{"type":"Point","coordinates":[%s,%s]},"zone":"%s","vendor":"acme",
                   "tags":["sound","pole"]},
                 "features":{"noise":{"definition":["org.fiware.smartdatamodels:NoiseLevelObserved:1.0.0"],
                   "properties":{"laeq":%s,"measuredAt":"2026-11-23T21:00:00Z"}}}}""",
                name, lon, lat, zone, laeq);
        return ThingsModelFactory.newThing(JsonFactory.newObject(json)).toBuilder().setRevision(revision)
                .setModified(Instant.parse("2026-11-23T21:00:00Z")).build();
    }

    static Thing thing(String json, long revision) {
        return ThingsModelFactory.newThing(JsonFactory.newObject(json)).toBuilder().setRevision(revision).build();
    }

    static String fixture(String name) {
        try (InputStream in = TestThings.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The FIWARE NoiseLevelObserved example as a hub thing. */
    static Thing fromNoiseLevelObserved(String name) {
        JsonObject ngsi = JsonFactory.newObject(fixture("NoiseLevelObserved.keyvalues.ngsiv2.json"));
        JsonObject json = JsonFactory.newObjectBuilder()
                .set("thingId", "es.vitoria.environment:" + name)
                .set("attributes", JsonFactory.newObjectBuilder()
                        .set("location", ngsi.getValue("location").orElseThrow())
                        .set("source", ngsi.getValue("id").orElseThrow())
                        .build())
                .set("features", JsonFactory.newObjectBuilder()
                        .set("noise", JsonFactory.newObjectBuilder()
                                .set("properties", JsonFactory.newObjectBuilder()
                                        .set("laeq", ngsi.getValue("LAeq").orElseThrow())
                                        .set("lamax", ngsi.getValue("LAmax").orElseThrow())
                                        .set("dateObservedTo", ngsi.getValue("dateObservedTo").orElseThrow())
                                        .build())
                                .build())
                        .build())
                .build();
        return ThingsModelFactory.newThing(json).toBuilder().setRevision(1).build();
    }
}
