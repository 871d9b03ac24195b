package nl.lantaarn.register.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The register servlet in a real Jetty on a free port of 127.0.0.1, over the real twin service on its in-memory
 * store, with sensors of every kind: active, past activeUntil, mobile, with text that needs escaping, unregistered.
 * Today is 2026-11-24 in Amsterdam.
 */
final class RegisterFixture implements AutoCloseable {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneId.of("Europe/Amsterdam"));
    static final String TODAY = "2026-11-24";

    final TwinServiceComponent twin = new TwinServiceComponent(new MemoryTwinStore());
    final RegisterServlet servlet = new RegisterServlet(twin, CLOCK);
    private final Server server = new Server();
    final String base;

    RegisterFixture() throws Exception {
        put("nl.eindhoven.safety:noise-7", """
                {"attributes":{"location":{"type":"Point","coordinates":[5.47872,51.44171]},"zone":"stratumseind",
                  "register":{"sensorType":"Geluidsensor","organisation":"Gemeente Eindhoven",
                   "contact":{"name":"Team Stratumseind","email":"stratumseind@example.nl"},
                   "containsPersonalData":false,"goal":"Geluidsoverlast in het uitgaansgebied meten",
                   "legalGround":"PUBLIC_TASK","activeUntil":"2030-12-31","reference":"EHV-0007"}},
                 "features":{"noise":{"definition":["org.fiware.smartdatamodels:NoiseLevelObserved:1.0.0"],
                   "properties":{"laeq":61.5}}}}""");
        put("nl.eindhoven.crowd:counter-3", """
                {"attributes":{"location":{"type":"Point","coordinates":[5.47901,51.44190]},"zone":"stratumseind",
                  "register":{"sensorType":"Optische / camera sensor","organisation":"Gemeente Eindhoven",
                   "contact":{"email":"drukte@example.nl","url":"https://eindhoven.example.nl/drukte"},
                   "containsPersonalData":true,"privacyStatement":"https://eindhoven.example.nl/privacy",
                   "goal":"Drukte tellen, \\"geen\\" beelden; <b>alleen</b> aantallen","legalGround":"PUBLIC_TASK",
                   "activeUntil":"2026-11-23","reference":"=HYPERLINK(1,2)"}},
                 "features":{"crowd":{"definition":["org.fiware.smartdatamodels:CrowdFlowObserved:1.0.0"],
                   "properties":{"peopleCount":12}}}}""");
        put("nl.eindhoven.environment:bike-1", """
                {"attributes":{"register":{"sensorType":"Mobiele luchtsensor","organisation":"TU/e, Eindhoven",
                   "contact":{"email":"lucht@example.nl"},"containsPersonalData":false,
                   "goal":"<script>alert('x')</script> Luchtkwaliteit meten","activeUntil":"2027-06-30",
                   "regions":["Centrum","Strijp"]}},
                 "features":{"airQuality":{"properties":{"pm25":8.1}}}}""");
        put("nl.eindhoven.lighting:lamp-1", """
                {"attributes":{"location":{"type":"Point","coordinates":[5.48,51.44]}},
                 "features":{"light":{"properties":{"on":true}}}}""");
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(servlet);
        for (String pattern : new String[] {"/register", "/register/*", "/register.csv", "/register.geojson"}) {
            context.addServlet(holder, pattern);
        }
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    void put(String thingId, String json) {
        twin.apply(ThingUpdate.merge(ThingId.of(thingId), JsonObject.of(json)));
    }

    @Override
    public void close() throws Exception {
        server.stop();
        twin.deactivate();
    }
}
