package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * The history inside the distribution's bundle set: noise readings that went through the slice (MQTT -> adapter ->
 * twin) are recorded by the history bundle and served at
 * {@code /api/v1/things/{id}/features/noise/properties/laeq/history}, raw and per step.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HistoryIT extends SliceTestSupport {

    @Configuration
    public Option[] config() {
        return HubTestOptions.embedded(HistoryIT.class);
    }

    @Test
    public void laeqReadingsBecomeHistoryPointsRawAndAggregated() {
        String thingId = noiseThingId("h-1");
        publishUntilThing("sim/noise/h-1", noiseReading("h-1", 55.5), thingId);
        mqtt().publish("sim/noise/h-1", noiseReading("h-1", 61.0));
        mqtt().publish("sim/noise/h-1", noiseReading("h-1", 66.5));

        String history = "/api/v1/things/" + thingId + "/features/noise/properties/laeq/history";
        List<Double> values = new ArrayList<>();
        await("the three laeq readings at " + history).atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response response = hub().get(history);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            JsonObject body = response.jsonObject();
            assertThat(Hub.at(body, "thingId")).as("%s", response).contains(JsonValue.of(thingId));
            assertThat(Hub.at(body, "property")).as("%s", response).contains(JsonValue.of("laeq"));
            values.clear();
            Hub.at(body, "points").orElseThrow().asArray()
                    .forEach(point -> values.add(Hub.at(point.asObject(), "v").orElseThrow().asDouble()));
            // the first reading may have been published more than once until the adapter was subscribed
            assertThat(values).as("%s", response).contains(55.5, 61.0, 66.5).endsWith(61.0, 66.5);
        });

        Hub.Response hourly = hub().get(history + "?step=1h");
        assertThat(hourly.status()).as("%s", hourly).isEqualTo(200);
        long count = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (JsonValue bucket : Hub.at(hourly.jsonObject(), "buckets").orElseThrow().asArray()) {
            count += Hub.at(bucket.asObject(), "count").orElseThrow().asLong();
            min = Math.min(min, Hub.at(bucket.asObject(), "min").orElseThrow().asDouble());
            max = Math.max(max, Hub.at(bucket.asObject(), "max").orElseThrow().asDouble());
        }
        assertThat(count).as("%s", hourly).isEqualTo(values.size());
        assertThat(min).as("%s", hourly).isEqualTo(55.5);
        assertThat(max).as("%s", hourly).isEqualTo(66.5);
    }

    @Test
    public void badParametersAndUnknownThingsAreProblems() {
        String thingId = noiseThingId("h-2");
        publishUntilThing("sim/noise/h-2", noiseReading("h-2", 50.0), thingId);
        String history = "/api/v1/things/" + thingId + "/features/noise/properties/laeq/history";

        Hub.Response badStep = hub().get(history + "?step=5m");
        assertThat(badStep.status()).as("%s", badStep).isEqualTo(400);
        assertThat(badStep.contentType()).startsWith("application/problem+json");
        assertThat(Hub.at(badStep.jsonObject(), "detail").orElseThrow().asString()).contains("'step'")
                .contains("1m, 15m, 1h, 1d");

        Hub.Response unknown = hub().get("/api/v1/things/nl.demo.safety:noise-none/features/noise/properties/laeq/history");
        assertThat(unknown.status()).as("%s", unknown).isEqualTo(404);
    }

    @Test
    public void healthReportsTheHistory() {
        await("history UP at /api/v1/health").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response response = hub().get("/api/v1/health");
            assertThat(Hub.at(response.jsonObject(), "components/history/status")).as("%s", response)
                    .contains(JsonValue.of("UP"));
            assertThat(Hub.at(response.jsonObject(), "components/history/detail").map(JsonValue::asString))
                    .as("%s", response).hasValueSatisfying(detail -> assertThat(detail).contains("history.mv"));
        });
    }
}
