package nl.lantaarn.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.things.model.HubConventions;

class ReadingsTest {

    private static final Instant ARRIVAL = Instant.parse("2026-11-23T21:15:00Z");
    private static final InboundMessage MESSAGE = new InboundMessage("t/x", "{}".getBytes(StandardCharsets.UTF_8),
            ARRIVAL);

    @Test
    void latAndLonMakeALocation() throws Exception {
        assertThat(Readings.latLon(JsonObject.of("{\"lat\":51.44,\"lon\":5.48}"), "lat", "lon"))
                .contains(HubConventions.location(51.44, 5.48));
        assertThat(Readings.latLon(JsonObject.empty(), "lat", "lon")).isEmpty();
    }

    @Test
    void latAndLonComeTogetherAndOnEarth() {
        assertThatThrownBy(() -> Readings.latLon(JsonObject.of("{\"lat\":51.44}"), "lat", "lon"))
                .isInstanceOf(PayloadRejectedException.class)
                .hasMessage("fields 'lat' and 'lon' must be given together");
        assertThatThrownBy(() -> Readings.latLon(JsonObject.of("{\"lat\":95,\"lon\":5}"), "lat", "lon"))
                .hasMessageStartingWith("fields 'lat'/'lon': ");
        assertThatThrownBy(() -> Readings.latLon(JsonObject.of("{\"lat\":\"north\",\"lon\":5}"), "lat", "lon"))
                .hasMessageStartingWith("field 'lat' must be a number");
    }

    @Test
    void aTimeUpToTheAllowanceAheadIsAccepted() {
        assertThatCode(() -> Readings.checkNotAhead(ARRIVAL.plus(Duration.ofMinutes(5)), "at", MESSAGE,
                Duration.ofMinutes(5), "sensor")).doesNotThrowAnyException();
        assertThatCode(() -> Readings.checkNotAhead(ARRIVAL.minus(Duration.ofDays(1)), "at", MESSAGE,
                Duration.ofMinutes(5), "sensor")).doesNotThrowAnyException();
    }

    @Test
    void aTimeFurtherAheadIsRefusedNamingTheDevice() {
        assertThatThrownBy(() -> Readings.checkNotAhead(ARRIVAL.plus(Duration.ofMinutes(6)), "observedAt", MESSAGE,
                Duration.ofMinutes(5), "counter"))
                .hasMessage("field 'observedAt' is 2026-11-23T21:21:00Z, later than its arrival at "
                        + "2026-11-23T21:15:00Z by more than 5 minutes: check the counter's clock");
    }
}
