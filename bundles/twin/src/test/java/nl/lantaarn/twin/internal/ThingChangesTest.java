package nl.lantaarn.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import nl.lantaarn.twin.internal.ThingChanges.Change;
import nl.lantaarn.twin.internal.ThingChanges.Part;

class ThingChangesTest {

    private static final ThingId ID = ThingId.of("nl.eindhoven.lighting", "lamppost-0042");
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Thing LAMP = ThingsModelFactory.newThing(JsonObject.of("{\"thingId\":\"" + ID + "\","
            + "\"policyId\":\"" + ID + "\",\"definition\":\"org.fiware:Streetlight:1.0.0\","
            + "\"attributes\":{\"vendor\":\"acme\",\"zone\":\"WK077201\"},"
            + "\"features\":{\"light\":{\"definition\":[\"org.fiware:Streetlight:1.0.0\"],"
            + "\"properties\":{\"dim\":40,\"status\":{\"ok\":true}},\"desiredProperties\":{\"dim\":80}}},"
            + "\"_revision\":7,\"_created\":\"2026-01-01T00:00:00Z\"}"));

    @ParameterizedTest
    @CsvSource({
            "'', THING", "/policyId, POLICY_ID", "/definition, DEFINITION", "/attributes, ATTRIBUTES",
            "/attributes/a/b, ATTRIBUTE", "/features, FEATURES", "/features/light, FEATURE",
            "/features/light/definition, FEATURE_DEFINITION", "/features/light/properties, PROPERTIES",
            "/features/light/properties/status/ok, PROPERTY", "/features/light/desiredProperties, DESIRED_PROPERTIES",
            "/features/light/desiredProperties/dim, DESIRED_PROPERTY"})
    void pathsNameTheirPart(String path, Part part) {
        assertThat(ThingChanges.partOf(JsonPointer.of(path))).isEqualTo(part);
    }

    @ParameterizedTest
    @CsvSource({"/thingId", "/_revision", "/policyId/x", "/features/light/colour", "/features/light/definition/0",
            "/unknown"})
    void otherPathsAreRefusedByName(String path) {
        assertThatThrownBy(() -> ThingChanges.partOf(JsonPointer.of(path)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + path + "'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/policyId | \"nl.eindhoven.lighting:other\" | things.events:policyIdModified",
            "/definition | \"org.fiware:Streetlight:2.0.0\" | things.events:definitionModified",
            "/attributes | {\"vendor\":\"x\"} | things.events:attributesModified",
            "/attributes/vendor | \"x\" | things.events:attributeModified",
            "/attributes/model | \"x\" | things.events:attributeCreated",
            "/features | {\"light\":{}} | things.events:featuresModified",
            "/features/light | {\"properties\":{\"dim\":1}} | things.events:featureModified",
            "/features/noise | {\"properties\":{\"laeq\":1}} | things.events:featureCreated",
            "/features/light/definition | [\"org.fiware:Streetlight:2.0.0\"] | things.events:featureDefinitionModified",
            "/features/light/properties | {\"dim\":1} | things.events:featurePropertiesModified",
            "/features/light/properties/dim | 1 | things.events:featurePropertyModified",
            "/features/light/properties/power | 1 | things.events:featurePropertyCreated",
            "/features/light/desiredProperties | {\"dim\":1} | things.events:featureDesiredPropertiesModified",
            "/features/light/desiredProperties/dim | 1 | things.events:featureDesiredPropertyModified",
            "/features/light/desiredProperties/on | true | things.events:featureDesiredPropertyCreated"})
    void modifyRaisesTheEventOfThePath(String path, String value, String type) {
        Change change = ThingChanges.modify(ID, LAMP, JsonPointer.of(path), JsonFactory.readFrom(value), 8, NOW);
        assertThat(change.event().getType()).isEqualTo(type);
        assertThat(change.event().getRevision()).isEqualTo(8);
        assertThat(change.thing().getRevision().orElseThrow().toLong()).isEqualTo(8);
        assertThat(change.thing().getModified()).contains(NOW);
        assertThat(change.thing().getCreated()).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(change.thing().toJson().getValue(JsonPointer.of(path))).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            " | things.events:thingDeleted",
            "/definition | things.events:definitionDeleted",
            "/attributes | things.events:attributesDeleted",
            "/attributes/vendor | things.events:attributeDeleted",
            "/features | things.events:featuresDeleted",
            "/features/light | things.events:featureDeleted",
            "/features/light/definition | things.events:featureDefinitionDeleted",
            "/features/light/properties | things.events:featurePropertiesDeleted",
            "/features/light/properties/status/ok | things.events:featurePropertyDeleted",
            "/features/light/desiredProperties | things.events:featureDesiredPropertiesDeleted",
            "/features/light/desiredProperties/dim | things.events:featureDesiredPropertyDeleted"})
    void deleteRaisesTheEventOfThePath(String path, String type) {
        JsonPointer pointer = JsonPointer.of(path == null ? "" : path);
        Change change = ThingChanges.delete(ID, LAMP, pointer, 8, NOW);
        assertThat(change.event().getType()).isEqualTo(type);
        if (pointer.isEmpty()) {
            assertThat(change.thing()).isNull();
        } else {
            assertThat(change.thing().toJson().getValue(pointer)).isEmpty();
        }
    }

    /** Root merges that touch only attributes and existing features go part by part; the outcome must not differ. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"features\":{\"light\":{\"properties\":{\"dim\":55}}}}",
            "{\"features\":{\"light\":{\"properties\":{\"dim\":40}}}}",
            "{\"features\":{\"light\":{\"properties\":{\"status\":null,\"power\":{\"w\":12}}}}}",
            "{\"features\":{\"light\":{\"desiredProperties\":null,\"definition\":[\"org.fiware:Streetlight:2.0.0\"]}}}",
            "{\"features\":{\"light\":null}}",
            "{\"attributes\":{\"vendor\":\"acme\"},\"features\":{\"light\":{\"properties\":{\"dim\":1}}}}",
            "{\"attributes\":{\"vendor\":\"other\",\"zone\":null,\"model\":\"m1\"}}",
            "{\"attributes\":{\"location\":{\"type\":\"Point\",\"coordinates\":[5.47,51.44]}}}",
            "{\"features\":{\"noise\":{\"properties\":{\"laeq\":71}}}}",
            "{\"definition\":\"org.fiware:Streetlight:2.0.0\"}"})
    void aRootMergeEqualsTheMergeOfTheWholeThing(String patch) {
        JsonObject json = JsonObject.of(patch);
        Thing expected = ThingsModelFactory.newThing(org.eclipse.ditto.json.JsonMergePatch.of(json)
                .applyOn(LAMP.toJson()).asObject().setValue("thingId", ID.toString()));

        Thing merged = ThingChanges.merge(ID, LAMP, JsonPointer.empty(), json, 8, NOW).thing();

        assertThat(merged.toJson()).isEqualTo(expected.toJson());
        assertThat(merged.getRevision().orElseThrow().toLong()).isEqualTo(8);
        assertThat(merged.getModified()).contains(NOW);
        assertThat(merged.getCreated()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void aNumberTooLargeForJsonIsRefusedNamingItsPathAndTheThingStaysReadable() {
        JsonObject patch = JsonObject.of("{\"features\":{\"light\":{\"properties\":{\"dim\":[1,1e309]}}}}");
        assertThatThrownBy(() -> ThingChanges.merge(ID, LAMP, JsonPointer.empty(), patch, 8, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("/features/light/properties/dim: the number is too large for JSON");
        assertThatThrownBy(() -> ThingChanges.modify(ID, LAMP, JsonPointer.of("/attributes/height"),
                JsonFactory.readFrom("-1e309"), 8, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/attributes/height");
        // a large finite number goes in and comes back as JSON
        Thing merged = ThingChanges.merge(ID, LAMP, JsonPointer.of("/attributes"),
                JsonObject.of("{\"height\":1e308}"), 8, NOW).thing();
        assertThat(JsonFactory.readFrom(merged.toJson().toString()).asObject().getValue("attributes/height"))
                .isPresent();
    }

    @Test
    void aRootMergeKeepsThePartsItDoesNotChange() {
        JsonObject patch = JsonObject.of("{\"attributes\":{\"vendor\":\"acme\",\"zone\":\"WK077201\"},"
                + "\"features\":{\"light\":{\"properties\":{\"dim\":55}}}}");

        Thing merged = ThingChanges.merge(ID, LAMP, JsonPointer.empty(), patch, 8, NOW).thing();

        assertThat(merged.getAttributes().orElseThrow()).isSameAs(LAMP.getAttributes().orElseThrow());
        assertThat(merged.getFeatures().orElseThrow().getFeature("light").orElseThrow().getProperty("dim"))
                .contains(org.eclipse.ditto.json.JsonValue.of(55));
    }

    @Test
    void aRootMergeOfAttributesStillChecksTheConventions() {
        JsonObject patch = JsonObject.of("{\"attributes\":{\"location\":{\"type\":\"Point\"}}}");
        assertThatThrownBy(() -> ThingChanges.merge(ID, LAMP, JsonPointer.empty(), patch, 8, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attributes/location");
    }

    @Test
    void aRootMergeOfFeaturePropertiesStillChecksTheKeys() {
        JsonObject patch = JsonObject.of("{\"features\":{\"light\":{\"properties\":{\"a/b\":1}}}}");
        assertThatThrownBy(() -> ThingChanges.merge(ID, LAMP, JsonPointer.empty(), patch, 8, NOW))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void theFirstMergeCreatesWithoutTheNulls() {
        Change change = ThingChanges.merge(ID, null, JsonPointer.empty(),
                JsonObject.of("{\"attributes\":{\"zone\":null,\"vendor\":\"acme\"}}"), 1, NOW);
        assertThat(change.event().getType()).isEqualTo("things.events:thingCreated");
        assertThat(change.thing().getAttributes().orElseThrow().toJson().toString()).isEqualTo("{\"vendor\":\"acme\"}");
        assertThat(change.thing().getCreated()).contains(NOW);
    }
}
