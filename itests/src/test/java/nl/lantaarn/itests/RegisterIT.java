package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Hashtable;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinService;

/**
 * The public sensor register inside the distribution's bundle set: anonymous at {@code /register} (while the rest of
 * the API still needs a key), listing registered things, and showing a sensor past its activeUntil inactive after the
 * expiry check.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RegisterIT extends SliceTestSupport {

    @Configuration
    public Option[] config() {
        return HubTestOptions.embedded(RegisterIT.class);
    }

    @Test
    public void theRegisterIsPublicAndShowsExpiredSensorsInactive() throws Exception {
        Things twin = new Things(hub().context());
        String register = """
                {"sensorType":"Geluidsensor","organisation":"Gemeente Demo","contact":{"email":"s@gemeente.example"},
                 "containsPersonalData":false,"goal":"Geluid meten","activeUntil":"UNTIL"}""";
        twin.put("nl.demo.safety:register-active",
                "{\"attributes\":{\"location\":{\"type\":\"Point\",\"coordinates\":[5.48,51.44]},\"register\":"
                        + register.replace("UNTIL", "2099-12-31") + "}}");
        twin.put("nl.demo.safety:register-expired",
                "{\"attributes\":{\"register\":" + register.replace("UNTIL", "2020-01-01") + "}}");
        // a short check interval: the change makes the expiry check run at once
        ConfigurationAdmin configurationAdmin = hub().context().getService(
                hub().context().getServiceReference(ConfigurationAdmin.class));
        Hashtable<String, Object> settings = new Hashtable<>();
        settings.put("checkIntervalSeconds", 10);
        configurationAdmin.getConfiguration("nl.lantaarn.register", "?").update(settings);

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + hub().property(HubTestOptions.HTTP_PORT);
        await("the expired sensor marked inactive on its thing").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertThat(twin.attribute("nl.demo.safety:register-expired", "register/active"))
                        .contains(JsonFactory.newValue(false)));

        HttpResponse<String> geoJson = http.send(HttpRequest.newBuilder(URI.create(base + "/register.geojson")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(geoJson.statusCode()).as(geoJson.body()).isEqualTo(200);
        assertThat(geoJson.headers().firstValue("Content-Type")).contains("application/geo+json");
        assertThat(geoJson.body()).contains("\"id\":\"nl.demo.safety:register-active\"")
                .contains("\"coordinates\":[5.48,51.44]").contains("\"id\":\"nl.demo.safety:register-expired\"");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/register/"))
                .header("Accept-Language", "en").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html lang=\"en\">").contains("No longer active");

        // only the register is anonymous
        HttpResponse<String> things = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/things")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(things.statusCode()).isEqualTo(401);
    }

    /**
     * The twin service, kept out of the test class's own methods: JUnit reads those outside the framework, where the
     * hub's API classes are not.
     */
    private static final class Things {
        private final TwinService twin;

        Things(org.osgi.framework.BundleContext context) {
            this.twin = context.getService(context.getServiceReference(TwinService.class));
        }

        void put(String thingId, String json) {
            twin.apply(ThingUpdate.merge(ThingId.of(thingId), JsonObject.of(json)));
        }

        java.util.Optional<org.eclipse.ditto.json.JsonValue> attribute(String thingId, String pointer) {
            return twin.retrieve(ThingId.of(thingId)).flatMap(thing -> thing.getAttributes())
                    .flatMap(attributes -> attributes.getValue(JsonFactory.newPointer(pointer)));
        }
    }
}
