package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.junit.jupiter.api.Test;

import nl.lantaarn.things.model.FeatureDefinitions;

class TwinEventViewTest {

    @Test
    void aMergeTouchesTheFeaturesItsPathOrValueNames() {
        assertThat(touched("/features/noise/properties/laeq", JsonValue.of(71))).containsExactly("noise");
        assertThat(touched("/features/noise", JsonObject.empty())).containsExactly("noise");
        assertThat(touched("/features", JsonObject.of("{\"noise\":{},\"crowd\":{}}"))).containsExactly("noise", "crowd");
        assertThat(touched("/", JsonObject.of("{\"attributes\":{\"zone\":\"x\"},\"features\":{\"air\":null}}")))
                .containsExactly("air");
        assertThat(touched("/attributes/zone", JsonValue.of("x"))).isEmpty();
        assertThat(touched("/", JsonObject.of("{\"attributes\":{}}"))).isEmpty();
    }

    @Test
    void aCreationTouchesEveryFeature() {
        TwinEventView view = TwinEventView.of(TestThings.created(TestThings.noiseThing(TestThings.POLE, 60, 1)));

        assertThat(view.touchedFeatures()).containsExactly("noise");
        assertThat(view.domain()).isEqualTo("safety");
        assertThat(view.eventType()).isEqualTo("thingCreated");
    }

    @Test
    void definitionsMatchExactlyOrWithoutVersion() {
        Thing thing = TestThings.noiseThing(TestThings.POLE, 60, 1);
        TwinEventView view = TwinEventView.of(TestThings.merged(thing, "/features/noise/properties/laeq",
                JsonValue.of(60)));

        assertThat(view.touches(null, FeatureDefinitions.NOISE_LEVEL_OBSERVED)).isTrue();
        assertThat(view.touches("noise", "org.fiware.smartdatamodels:NoiseLevelObserved")).isTrue();
        assertThat(view.touches(null, "org.fiware.smartdatamodels:NoiseLevel")).isFalse();
        assertThat(view.touches(null, "org.fiware.smartdatamodels:NoiseLevelObserved:2.0.0")).isFalse();
        assertThat(view.touches("crowd", null)).isFalse();
        assertThat(view.touches(null, FeatureDefinitions.STREETLIGHT)).isFalse();
    }

    @Test
    void aNamespaceOutsideTheConventionHasNoDomain() {
        Thing thing = TestThings.noiseThing(org.eclipse.ditto.things.model.ThingId.of("acme:sensor-1"), 60, 1);
        assertThat(TwinEventView.of(TestThings.created(thing)).domain()).isNull();
    }

    private static java.util.Set<String> touched(String path, JsonValue value) {
        return TwinEventView.touchedFeatures(JsonPointer.of(path), value);
    }
}
