package nl.lantaarn.adapters.demo.crowd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.things.model.ThingUpdate;

class CrowdAdapterTest {

    private ThingUpdate map(String payload) throws PayloadRejectedException {
        return new CrowdAdapter().map(new InboundMessage("sim/crowd/c-1", payload.getBytes(StandardCharsets.UTF_8),
                Instant.parse("2026-11-23T21:14:06Z"))).get(0);
    }

    @Test
    void mapsCounts() throws Exception {
        ThingUpdate update = map("{\"count\":120,\"measuredAt\":\"2026-11-23T21:14:05Z\"}");
        assertThat(update.thingId().toString()).isEqualTo("nl.demo.crowd:crowd-c-1");
        assertThat(update.patch().getValue("features/crowd/properties/count").orElseThrow().asLong()).isEqualTo(120);
    }

    @Test
    void rejectsFractionsAndNegatives() {
        assertThatThrownBy(() -> map("{\"count\":1.5}")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> map("{\"count\":-1}")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> map("{}")).hasMessage("field 'count' is missing");
    }
}
