package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.UUID;

import nl.lantaarn.mqtt.api.EmbeddedBroker;

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
 * The slice against an external broker: the hub's MQTT connection points at the broker on 127.0.0.1:1883 (anonymous
 * access), its embedded broker is off. Runs only with {@code -Pinterop}; the broker is shared with whatever else uses
 * it, so every run uses sensor ids of its own.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HubSliceInteropIT extends SliceTestSupport {

    static final String HOST = "127.0.0.1";
    static final int PORT = 1883;

    @Configuration
    public Option[] config() {
        return HubTestOptions.externalBroker(HubSliceInteropIT.class, HOST, PORT);
    }

    @Test
    public void readingThroughExternalBrokerBecomesThingAndAlert() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String loud = "it-" + run + "-loud";
        String quiet = "it-" + run + "-quiet";
        mqtt().subscribe(ALERTS);

        publishUntilThing("sim/noise/" + quiet, noiseReading(quiet, 64.0), noiseThingId(quiet));
        JsonObject thing = publishUntilThing("sim/noise/" + loud, noiseReading(loud, 88.1), noiseThingId(loud));
        assertThat(Hub.at(thing, "features/noise/properties/laeq").map(JsonValue::asDouble)).contains(88.1);

        await("an alert for " + loud + " on the external broker's " + ALERTS).atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertThat(alertsFor(noiseThingId(loud))).as("alerts on %s", ALERTS)
                        .anySatisfy(alert -> assertThat(Hub.at(alert, "laeq").map(JsonValue::asDouble)).contains(88.1)));
        assertThat(alertsFor(noiseThingId(quiet))).as("alerts for a quiet reading").isEmpty();
        assertThat(hub().context().getServiceReference(EmbeddedBroker.class))
                .as("the embedded broker service, which this configuration turns off").isNull();
    }
}
