package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.junit.jupiter.api.Test;

import nl.lantaarn.routing.internal.RecordingMqttConnection.Published;

/** The route file the hub ships in routes/, run as it is. */
class NoiseAlertsRouteTest extends RoutingTestSupport {

    private static final Path SHIPPED = Path.of(System.getProperty("basedir", "."))
            .resolve("../../routes/noise-alerts.yaml");

    @Test
    void alertsOnlyWhenTheNoiseFeatureChangesAboveSeventyDecibel() throws Exception {
        write("noise-alerts.yaml", Files.readString(SHIPPED));
        start();
        assertThat(runtime.routeFiles().routeIdsByFile()).containsKey("noise-alerts.yaml");
        assertThat(runtime.routeFiles().summary().refused()).isEmpty();

        Thing quiet = TestThings.noiseThing(TestThings.POLE, 65.0, 1);
        Thing loud = quiet.setFeatureProperty("noise", JsonPointer.of("laeq"), JsonValue.of(72.5)).toBuilder().setRevision(2L).build();
        Thing loudZoned = loud.setAttribute(JsonPointer.of("zone"), JsonValue.of("WK077201")).toBuilder().setRevision(3L).build();
        Thing louder = loudZoned.setFeatureProperty("noise", JsonPointer.of("laeq"), JsonValue.of(80)).toBuilder().setRevision(4L).build();

        runtime.onTwinEvent(TestThings.created(quiet));
        runtime.onTwinEvent(TestThings.merged(loud, "/features/noise/properties/laeq", JsonValue.of(72.5)));
        // still loud, but this change does not touch the noise feature
        runtime.onTwinEvent(TestThings.merged(loudZoned, "/attributes/zone", JsonValue.of("WK077201")));
        runtime.onTwinEvent(TestThings.merged(louder, "/features/noise/properties",
                JsonObject.newBuilder().set("laeq", 80).build()));

        await().until(() -> mqtt.published.size() == 2);
        Published first = mqtt.published.get(0);
        assertThat(first.topic()).isEqualTo("lantaarn/alerts/safety");
        assertThat(first.qos()).isEqualTo(1);
        assertThat(first.retain()).isFalse();
        JsonObject alert = JsonObject.of(first.text());
        assertThat(alert.getValue("thingId")).contains(JsonValue.of("nl.eindhoven.safety:stratumseind-12"));
        assertThat(alert.getValue("laeq")).contains(JsonValue.of(72.5));
        assertThat(alert.getValue("measuredAt")).contains(JsonValue.of("2026-11-21T23:14:05Z"));
        assertThat(alert.getValue("location/type")).contains(JsonValue.of("Point"));
        assertThat(alert.getValue("location/coordinates").map(c -> c.asArray().get(1).orElseThrow()))
                .contains(JsonValue.of(51.4416));
        assertThat(alert.getKeys()).hasSize(4);
        assertThat(JsonObject.of(mqtt.published.get(1).text()).getValue("laeq")).contains(JsonValue.of(80));
    }

    @Test
    void decimalsJustAboveSeventyAlertAndSeventyItselfDoesNot() throws Exception {
        write("noise-alerts.yaml", Files.readString(SHIPPED));
        start();
        double[] readings = {70.0, 70.1, 69.9, 70.6, 71};
        for (int i = 0; i < readings.length; i++) {
            runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, readings[i], i + 1)));
        }
        await().until(() -> mqtt.published.size() == 3);
        assertThat(mqtt.published).extracting(p -> JsonObject.of(p.text()).getValue("laeq").orElseThrow().asDouble())
                .containsExactly(70.1, 70.6, 71.0);
    }
}
