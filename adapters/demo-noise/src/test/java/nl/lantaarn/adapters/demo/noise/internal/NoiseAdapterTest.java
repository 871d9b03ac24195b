package nl.lantaarn.adapters.demo.noise.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.things.model.ThingUpdate;

class NoiseAdapterTest {

    private final NoiseAdapter adapter = new NoiseAdapter();

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
}
