package nl.lantaarn.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyModified;
import org.eclipse.ditto.things.model.signals.events.ThingDeleted;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.junit.jupiter.api.Test;

import nl.lantaarn.history.internal.PropertyChanges.Change;
import nl.lantaarn.twin.api.TwinEvent;

class PropertyChangesTest {

    private static final ThingId ID = ThingId.of("nl.demo.safety", "noise-n-1");
    private static final Instant AT = Instant.parse("2026-11-23T21:00:00Z");

    @Test
    void createdThingGivesEveryPropertyLeaf() {
        TwinEvent created = TestEvents.created(ID, 71.5, AT);
        assertThat(PropertyChanges.of(created.event())).containsExactlyInAnyOrder(
                new Change("noise", JsonPointer.of("/laeq"), 71.5),
                new Change("noise", JsonPointer.of("/units/laeq"), "dB(A)"));
        assertThat(PropertyChanges.definition(created.thing(), "noise")).isEqualTo(TestEvents.NOISE);
        assertThat(PropertyChanges.definition(created.thing(), "other")).isEmpty();
    }

    @Test
    void mergePatchGivesWhatItSetsAndSkipsRemovalsAttributesAndDesiredProperties() {
        JsonObject patch = JsonObject.of("{\"attributes\":{\"zone\":\"centrum\"},\"features\":{"
                + "\"noise\":{\"properties\":{\"laeq\":80,\"peak\":null,\"on\":true,\"tags\":[\"a\",1],\"empty\":{}},"
                + "\"desiredProperties\":{\"laeq\":1}},"
                + "\"gone\":null}}");
        TwinEvent merged = TestEvents.merged(TestEvents.created(ID, 71.5, AT).thing(), patch, AT.plusSeconds(1));
        List<Change> changes = PropertyChanges.of(merged.event());
        assertThat(changes).containsExactlyInAnyOrder(
                new Change("noise", JsonPointer.of("/laeq"), 80L),
                new Change("noise", JsonPointer.of("/on"), true),
                new Change("noise", JsonPointer.of("/tags"), new Values.JsonText("[\"a\",1]")));
    }

    @Test
    void eventsAtAPathGiveThePropertiesBelowIt() {
        var property = FeaturePropertyModified.of(ID, "noise", JsonPointer.of("/units/laeq"), JsonValue.of("dB"), 3, AT,
                DittoHeaders.empty(), null);
        assertThat(PropertyChanges.of(property)).containsExactly(new Change("noise", JsonPointer.of("/units/laeq"), "dB"));

        var properties = ThingMerged.of(ID, JsonPointer.of("/features/noise/properties"),
                JsonObject.of("{\"laeq\":60.25}"), 4, AT, DittoHeaders.empty(), null);
        assertThat(PropertyChanges.of(properties)).containsExactly(new Change("noise", JsonPointer.of("/laeq"), 60.25));

        var feature = ThingMerged.of(ID, JsonPointer.of("/features/light"),
                JsonObject.of("{\"properties\":{\"dim\":{\"level\":40}}}"), 5, AT, DittoHeaders.empty(), null);
        assertThat(PropertyChanges.of(feature)).containsExactly(new Change("light", JsonPointer.of("/dim/level"), 40L));

        var attribute = ThingMerged.of(ID, JsonPointer.of("/attributes/zone"), JsonValue.of("x"), 6, AT,
                DittoHeaders.empty(), null);
        assertThat(PropertyChanges.of(attribute)).isEmpty();
        assertThat(PropertyChanges.of(ThingDeleted.of(ID, 7, AT, DittoHeaders.empty(), null))).isEmpty();
    }
}
