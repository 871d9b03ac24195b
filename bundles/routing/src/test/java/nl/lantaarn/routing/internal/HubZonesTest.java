package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.junit.jupiter.api.Test;

import nl.lantaarn.routing.internal.RecordingMqttConnection.Published;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.TwinListeners;

/** hub:events zone filter and zone headers, hub:things and hub:value, on a real twin and the real search. */
class HubZonesTest extends ZoneTestSupport {

    private static final String EVENTS_ROUTE = """
            - route:
                id: %1$s
                from:
                  uri: "hub:events%2$s"
                  steps:
                    - setBody:
                        simple: "${header.LantaarnThingId} zone=${header.LantaarnZone} alertZone=${header.zone}"
                    - to: mqtt:test/%1$s
            """ + METADATA;

    @Test
    void eventsCarryTheZoneAndTheZoneFilterMatchesByAttributeOrLocation() {
        write("zones.yaml", EVENTS_ROUTE.formatted("all", "?domain=lighting")
                + EVENTS_ROUTE.formatted("stratumseind", "?domain=lighting&zone=stratumseind")
                + EVENTS_ROUTE.formatted("markt", "?zone=markt&feature=lamp"));
        startCity(null);
        awaitStarted("all");
        awaitStarted("stratumseind");
        awaitStarted("markt");
        TwinListeners.add(twin, runtime::onTwinEvent);

        // a lamp in stratumseind by location; one in markt by location; one tagged with a zone code but standing in
        // stratumseind (its attribute wins for the header, the filter matches both); one in no zone
        twin.merge(LAMP_1, JsonPointer.of("/features/lamp/properties"), JsonObject.of("{\"dimLevel\":31}"),
                nl.lantaarn.twin.api.WriteCondition.any());
        twin.merge(LAMP_3, JsonPointer.of("/features/lamp/properties"), JsonObject.of("{\"dimLevel\":21}"),
                nl.lantaarn.twin.api.WriteCondition.any());
        twin.apply(ThingUpdate.merge(LAMP_2, JsonObject.of("{\"attributes\":{\"zone\":\"WK077201\"}}")));
        twin.merge(LAMP_4, JsonPointer.of("/features/lamp/properties"), JsonObject.of("{\"dimLevel\":21}"),
                nl.lantaarn.twin.api.WriteCondition.any());

        await().until(() -> texts("all").size() == 4);
        assertThat(texts("all")).containsExactly(
                "nl.demo.lighting:lamp-1 zone=stratumseind alertZone=stratumseind",
                "nl.demo.lighting:lamp-3 zone=markt alertZone=markt",
                "nl.demo.lighting:lamp-2 zone=WK077201 alertZone=WK077201",
                "nl.demo.lighting:lamp-4 zone= alertZone=");
        await().until(() -> texts("stratumseind").size() == 2 && texts("markt").size() == 1);
        assertThat(texts("stratumseind")).containsExactly(
                "nl.demo.lighting:lamp-1 zone=stratumseind alertZone=stratumseind",
                "nl.demo.lighting:lamp-2 zone=WK077201 alertZone=WK077201");
        assertThat(texts("markt")).containsExactly("nl.demo.lighting:lamp-3 zone=markt alertZone=markt");
    }

    @Test
    void theZoneOfAViewIsLookedUpOnceAndOnlyWhenAsked() {
        int[] asked = new int[1];
        ZoneLookup lookup = new ZoneLookup(() -> {
            asked[0]++;
            return search;
        });
        var event = TestThings.created(twin.retrieve(LAMP_1).orElseThrow());
        TwinEventView view = TwinEventView.of(event, lookup);
        HubFilter byDomain = new HubFilter(null, null, "lighting", null, null, null);
        assertThat(byDomain.matches(view)).isTrue();
        assertThat(asked[0]).as("no zone filter, no header yet: no lookup").isZero();

        assertThat(new HubFilter(null, null, null, null, null, "stratumseind").matches(view)).isTrue();
        assertThat(new HubFilter(null, null, null, null, null, "markt").matches(view)).isFalse();
        assertThat(view.zone()).isEqualTo("stratumseind");
        assertThat(asked[0]).isEqualTo(1);
        // the next event of the same thing at the same place is answered from memory
        TwinEventView next = TwinEventView.of(event, lookup);
        assertThat(next.zone()).isEqualTo("stratumseind");
        assertThat(asked[0]).isEqualTo(1);
        // a thing tagged with a zone needs no lookup for its header
        TwinEventView tagged = TwinEventView.of(TestThings.created(twin.retrieve(REPORT).orElseThrow()), lookup);
        assertThat(tagged.zone()).isEqualTo("stratumseind");
        assertThat(asked[0]).isEqualTo(1);
        // without a search service only the attribute counts
        assertThat(TwinEventView.of(event, new ZoneLookup(() -> null)).zone()).isNull();
    }

    @Test
    void thingsInAZoneInTheSameZoneAndNearAThing() {
        startCity(null);

        assertThat(things("hub:things?zone=stratumseind&feature=lamp", Map.of()))
                .containsExactly(LAMP_1.toString(), LAMP_2.toString());
        // a thing without location counts when its attributes/zone names the zone (the search's rule)
        assertThat(things("hub:things?zone=stratumseind", Map.of())).contains(REPORT.toString(), SENSOR.toString())
                .doesNotContain(LAMP_3.toString());
        assertThat(things("hub:things?sameZone=true&feature=lamp", Map.of(HubHeaders.ZONE, "markt")))
                .containsExactly(LAMP_3.toString());
        assertThat(things("hub:things?sameZone=true&feature=lamp", Map.of())).isEmpty();
        // lamp-1 is 13 m away, lamp-2 about 120 m; the sensor itself is left out
        assertThat(things("hub:things?nearThing=true&radius=50", Map.of(HubHeaders.THING_ID, SENSOR.toString())))
                .containsExactly(LAMP_1.toString());
        assertThat(things("hub:things?nearThing=true&radius=150&feature=lamp&thing=" + SENSOR, Map.of()))
                .containsExactly(LAMP_1.toString(), LAMP_2.toString());
        assertThat(things("hub:things?filter=eq(attributes/zone,\"stratumseind\")", Map.of()))
                .containsExactly(REPORT.toString());
        assertThat(things("hub:things?zone=stratumseind&feature=lamp&limit=1", Map.of()))
                .containsExactly(LAMP_1.toString());

        Exchange named = send("hub:things?zone=markt&header=marktThings", null, Map.of());
        assertThat(named.getMessage().getHeader("marktThings")).isEqualTo(List.of(LAMP_3.toString(),
                COUNTER_3.toString()).stream().sorted().toList());

        Exchange unknown = send("hub:things?zone=nowhere", null, Map.of());
        assertThat(unknown.getException()).hasMessageContaining("hub:things: Zone 'nowhere' is not known");
        Exchange far = send("hub:things?nearThing=true&radius=50", null, Map.of(HubHeaders.THING_ID, REPORT.toString()));
        assertThat(far.getException()).hasMessageContaining("has no location");
    }

    @Test
    void aRouteFileWithThingsAndValueStepsWorks() {
        write("enrich.yaml", """
                - route:
                    id: enrich
                    from:
                      uri: direct:enrich
                      steps:
                        - to: "hub:things?zone=stratumseind&filter=gt(features/lamp/properties/dimLevel,40)"
                        - to: "hub:value?zone=stratumseind&feature=crowd&property=peopleCount&aggregate=sum"
                        - setBody:
                            simple: "${header.LantaarnThings} ${header.LantaarnValue}"
                """ + METADATA);
        startCity(null);
        awaitStarted("enrich");

        assertThat(ask("enrich")).isEqualTo("[nl.demo.lighting:lamp-2] 420");
    }

    @Test
    void valueOfOneThingAndAggregatesOverAZone() {
        startCity(null);

        assertThat(value("hub:value?pointer=/features/lamp/properties/dimLevel", Map.of(HubHeaders.THING_ID,
                LAMP_2.toString()))).isEqualTo(50);
        assertThat(value("hub:value?thing=" + LAMP_1 + "&pointer=/attributes/location", Map.of()))
                .isEqualTo(JsonConversion.toJava(HubConventions.location(51.4419, 5.4788)));
        assertThat(value("hub:value?thing=" + LAMP_1 + "&pointer=/features/lamp/properties/scene", Map.of())).isNull();
        assertThat(value("hub:value?thing=nl.demo.lighting:gone&pointer=/features", Map.of())).isNull();

        String crowd = "hub:value?zone=stratumseind&feature=crowd&property=peopleCount&aggregate=";
        assertThat(value(crowd + "max", Map.of())).isEqualTo(300);
        assertThat(value(crowd + "min", Map.of())).isEqualTo(120);
        assertThat(value(crowd + "sum", Map.of())).isEqualTo(420L);
        assertThat(value(crowd + "count", Map.of())).isEqualTo(2);
        assertThat(value(crowd + "latest&timeProperty=observedAt", Map.of())).isEqualTo(120);
        // counter-2 observed 5 minutes before now: too old
        assertThat(value(crowd + "max&maxAge=PT2M&timeProperty=observedAt", Map.of())).isEqualTo(120);
        assertThat(value(crowd + "count&maxAge=PT2M&timeProperty=observedAt", Map.of())).isEqualTo(1);
        assertThat(value(crowd + "max&maxAge=PT10M&timeProperty=observedAt", Map.of())).isEqualTo(300);

        String same = "hub:value?sameZone=true&feature=crowd&property=peopleCount&aggregate=max";
        assertThat(value(same, Map.of(HubHeaders.ZONE, "markt"))).isEqualTo(7);
        // counter-3 observed at 23:14:59+01:00, an hour before now
        assertThat(value(same + "&maxAge=PT2M&timeProperty=observedAt", Map.of(HubHeaders.ZONE, "markt"))).isNull();
        assertThat(value(same, Map.of())).isNull();
        assertThat(value("hub:value?zone=markt&feature=lamp&property=dimLevel&aggregate=max&header=brightest",
                Map.of(), "brightest")).isEqualTo(20);
        assertThat(value("hub:value?zone=markt&feature=noise&property=laeq&aggregate=max", Map.of())).isNull();

        Exchange unknown = send("hub:value?zone=nowhere&feature=crowd&property=peopleCount&aggregate=max", null,
                Map.of());
        assertThat(unknown.getException()).hasMessageContaining("Zone 'nowhere' is not known");
    }

    private List<String> things(String uri, Map<String, Object> headers) {
        Exchange exchange = send(uri, null, headers);
        assertThat(exchange.getException()).isNull();
        @SuppressWarnings("unchecked")
        List<String> ids = exchange.getMessage().getHeader(HubThingsEndpoint.DEFAULT_HEADER, List.class);
        return ids;
    }

    private Object value(String uri, Map<String, Object> headers) {
        return value(uri, headers, HubValueEndpoint.DEFAULT_HEADER);
    }

    private Object value(String uri, Map<String, Object> headers, String header) {
        Exchange exchange = send(uri, null, headers);
        assertThat(exchange.getException()).isNull();
        return exchange.getMessage().getHeader(header);
    }

    private List<String> texts(String route) {
        return mqtt.published.stream().filter(p -> p.topic().equals("test/" + route)).map(Published::text).toList();
    }
}
