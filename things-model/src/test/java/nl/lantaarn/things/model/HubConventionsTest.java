package nl.lantaarn.things.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;

class HubConventionsTest {

    @Test
    void conformingThingHasNoProblems() {
        Thing thing = Thing.newBuilder()
                .setId(HubConventions.thingId("nl", "eindhoven", "lighting", "lamppost-0042"))
                .setAttribute(JsonFactory.newPointer("location"), HubConventions.location(51.44, 5.48))
                .setAttribute(JsonFactory.newPointer("zone"), JsonFactory.newValue("stratumseind"))
                .build();
        assertThat(HubConventions.validate(thing)).isEmpty();
        assertThat(HubConventions.domainOf(thing.getEntityId().orElseThrow())).contains("lighting");
    }

    @Test
    void namespaceOutsideConventionIsNamed() {
        Thing thing = Thing.newBuilder().setId(ThingId.of("demo", "x")).build();
        assertThat(HubConventions.validate(thing)).singleElement().asString()
                .startsWith("thingId: namespace 'demo' must be <country>.<municipality>.<domain>");
    }

    @Test
    void badLocationNamesTheField() {
        Thing thing = ThingsModelFactory.newThing(JsonFactory.newObject("""
                {"thingId":"nl.demo.safety:n-1","attributes":{"location":{"type":"Point","coordinates":[500,51]},"zone":7}}
                """));
        assertThat(HubConventions.validate(thing)).containsExactly(
                "attributes/location/coordinates[0]: longitude 500.0 is outside -180..180",
                "attributes/zone: must be a string, was 7");
    }

    @Test
    void locationIsLongitudeFirst() {
        assertThat(HubConventions.location(51.44, 5.48).toString())
                .isEqualTo("{\"type\":\"Point\",\"coordinates\":[5.48,51.44]}");
        assertThatThrownBy(() -> HubConventions.location(95, 5)).hasMessageContaining("latitude 95.0 is outside");
    }

    @Test
    void updateDropsThingIdFromPatch() {
        ThingId id = ThingId.of("nl.demo.safety", "noise-n-7");
        ThingUpdate update = ThingUpdate.merge(Thing.newBuilder().setId(id)
                .setFeatureProperty("noise", JsonFactory.newPointer("laeq"), JsonFactory.newValue(72.4)).build());
        assertThat((Object) update.thingId()).isEqualTo(id);
        assertThat(update.patch().toString()).isEqualTo("{\"features\":{\"noise\":{\"properties\":{\"laeq\":72.4}}}}");
        assertThat(update).isEqualTo(ThingUpdate.merge(id, update.patch()));
    }
}
