package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/** hub:command against the real twin service. */
class HubCommandTest extends RoutingTestSupport {

    private static final ThingId SENSOR = ThingId.of("nl.demo.safety:sensor-1");
    private static final ThingId NEAR = ThingId.of("nl.demo.lighting:lamp-near");
    private static final ThingId FAR = ThingId.of("nl.demo.lighting:lamp-far");
    private static final ThingId OTHER_NAMESPACE = ThingId.of("nl.other.lighting:lamp-near");
    private static final ThingId NO_LAMP = ThingId.of("nl.demo.lighting:pole-near");

    private final TwinServiceComponent twin = new TwinServiceComponent(new MemoryTwinStore());

    @AfterEach
    void stopTwin() {
        twin.deactivate();
    }

    private void thing(ThingId id, double latitude, double longitude, String feature) {
        JsonObject features = feature == null ? JsonObject.empty()
                : JsonObject.newBuilder().set(feature, JsonObject.newBuilder()
                        .set("properties", JsonObject.newBuilder().set("dimLevel", 100).build()).build()).build();
        twin.apply(ThingUpdate.merge(id, JsonObject.newBuilder()
                .set("attributes", JsonObject.newBuilder()
                        .set(HubConventions.LOCATION, HubConventions.location(latitude, longitude)).build())
                .set("features", features)
                .build()));
    }

    private JsonValue desired(ThingId id) {
        Thing thing = twin.retrieve(id).orElseThrow();
        return thing.toJson().getValue(JsonPointer.of("/features/lamp/desiredProperties")).orElse(JsonValue.nullLiteral());
    }

    /** The desired properties as a Java map, so key order does not matter. */
    private Map<String, Object> desiredMap(ThingId id) {
        return JsonConversion.toMap(desired(id).asObject());
    }

    private void startWith(String uri) {
        write("command.yaml", """
                - route:
                    id: dim
                    from:
                      uri: direct:dim
                      steps:
                        - to: "%s"
                """.formatted(uri) + METADATA);
        start(new HubServices(() -> null, () -> twin, Clock.systemUTC(), new RouteCounters()), null);
        awaitStarted("dim");
    }

    @Test
    void mergesTheBodyIntoTheDesiredPropertiesOfTheThingInTheHeader() {
        thing(NEAR, 51.4416, 5.4697, "lamp");
        startWith("hub:command?feature=lamp");

        Object targets = runtime.context().createFluentProducerTemplate().to("direct:dim")
                .withBody(Map.of("dimLevel", 40, "scene", "calm"))
                .withHeader(HubHeaders.THING_ID, NEAR.toString())
                .request(org.apache.camel.Exchange.class).getMessage().getHeader(HubCommandProducer.TARGETS_HEADER);

        assertThat(targets).isEqualTo(List.of(NEAR.toString()));
        assertThat(desiredMap(NEAR)).isEqualTo(JsonConversion.toMap(JsonObject.of("{\"dimLevel\":40,\"scene\":\"calm\"}")));
        // reported properties are the adapter's business, untouched
        assertThat(twin.retrieve(NEAR).orElseThrow().toJson().getValue("features/lamp/properties/dimLevel"))
                .contains(JsonValue.of(100));

        // a later command merges: keys not named stay
        runtime.context().createFluentProducerTemplate().to("direct:dim").withBody("{\"dimLevel\":10}")
                .withHeader(HubHeaders.THING_ID, NEAR.toString()).send();
        assertThat(desiredMap(NEAR)).isEqualTo(JsonConversion.toMap(JsonObject.of("{\"dimLevel\":10,\"scene\":\"calm\"}")));
        assertThat(status("dim").out()).isEqualTo(2);
    }

    @Test
    void theThingOptionWinsOverTheHeader() {
        thing(NEAR, 51.4416, 5.4697, "lamp");
        thing(FAR, 51.4416, 5.4797, "lamp");
        startWith("hub:command?feature=lamp&thing=" + FAR);

        runtime.context().createFluentProducerTemplate().to("direct:dim").withBody(Map.of("dimLevel", 40))
                .withHeader(HubHeaders.THING_ID, NEAR.toString()).send();

        assertThat(desiredMap(FAR)).isEqualTo(JsonConversion.toMap(JsonObject.of("{\"dimLevel\":40}")));
        assertThat(desired(NEAR).isNull()).isTrue();
    }

    @Test
    void nearThingCommandsEveryThingWithTheFeatureWithinTheRadiusInTheNamespace() {
        thing(SENSOR, 51.44160, 5.46970, "noise");
        // about 33 m north of the sensor
        thing(NEAR, 51.44190, 5.46970, "lamp");
        // about 700 m east
        thing(FAR, 51.44160, 5.47970, "lamp");
        thing(OTHER_NAMESPACE, 51.44170, 5.46970, "lamp");
        thing(NO_LAMP, 51.44165, 5.46970, null);
        startWith("hub:command?feature=lamp&nearThing=true&radius=50&namespace=nl.demo.lighting");

        Object targets = runtime.context().createFluentProducerTemplate().to("direct:dim")
                .withBody(Map.of("dimLevel", 100, "scene", "bright"))
                .withHeader(HubHeaders.THING_ID, SENSOR.toString())
                .request(org.apache.camel.Exchange.class).getMessage().getHeader(HubCommandProducer.TARGETS_HEADER);

        assertThat(targets).isEqualTo(List.of(NEAR.toString()));
        assertThat(desiredMap(NEAR)).isEqualTo(JsonConversion.toMap(JsonObject.of("{\"dimLevel\":100,\"scene\":\"bright\"}")));
        assertThat(desired(FAR).isNull()).isTrue();
        assertThat(desired(OTHER_NAMESPACE).isNull()).isTrue();
    }

    @Test
    void aBodyThatIsNotAnObjectOrAMissingThingFailsTheExchange() {
        thing(NEAR, 51.4416, 5.4697, "lamp");
        startWith("hub:command?feature=lamp");

        assertThatThrownBy(() -> runtime.context().createFluentProducerTemplate().to("direct:dim")
                .withBody(List.of(1, 2)).withHeader(HubHeaders.THING_ID, NEAR.toString()).request())
                .rootCause().hasMessageContaining("non-empty JSON object");
        assertThatThrownBy(() -> runtime.context().createFluentProducerTemplate().to("direct:dim")
                .withBody(Map.of("dimLevel", 1)).request())
                .rootCause().hasMessageContaining("no thing to command");
        assertThat(status("dim").failed()).isEqualTo(2);
        assertThat(desired(NEAR).isNull()).isTrue();
    }

    @Test
    void theHaversineDistanceIsRightForAKnownPair() {
        // Eindhoven station to Stratumseind, about 1.06 km
        double metres = HubCommandProducer.metres(new double[] {5.4793, 51.4432}, new double[] {5.4817, 51.4344});
        assertThat(metres).isBetween(980.0, 1000.0);
    }
}
