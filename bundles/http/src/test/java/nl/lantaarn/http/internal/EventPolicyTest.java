package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event stream applies the access policies to every event: the hidden value never leaves the hub. */
class EventPolicyTest {

    @TempDir
    Path folder;

    private static EventFeed.StreamEvent event(String path, String value) {
        JsonObject data = JsonObject.newBuilder().set("thingId", "nl.eindhoven.safety:noise-7").set("revision", 2)
                .set("eventType", "things.events:thingMerged").set("time", "2026-11-24T20:00:00Z").set("path", path)
                .set("value", JsonObject.of(value)).build();
        return new EventFeed.StreamEvent(7, "nl.eindhoven.safety:noise-7", "nl.eindhoven.safety",
                ThingsModelFactory.newThing(ThingPoliciesTest.NOISE), data, EventFeed.StreamEvent.frame(7, data));
    }

    @Test
    void aChangeOfAHiddenPropertyIsNotSentAndAMixedChangeIsCut() throws Exception {
        Files.copy(Path.of("../../policies/default.json"), folder.resolve("default.json"));
        Files.writeString(folder.resolve("partners.json"), ThingPoliciesTest.PARTNERS);
        ThingPolicies policies = new ThingPolicies(folder, 0);
        EventStreamServlet servlet = new EventStreamServlet(null, TestClients.authenticator(), policies, null, 10, 15,
                1, 1);
        try {
            EventFeed.StreamEvent mixed = event("/features/noise/properties",
                    "{\"laeq\": 75.0, \"lamax\": 90.2}");
            assertThat(servlet.visibleFrame(ThingPoliciesTest.POLICE, mixed)).isSameAs(mixed.frame());
            String cut = servlet.visibleFrame(ThingPoliciesTest.WIJKAPP, mixed);
            assertThat(cut).contains("\"lamax\":90.2", "id: 7").doesNotContain("laeq");

            EventFeed.StreamEvent whole = event("/", ThingPoliciesTest.NOISE.toString());
            assertThat(servlet.visibleFrame(ThingPoliciesTest.WIJKAPP, whole)).contains("lamax")
                    .doesNotContain("laeq");

            JsonObject onlyLaeq = JsonObject.newBuilder().set("thingId", "nl.eindhoven.safety:noise-7")
                    .set("path", "/features/noise/properties/laeq").set("value", 75.0).build();
            EventFeed.StreamEvent hidden = new EventFeed.StreamEvent(8, "nl.eindhoven.safety:noise-7",
                    "nl.eindhoven.safety", ThingsModelFactory.newThing(ThingPoliciesTest.NOISE), onlyLaeq,
                    EventFeed.StreamEvent.frame(8, onlyLaeq));
            assertThat(servlet.visibleFrame(ThingPoliciesTest.WIJKAPP, hidden)).isNull();
            assertThat(servlet.visibleFrame(ThingPoliciesTest.POLICE, hidden)).contains("75.0");
        } finally {
            servlet.deactivate();
            policies.close();
        }
    }
}
