package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.routing.internal.RecordingMqttConnection.Published;

class HubEventsTest extends RoutingTestSupport {

    private static final String ROUTE = """
            - route:
                id: %1$s
                from:
                  uri: "hub:events%2$s"
                  steps:
                    - setBody:
                        simple: "${header.LantaarnEventType} ${header.LantaarnThingId} ${header.LantaarnRevision} ${header.LantaarnNamespace} ${header.LantaarnDomain}"
                    - to: mqtt:test/%1$s
                description: test route
                routeProperties:
                  purpose: tests
                  legalBasis: PUBLIC_TASK
                  owner: tests
            """;

    @BeforeEach
    void startRoutes() {
        write("filters.yaml", String.join("", List.of(
                ROUTE.formatted("all", ""),
                ROUTE.formatted("noise", "?feature=noise"),
                ROUTE.formatted("lighting", "?domain=lighting"),
                ROUTE.formatted("safety-namespace", "?namespace=nl.eindhoven.safety"),
                ROUTE.formatted("one-thing", "?thing=nl.eindhoven.safety:stratumseind-12"),
                ROUTE.formatted("noise-definition", "?definition=org.fiware.smartdatamodels:NoiseLevelObserved"),
                ROUTE.formatted("wrong-definition", "?feature=noise&definition=org.fiware.smartdatamodels:Streetlight"))));
        start();
    }

    @Test
    void deliversEachEventToTheRoutesWhoseFiltersMatch() {
        Thing pole = TestThings.noiseThing(TestThings.POLE, 64.0, 1);
        Thing lamp = TestThings.noiseThing(TestThings.LAMP, 50.0, 7);
        Thing poleZoned = pole.setAttribute(JsonPointer.of("zone"), JsonValue.of("WK077201")).toBuilder().setRevision(2L).build();
        Thing poleLouder = poleZoned.setFeatureProperty("noise", JsonPointer.of("laeq"), JsonValue.of(75.0))
                .toBuilder().setRevision(3L).build();

        runtime.onTwinEvent(TestThings.created(pole));
        runtime.onTwinEvent(TestThings.merged(poleZoned, "/attributes/zone", JsonValue.of("WK077201")));
        runtime.onTwinEvent(TestThings.merged(lamp, "/", JsonObject.newBuilder()
                .set("features", JsonObject.newBuilder().set("noise", JsonObject.newBuilder()
                        .set("properties", TestThings.noiseProperties(50.0)).build()).build())
                .build()));
        runtime.onTwinEvent(TestThings.merged(poleLouder, "/features/noise/properties/laeq", JsonValue.of(75.0)));

        await().until(() -> texts("all").size() == 4);
        assertThat(texts("all")).containsExactly(
                "thingCreated nl.eindhoven.safety:stratumseind-12 1 nl.eindhoven.safety safety",
                "thingMerged nl.eindhoven.safety:stratumseind-12 2 nl.eindhoven.safety safety",
                "thingMerged nl.eindhoven.lighting:lamppost-0042 7 nl.eindhoven.lighting lighting",
                "thingMerged nl.eindhoven.safety:stratumseind-12 3 nl.eindhoven.safety safety");
        // every route has seen the last event once "all" has: wait for the routes that get it, then compare
        await().until(() -> texts("noise").size() == 3 && texts("safety-namespace").size() == 3
                && texts("one-thing").size() == 3 && texts("noise-definition").size() == 3);
        assertThat(revisions("noise")).containsExactly("1", "7", "3");
        assertThat(revisions("noise-definition")).containsExactly("1", "7", "3");
        assertThat(revisions("safety-namespace")).containsExactly("1", "2", "3");
        assertThat(revisions("one-thing")).containsExactly("1", "2", "3");
        await().until(() -> texts("lighting").size() == 1);
        assertThat(revisions("lighting")).containsExactly("7");
        assertThat(texts("wrong-definition")).isEmpty();
    }

    @Test
    void bodyIsTheThingAsNestedJavaValues() throws Exception {
        write("body.yaml", """
                - route:
                    id: body-check
                    from:
                      uri: hub:events?thing=nl.eindhoven.safety:stratumseind-12
                      steps:
                        - setBody:
                            simple: "${body[features][noise][properties][laeq].getClass().getSimpleName()} ${body[attributes][location][coordinates][1]} ${body[thingId]}"
                        - to: mqtt:test/body
                    description: test route
                    routeProperties:
                      purpose: tests
                      legalBasis: PUBLIC_TASK
                      owner: tests
                """);
        awaitStarted("body-check");

        runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 71.5, 1)));

        await().until(() -> texts("body").size() == 1);
        assertThat(texts("body")).containsExactly("Double 51.4416 nl.eindhoven.safety:stratumseind-12");
    }

    private List<String> texts(String route) {
        return mqtt.published.stream().filter(p -> p.topic().equals("test/" + route)).map(Published::text).toList();
    }

    private List<String> revisions(String route) {
        return texts(route).stream().map(text -> text.split(" ")[2]).toList();
    }
}
