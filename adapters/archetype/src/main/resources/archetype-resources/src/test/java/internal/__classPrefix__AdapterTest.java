package ${package}.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.ThingUpdate;

class ${classPrefix}AdapterTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-24T12:00:00Z");

    private final SensorAdapter adapter = create(Map.of("municipality", "eindhoven"));

    private static SensorAdapter create(Map<String, String> properties) {
        try {
            return new ${classPrefix}AdapterFactory().create(
                    new AdapterConfiguration(${classPrefix}AdapterFactory.TYPE_ID, "test", properties));
        } catch (AdapterConfigurationException e) {
            throw new AssertionError(e);
        }
    }

    private ThingUpdate map(String payload) throws Exception {
        return adapter.map(new InboundMessage("${adapterId}/s-7", payload.getBytes(StandardCharsets.UTF_8), RECEIVED))
                .get(0);
    }

    @Test
    void mapsAReading() throws Exception {
        ThingUpdate update = map("{\"id\":\"s-1\",\"value\":42.5,\"measuredAt\":\"2026-11-24T11:59:30Z\","
                + "\"lat\":51.44,\"lon\":5.47}");
        assertThat(update.thingId().toString()).isEqualTo("nl.eindhoven.${domain}:${adapterId}-s-1");
        assertThat(update.patch().getValue("features/reading/properties").orElseThrow().toString())
                .isEqualTo("{\"value\":42.5,\"measuredAt\":\"2026-11-24T11:59:30Z\"}");
        assertThat(update.patch().getValue("attributes/location/coordinates").orElseThrow().toString())
                .isEqualTo("[5.47,51.44]");
    }

    @Test
    void idAndTimeDefaultToTopicAndArrival() throws Exception {
        ThingUpdate update = map("{\"value\":1}");
        assertThat(update.thingId().getName()).isEqualTo("${adapterId}-s-7");
        assertThat(update.patch().getValue("features/reading/properties/measuredAt").orElseThrow().asString())
                .isEqualTo(RECEIVED.toString());
    }

    @Test
    void rejectsWithTheReason() {
        assertThatThrownBy(() -> map("{\"id\":\"s-1\"}")).hasMessage("field 'value' is missing");
        assertThatThrownBy(() -> map("{\"value\":1e309}")).hasMessageContaining("finite");
        assertThatThrownBy(() -> map("{\"value\":1,\"lat\":51}")).hasMessage("fields 'lat' and 'lon' must be given together");
    }

    @Test
    void subscribesToTheConfiguredTopic() {
        assertThat(adapter.inbound()).isEqualTo(Inbound.mqtt("${adapterId}/+", 1));
        assertThat(create(Map.of("topic", "site/+/readings")).inbound().source()).isEqualTo("site/+/readings");
    }

    @Test
    void refusesABadMunicipality() {
        assertThatThrownBy(() -> new ${classPrefix}AdapterFactory().create(new AdapterConfiguration(
                ${classPrefix}AdapterFactory.TYPE_ID, "test", Map.of("municipality", "Den Bosch"))))
                .isInstanceOf(AdapterConfigurationException.class)
                .hasMessageStartingWith("municipality: must be lower-case");
    }
}
