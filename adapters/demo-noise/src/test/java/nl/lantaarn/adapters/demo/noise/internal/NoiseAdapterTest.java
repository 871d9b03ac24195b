package nl.lantaarn.adapters.demo.noise.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.ThingUpdate;

class NoiseAdapterTest {

    private final NoiseAdapterFactory factory = new NoiseAdapterFactory();
    private final SensorAdapter adapter = create(Map.of());

    private SensorAdapter create(Map<String, String> properties) {
        try {
            return factory.create(new AdapterConfiguration("demo-noise", "default", properties));
        } catch (AdapterConfigurationException e) {
            throw new AssertionError(e);
        }
    }

    private ThingUpdate map(String payload) throws PayloadRejectedException {
        return adapter.map(new InboundMessage("sim/noise/n-7", payload.getBytes(StandardCharsets.UTF_8),
                Instant.parse("2026-11-23T21:14:06Z"))).get(0);
    }

    @Test
    void mapsTheReading() throws Exception {
        ThingUpdate update = map("{\"id\":\"n-7\",\"laeq\":72.4,\"measuredAt\":\"2026-11-23T21:14:05Z\",\"lat\":51.44,\"lon\":5.48}");
        assertThat(update.thingId().toString()).isEqualTo("nl.demo.safety:noise-n-7");
        assertThat(update.patch()).isEqualTo(JsonObject.of("""
                {"attributes":{"adapter":"demo-noise","location":{"type":"Point","coordinates":[5.48,51.44]}},
                 "features":{"noise":{"definition":["org.fiware.smartdatamodels:NoiseLevelObserved:1.0.0"],
                   "properties":{"laeq":72.4,"measuredAt":"2026-11-23T21:14:05Z","units":{"laeq":"dB(A)"}}}}}
                """));
    }

    @Test
    void idAndTimeFallBackToTopicAndArrival() throws Exception {
        ThingUpdate update = map("{\"laeq\":50}");
        assertThat(update.thingId().toString()).isEqualTo("nl.demo.safety:noise-n-7");
        assertThat(update.patch().getValue("features/noise/properties/measuredAt").orElseThrow().asString())
                .isEqualTo("2026-11-23T21:14:06Z");
    }

    @Test
    void rejectsWithReasons() {
        assertThatThrownBy(() -> map("laeq=72")).hasMessageStartingWith("payload is not JSON");
        assertThatThrownBy(() -> map("{\"id\":\"n-7\"}")).hasMessage("field 'laeq' is missing");
        assertThatThrownBy(() -> map("{\"laeq\":\"loud\"}")).hasMessage("field 'laeq' must be a number, was a string \"loud\"");
        assertThatThrownBy(() -> map("{\"laeq\":-3}")).hasMessageContaining("between 0 and 200");
        assertThatThrownBy(() -> map("{\"laeq\":60,\"lat\":51}")).hasMessage("fields 'lat' and 'lon' must be given together");
        assertThatThrownBy(() -> map("{\"laeq\":60,\"lat\":91,\"lon\":5}")).hasMessageContaining("latitude 91.0 is outside");
        assertThatThrownBy(() -> map("{\"laeq\":60,\"id\":\"a b\"}")).hasMessageStartingWith("sensor id must be");
    }

    @Test
    void runsWithoutConfigurationAndTakesATopic() throws Exception {
        assertThat(factory.type().defaultInstance()).isTrue();
        assertThat(factory.type().factoryPid()).isEqualTo("nl.lantaarn.adapter.demo-noise");
        assertThat(adapter.inbound().toString()).isEqualTo("mqtt:sim/noise/+ (qos 1)");
        SensorAdapter north = factory.create(new AdapterConfiguration("demo-noise", "north",
                Map.of("topic", "north/noise/+")));
        assertThat(north.inbound().toString()).isEqualTo("mqtt:north/noise/+ (qos 1)");
        ThingUpdate update = north.map(new InboundMessage("north/noise/n-1", "{\"laeq\":40}".getBytes(
                StandardCharsets.UTF_8), Instant.parse("2026-11-23T21:14:06Z"))).get(0);
        assertThat(update.patch().getValue("attributes/adapter")).contains(JsonValue.of("demo-noise.north"));
        assertThatThrownBy(() -> factory.create(new AdapterConfiguration("demo-noise", "bad", Map.of("topic",
                "a/#/b")))).isInstanceOf(AdapterConfigurationException.class).hasMessageStartingWith("topic: ");
    }

    @Test
    void writesOnlyTheFieldsItsPrivacyManifestDeclares() throws Exception {
        ThingUpdate update = map("{\"id\":\"n-7\",\"laeq\":72.4,\"lat\":51.44,\"lon\":5.48}");
        List<String> leaves = new ArrayList<>();
        collectLeaves("", update.patch(), leaves);
        assertThat(leaves).isNotEmpty().allSatisfy(pointer -> assertThat(factory.type().privacy().declares(pointer))
                .as("%s declared in the privacy manifest", pointer).isTrue());
    }

    private static void collectLeaves(String prefix, JsonValue value, List<String> leaves) {
        if (value.isObject() && !value.asObject().isEmpty()) {
            value.asObject().forEach(field -> collectLeaves(prefix + "/" + field.getKeyName(), field.getValue(), leaves));
        } else {
            leaves.add(prefix);
        }
    }
}
