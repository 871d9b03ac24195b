package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.osgi.framework.FrameworkUtil;

/**
 * A bundle (here the test probe) contributes a route as a RouteBuilder service: the route is listed at
 * {@code /api/v1/routes} with {@code file} = {@code bundle:<symbolic name>}, a twin event of a reading that went
 * through the slice (MQTT -> adapter -> twin) reaches it, and it is gone once the service is unregistered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RouteBuilderServiceIT extends SliceTestSupport {

    private static final String ROUTE = "itest-java-route";

    @Configuration
    public Option[] config() {
        return HubTestOptions.embedded(RouteBuilderServiceIT.class);
    }

    @Test
    public void aRouteBuilderServiceRunsItsRouteUntilItGoes() throws Exception {
        String thingId = noiseThingId("rb-1");
        String source = "bundle:" + FrameworkUtil.getBundle(RouteBuilderServiceIT.class).getSymbolicName();
        AutoCloseable registration = JavaRoutes.register(hub().context(), ROUTE, thingId);

        await(ROUTE + " at /api/v1/routes").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Optional<JsonObject> route = route();
            assertThat(route).as("%s", hub().get("/api/v1/routes")).isPresent();
            assertThat(Hub.at(route.get(), "file").map(JsonValue::asString)).contains(source);
            assertThat(Hub.at(route.get(), "state").map(JsonValue::asString)).contains("Started");
            assertThat(Hub.at(route.get(), "purpose").map(JsonValue::asString))
                    .contains("integration test of RouteBuilder services");
        });

        publishUntilThing("sim/noise/rb-1", noiseReading("rb-1", 66.5), thingId);
        await("a twin event of " + thingId + " through " + ROUTE).atMost(PATIENCE).pollInterval(POLL)
                .until(() -> JavaRoutes.SEEN.contains(thingId));

        registration.close();
        await(ROUTE + " gone from /api/v1/routes").atMost(PATIENCE).pollInterval(POLL)
                .until(() -> route().isEmpty());
    }

    private Optional<JsonObject> route() {
        Hub.Response response = hub().get("/api/v1/routes");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        JsonValue json = response.json();
        Iterable<JsonValue> items = json.isArray() ? json.asArray()
                : Hub.at(json.asObject(), "items").orElseThrow().asArray();
        for (JsonValue item : items) {
            if (item.isObject() && Hub.at(item.asObject(), "id").equals(Optional.of(JsonValue.of(ROUTE)))) {
                return Optional.of(item.asObject());
            }
        }
        return Optional.empty();
    }
}
