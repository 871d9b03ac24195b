package nl.lantaarn.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

    private final Path home = Path.of("/opt/lantaarn");

    @Test
    void defaults() {
        BrokerSettings s = BrokerSettings.resolve(BrokerConfigs.config(Map.of()), Map.of(), home);

        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(1883);
        assertThat(s.usersFile()).isEqualTo(Path.of("/opt/lantaarn/etc/mqtt-users.passwd"));
        assertThat(s.persistence()).isEqualTo(BrokerSettings.Persistence.MEMORY);
        assertThat(s.dataDirectory()).isEqualTo(Path.of("/opt/lantaarn/data/mqtt"));
        assertThat(s.devicesPasswordFile()).isEqualTo(Path.of("/opt/lantaarn/data/secrets/mqtt-devices.password"));
        assertThat(s.maxMessageSize()).isEqualTo(262144);
    }

    @Test
    void theEnvironmentOverridesThePort() {
        BrokerSettings s = BrokerSettings.resolve(BrokerConfigs.config(Map.of("port", 1884)),
                Map.of("LANTAARN_MQTT_PORT", "11883"), home);

        assertThat(s.port()).isEqualTo(11883);
        assertThat(s.portSource()).isEqualTo("LANTAARN_MQTT_PORT");
    }

    @Test
    void badValuesNameTheSettingToChange() {
        assertThatThrownBy(() -> BrokerSettings.resolve(BrokerConfigs.config(Map.of()),
                Map.of("LANTAARN_MQTT_PORT", "eighteen"), home))
                .hasMessage("LANTAARN_MQTT_PORT='eighteen' is not a TCP port (0-65535)");
        assertThatThrownBy(() -> BrokerSettings.resolve(BrokerConfigs.config(Map.of("persistence", "disk")),
                Map.of(), home))
                .hasMessage("'persistence' is 'disk'; use 'memory' or 'file' in etc/nl.lantaarn.mqtt.broker.cfg");
        assertThatThrownBy(() -> BrokerSettings.resolve(BrokerConfigs.config(Map.of("sessionExpiry", "forever")),
                Map.of(), home)).hasMessageContaining("'sessionExpiry'");
        assertThatThrownBy(() -> BrokerSettings.resolve(BrokerConfigs.config(Map.of("maxMessageSize", 10)),
                Map.of(), home)).hasMessageContaining("'maxMessageSize' 10");
    }

    @Test
    void anAbsoluteUsersFileStaysAsItIs() {
        BrokerSettings s = BrokerSettings.resolve(BrokerConfigs.config(Map.of("usersFile", "/etc/lantaarn/users")),
                Map.of(), home);

        assertThat(s.usersFile()).isEqualTo(Path.of("/etc/lantaarn/users"));
    }
}
