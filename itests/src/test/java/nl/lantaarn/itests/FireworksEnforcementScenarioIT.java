package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Scenario b end to end in the hub: fireworks outside the allowed hours, and any gunshot, reach the enforcement
 * officers' channel with place and time. The example {@code routes/examples/fireworks-enforcement.yaml} and a webhook
 * channel {@code enforcement} are added to the running hub; the test plays the acoustic sensors (sound-events
 * protocol over MQTT) and the control room's webhook receiver. The detection times are fixed moments inside and outside
 * the allowed window, so the outcome does not depend on when the test runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FireworksEnforcementScenarioIT extends ScenarioSupport {

    private static final String FILE = "fireworks-enforcement";
    private static final String FIREWORKS_ROUTE = "fireworks-outside-allowed-hours";
    private static final String GUNSHOT_ROUTE = "gunshot-detected";
    private static final String SECRET = "itest-enforcement-secret";

    /** 00:30 on 1 January in Amsterdam: fireworks allowed. */
    private static final String NEW_YEARS_NIGHT = "2025-12-31T23:30:00Z";
    /** 03:10 on 1 January in Amsterdam: the allowed hours ended at 02:00. */
    private static final String AFTER_NEW_YEAR = "2026-01-01T02:10:00Z";
    /** 23:00 on 14 July in Amsterdam (summer time). */
    private static final String SUMMER_NIGHT = "2026-07-14T21:00:00Z";

    @Test
    public void fireworksOutsideTheAllowedHoursAndGunshotsReachTheEnforcementOfficers() {
        try (WebhookReceiver enforcement = new WebhookReceiver()) {
            webhookChannel("enforcement", enforcement, SECRET);
            addExampleRoute(FILE);
            awaitChannels(1);
            awaitRouteStarted(FIREWORKS_ROUTE);
            awaitRouteStarted(GUNSHOT_ROUTE);

            // allowed: new year's night; and a guess (confidence 0.4) outside the hours. The route sees its events in
            // order, so both have been through it when the alert of the next fireworks detection arrives
            publishUntilThing(soundTopic("se-allowed"), detection("se-allowed", "fireworks", 0.92, NEW_YEARS_NIGHT),
                    soundThing("se-allowed"));
            publishUntilThing(soundTopic("se-unsure"), detection("se-unsure", "fireworks", 0.4, SUMMER_NIGHT),
                    soundThing("se-unsure"));
            mqtt().publish(soundTopic("se-late"), detection("se-late", "fireworks", 0.88, AFTER_NEW_YEAR));
            mqtt().publish(soundTopic("se-summer"), detection("se-summer", "fireworks", 0.95, SUMMER_NIGHT));
            // a gunshot inside the fireworks hours: gunshots are never allowed
            mqtt().publish(soundTopic("se-shot"), detection("se-shot", "gunshot", 0.9, NEW_YEARS_NIGHT));

            await("three alerts at the enforcement webhook").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(enforcement.requests()).hasSize(3));
            enforcement.requests().forEach(request -> assertThat(WebhookReceiver.signedWith(SECRET, request))
                    .as("signature of %s", request.body()).isTrue());
            List<JsonObject> alerts = alerts(enforcement);
            assertThat(alerts).extracting(a -> text(a, "thingId").orElse(null)).as("sensors alerted")
                    .containsExactlyInAnyOrder(soundThing("se-late"), soundThing("se-summer"), soundThing("se-shot"));

            JsonObject late = alertFor(alerts, "se-late");
            assertThat(text(late, "title")).contains("Fireworks outside the allowed hours");
            assertThat(text(late, "severity")).contains("warning");
            assertThat(text(late, "source")).contains("route:" + FIREWORKS_ROUTE);
            assertThat(text(late, "body/detectedAt")).contains(AFTER_NEW_YEAR);
            assertLocationOnly(late);

            JsonObject summer = alertFor(alerts, "se-summer");
            assertThat(text(summer, "body/detectedAt")).contains(SUMMER_NIGHT);

            JsonObject shot = alertFor(alerts, "se-shot");
            assertThat(text(shot, "title")).contains("Gunshot detected");
            assertThat(text(shot, "severity")).contains("critical");
            assertThat(text(shot, "source")).contains("route:" + GUNSHOT_ROUTE);
            assertThat(text(shot, "body/detectedAt")).contains(NEW_YEARS_NIGHT);
            assertThat(Hub.at(shot, "body/count").map(JsonValue::asInt)).contains(3);
            assertLocationOnly(shot);

            // publishUntilThing may have published a detection more than once
            assertThat(counter(FIREWORKS_ROUTE, "in")).isGreaterThanOrEqualTo(4);
            assertThat(counter(FIREWORKS_ROUTE, "failed")).isZero();
            assertThat(counter(GUNSHOT_ROUTE, "failed")).isZero();
        }
    }

    /** Data minimisation: time, place, count and confidence; no peak level, nothing else. */
    private static void assertLocationOnly(JsonObject alert) {
        JsonObject body = Hub.at(alert, "body").orElseThrow().asObject();
        assertThat(body.getKeys()).extracting(Object::toString)
                .containsExactlyInAnyOrder("detectedAt", "location", "count", "confidence");
        assertThat(text(body, "location/type")).contains("Point");
        assertThat(Hub.at(body, "location/coordinates").map(c -> c.asArray().get(1).orElseThrow().asDouble()))
                .contains(51.4397);
    }

    private static JsonObject alertFor(List<JsonObject> alerts, String sensor) {
        return alerts.stream().filter(a -> text(a, "thingId").equals(Optional.of(soundThing(sensor))))
                .findFirst().orElseThrow(() -> new AssertionError("no alert for " + sensor + " in " + alerts));
    }

    private static String detection(String sensor, String eventType, double confidence, String detectedAt) {
        return String.format(Locale.ROOT, "{\"sensorId\":\"%s\",\"eventType\":\"%s\",\"confidence\":%s,"
                + "\"peakDb\":112.5,\"count\":3,\"lat\":51.4397,\"lon\":5.4784,\"detectedAt\":\"%s\"}", sensor,
                eventType, confidence, detectedAt);
    }
}
