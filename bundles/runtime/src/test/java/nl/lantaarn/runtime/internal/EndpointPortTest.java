package nl.lantaarn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class EndpointPortTest {

    @Test
    void readsThePortFromEveryShapeOfTheEndpointProperty() {
        assertThat(ReadinessReporter.endpointPort("http://192.168.1.4:8080/")).isEqualTo(OptionalInt.of(8080));
        assertThat(ReadinessReporter.endpointPort(new String[] {"http://[::1]:9090/"}))
                .isEqualTo(OptionalInt.of(9090));
        assertThat(ReadinessReporter.endpointPort(List.of("not a uri", "http://h:81/"))).isEqualTo(OptionalInt.of(81));
        assertThat(ReadinessReporter.endpointPort(null)).isEmpty();
        assertThat(ReadinessReporter.endpointPort("http://localhost/")).isEmpty();
    }
}
