package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;

import nl.lantaarn.routing.internal.HubAlertTest.RecordingNotifications;
import nl.lantaarn.twin.api.WriteCondition;

/** hub:command by zone and with revertAfter, hub:update, hub:alert dedupBy, and the options' errors. */
class HubZoneActionsTest extends ZoneTestSupport {

    private final RecordingNotifications notifications = new RecordingNotifications();

    @Test
    void commandsEveryThingWithTheFeatureInAZoneOrInTheExchangesZone() {
        startCity(null);

        Exchange byZone = send("hub:command?feature=lamp&zone=stratumseind", Map.of("dimLevel", 100), Map.of());
        assertThat(byZone.getException()).isNull();
        assertThat(byZone.getMessage().getHeader(HubCommandProducer.TARGETS_HEADER))
                .isEqualTo(List.of(LAMP_1.toString(), LAMP_2.toString()));
        assertThat(value(LAMP_1, "/features/lamp/desiredProperties/dimLevel")).isEqualTo(JsonValue.of(100));
        assertThat(value(LAMP_3, "/features/lamp/desiredProperties").isNull()).isTrue();

        Exchange same = send("hub:command?feature=lamp&sameZone=true", "{\"dimLevel\":60}",
                Map.of(HubHeaders.ZONE, "markt"));
        assertThat(same.getMessage().getHeader(HubCommandProducer.TARGETS_HEADER)).isEqualTo(List.of(LAMP_3.toString()));
        assertThat(value(LAMP_3, "/features/lamp/desiredProperties/dimLevel")).isEqualTo(JsonValue.of(60));

        Exchange otherNamespace = send("hub:command?feature=lamp&zone=stratumseind&namespace=nl.other.lighting",
                Map.of("dimLevel", 1), Map.of());
        assertThat(otherNamespace.getMessage().getHeader(HubCommandProducer.TARGETS_HEADER)).isEqualTo(List.of());

        Exchange noZone = send("hub:command?feature=lamp&sameZone=true", Map.of("dimLevel", 1), Map.of());
        assertThat(noZone.getException()).hasMessageContaining("sameZone=true: the exchange has no LantaarnZone "
                + "header");
        assertThat(value(LAMP_1, "/features/lamp/desiredProperties/dimLevel")).isEqualTo(JsonValue.of(100));
    }

    @Test
    void revertAfterSetsTheDesiredPropertiesBackToWhatTheThingReportedBefore() {
        startCity(null);

        Exchange sent = send("hub:command?feature=lamp&zone=stratumseind&revertAfter=PT0.5S",
                Map.of("dimLevel", 100, "scene", "bright"), Map.of());
        assertThat(sent.getException()).isNull();
        assertThat(value(LAMP_1, "/features/lamp/desiredProperties"))
                .isEqualTo(JsonObject.of("{\"dimLevel\":100,\"scene\":\"bright\"}"));

        // back to the reported dimLevel; scene was not reported, so the desired scene goes away
        await().until(() -> value(LAMP_1, "/features/lamp/desiredProperties")
                .equals(JsonObject.of("{\"dimLevel\":30}")));
        await().until(() -> value(LAMP_2, "/features/lamp/desiredProperties")
                .equals(JsonObject.of("{\"dimLevel\":50}")));
    }

    @Test
    void revertAfterKeepsTheValuesOfBeforeTheFirstCommandAndRevertsAtShutdown() {
        startCity(null);
        String uri = "hub:command?feature=lamp&thing=" + LAMP_1 + "&revertAfter=PT1H";

        send(uri, Map.of("dimLevel", 100), Map.of());
        // the adapter carried the command out and reports it
        twin.merge(LAMP_1, JsonPointer.of("/features/lamp/properties"), JsonObject.of("{\"dimLevel\":100}"),
                WriteCondition.any());
        send(uri, Map.of("dimLevel", 80), Map.of());
        assertThat(value(LAMP_1, "/features/lamp/desiredProperties/dimLevel")).isEqualTo(JsonValue.of(80));

        // stopping routing does not leave the lamp at 80 for good: it goes back to 30, reported before the first
        runtime.close();
        runtime = null;
        assertThat(value(LAMP_1, "/features/lamp/desiredProperties/dimLevel")).isEqualTo(JsonValue.of(30));
    }

    @Test
    void updateMergesIntoTheReportedPropertiesOfAFeature() {
        startCity(null);

        Exchange updated = send("hub:update?feature=report", Map.of("status", "in progress", "team", "oost"),
                Map.of(HubHeaders.THING_ID, REPORT.toString()));
        assertThat(updated.getException()).isNull();
        assertThat(value(REPORT, "/features/report/properties"))
                .isEqualTo(JsonObject.of("{\"status\":\"in progress\",\"team\":\"oost\"}"));
        send("hub:update?feature=report&thing=" + REPORT, "{\"status\":\"closed\"}", Map.of());
        assertThat(value(REPORT, "/features/report/properties"))
                .isEqualTo(JsonObject.of("{\"status\":\"closed\",\"team\":\"oost\"}"));

        assertThat(send("hub:update?feature=report", Map.of("status", "x"), Map.of(HubHeaders.THING_ID,
                LAMP_1.toString())).getException()).hasMessageContaining("has no feature report");
        assertThat(send("hub:update?feature=report", List.of(1), Map.of(HubHeaders.THING_ID, REPORT.toString()))
                .getException()).hasMessageContaining("non-empty JSON object");
    }

    @Test
    void alertsAreDeduplicatedByThingOrByZone() {
        write("alerts.yaml", alertRoute("by-zone", "&dedupBy=zone") + alertRoute("by-thing", "&dedupBy=thing")
                + alertRoute("by-default", ""));
        startCity(notifications);
        awaitStarted("by-zone");
        awaitStarted("by-thing");
        awaitStarted("by-default");

        for (String route : List.of("by-zone", "by-thing", "by-default")) {
            for (String thing : List.of(LAMP_1.toString(), LAMP_2.toString())) {
                runtime.context().createFluentProducerTemplate().to("direct:" + route).withBody(Map.of())
                        .withHeader(HubHeaders.THING_ID, thing).withHeader(HubAlertProducer.ZONE_HEADER,
                                "stratumseind").send();
            }
        }
        // without a thing the default is by zone
        for (int i = 0; i < 2; i++) {
            runtime.context().createFluentProducerTemplate().to("direct:by-default").withBody(Map.of())
                    .withHeader(HubHeaders.ZONE, "markt").send();
        }

        assertThat(sentBy("by-zone")).containsExactly(LAMP_1.toString());
        assertThat(sentBy("by-thing")).containsExactly(LAMP_1.toString(), LAMP_2.toString());
        assertThat(sentBy("by-default")).containsExactly(LAMP_1.toString(), LAMP_2.toString(), null);
        assertThat(notifications.sent.stream().filter(s -> s.alert().source().equals("route:by-default")
                && s.alert().thingId() == null).map(s -> s.alert().zone())).containsExactly("markt");
        assertThat(status("by-zone").suppressed()).isEqualTo(1);
    }

    @Test
    void badOptionsNameTheOptionAndWhatToWrite() {
        startCity(null);

        assertRefused("hub:things", "hub:things needs zone=<zone id>, sameZone=true");
        assertRefused("hub:things?zone=a&sameZone=true", "give one of zone=<zone id>, sameZone=true or nearThing");
        assertRefused("hub:things?nearThing=true", "needs radius=<metres>");
        assertRefused("hub:things?zone=a&radius=5", "radius and thing only apply with nearThing=true");
        assertRefused("hub:things?zone=a&limit=0", "limit=0 must be a whole number from 1 to 10000");
        assertRefused("hub:things?sameZone=yes", "sameZone=yes: write sameZone=true or sameZone=false");
        assertRefused("hub:things?nearThing=true&radius=far", "radius=far is not a number");
        assertRefused("hub:things?zone=a&feature=lamp/x", "feature=lamp/x: to find things by feature");
        assertRefused("hub:things?filter=gt(size,1)", "hub:things filter=gt(size,1): 'size' cannot be searched");
        assertRefused("hub:things?zone=a&zone=b", "option zone is given 2 times");
        assertRefused("hub:value", "hub:value needs pointer=<JSON pointer>");
        assertRefused("hub:value?pointer=/a&zone=b", "pointer= reads one value of one thing");
        assertRefused("hub:value?zone=a&feature=crowd&property=p", "needs feature=<feature id>, property=");
        assertRefused("hub:value?zone=a&feature=crowd&property=p&aggregate=avg", "aggregate=avg is not an aggregate");
        assertRefused("hub:value?zone=a&feature=crowd&property=p&aggregate=max&maxAge=PT2M",
                "maxAge needs timeProperty=");
        assertRefused("hub:value?zone=a&feature=crowd&property=p&aggregate=max&maxAge=2m&timeProperty=t",
                "maxAge=2m is not an ISO-8601 duration; write e.g. maxAge=PT2M");
        assertRefused("hub:value?zone=a&thing=x:y&feature=crowd&property=p&aggregate=max", "thing= applies with "
                + "pointer=");
        assertRefused("hub:command?feature=lamp&zone=a&nearThing=true&radius=5", "at most one of nearThing=true, "
                + "zone=<zone id> and sameZone=true");
        assertRefused("hub:command?feature=lamp&zone=a&thing=x:y", "thing= does not apply with zone=");
        assertRefused("hub:command?feature=lamp&namespace=a.b.c", "namespace only applies with nearThing=true, zone=");
        assertRefused("hub:command?feature=lamp&revertAfter=PT0S", "revertAfter=PT0S must be more than 0");
        assertRefused("hub:command?feature=lamp&revertAfter=10m", "revertAfter=10m is not an ISO-8601 duration");
        assertRefused("hub:update", "hub:update needs feature=<feature id>");
        assertRefused("hub:alert?channels=ops&title=x&dedupBy=street", "dedupBy=street: write dedupBy=thing");
        assertRefused("hub:nothing", "hub:things?zone=|sameZone=true");
    }

    private void assertRefused(String uri, String message) {
        assertThatThrownBy(() -> runtime.context().getEndpoint(uri)).as(uri)
                .isInstanceOf(ResolveEndpointFailedException.class).rootCause().hasMessageContaining(message);
    }

    private static String alertRoute(String id, String options) {
        return """
                - route:
                    id: %1$s
                    from:
                      uri: direct:%1$s
                      steps:
                        - to: "hub:alert?channels=ops&title=Crowded&dedupWindow=PT5M%2$s"
                """.formatted(id, options) + METADATA;
    }

    private List<String> sentBy(String route) {
        return notifications.sent.stream().filter(s -> s.alert().source().equals("route:" + route))
                .map(s -> s.alert().thingId()).toList();
    }
}
