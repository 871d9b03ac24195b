package nl.lantaarn.adapters.demo.crowd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.ThingUpdate;

class CrowdAdapterTest {

    private final CrowdAdapterFactory factory = new CrowdAdapterFactory();
    private final SensorAdapter adapter = factory.create(new AdapterConfiguration("demo-crowd", "default", Map.of()));

    private ThingUpdate map(String payload) throws PayloadRejectedException {
        return adapter.map(new InboundMessage("sim/crowd/c-1", payload.getBytes(StandardCharsets.UTF_8),
                Instant.parse("2026-11-23T21:14:06Z"))).get(0);
    }

    @Test
    void mapsCounts() throws Exception {
        ThingUpdate update = map("{\"count\":120,\"measuredAt\":\"2026-11-23T21:14:05Z\"}");
        assertThat(update.thingId().toString()).isEqualTo("nl.demo.crowd:crowd-c-1");
        assertThat(update.patch().getValue("features/crowd/properties/count").orElseThrow().asLong()).isEqualTo(120);
        assertThat(update.patch().getValue("attributes/adapter")).contains(JsonValue.of("demo-crowd"));
    }

    @Test
    void rejectsFractionsAndNegatives() {
        assertThatThrownBy(() -> map("{\"count\":1.5}")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> map("{\"count\":-1}")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> map("{}")).hasMessage("field 'count' is missing");
    }

    @Test
    void runsWithoutConfiguration() {
        assertThat(factory.type().defaultInstance()).isTrue();
        assertThat(factory.type().domains()).containsExactly("crowd");
        assertThat(adapter.inbound().toString()).isEqualTo("mqtt:sim/crowd/+ (qos 1)");
    }

    @Test
    void writesOnlyTheFieldsItsPrivacyManifestDeclares() throws Exception {
        List<String> leaves = new ArrayList<>();
        collectLeaves("", map("{\"count\":3}").patch(), leaves);
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
