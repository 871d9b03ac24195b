package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class RoutingComponentTest {

    @Test
    void routesDirectoryDefaultsToRoutesUnderTheHome() {
        assertThat(RoutingComponent.routesDirectory("/srv/lantaarn", ""))
                .isEqualTo(Path.of("/srv/lantaarn/routes"));
        assertThat(RoutingComponent.routesDirectory(null, null))
                .isEqualTo(Path.of(System.getProperty("user.dir")).resolve("routes").toAbsolutePath().normalize());
    }

    @Test
    void aConfiguredDirectoryIsResolvedAgainstTheHome() {
        assertThat(RoutingComponent.routesDirectory("/srv/lantaarn", "etc/../my-routes"))
                .isEqualTo(Path.of("/srv/lantaarn/my-routes"));
        assertThat(RoutingComponent.routesDirectory("/srv/lantaarn", "/data/routes"))
                .isEqualTo(Path.of("/data/routes"));
    }
}
