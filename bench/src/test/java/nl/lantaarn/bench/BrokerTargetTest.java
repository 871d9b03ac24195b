package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerTargetTest {

    @TempDir
    Path home;

    @Test
    void usesTheRunningHubsPortFirst() throws Exception {
        writeHubInfo("pid=" + ProcessHandle.current().pid() + "\nmqtt.port=18830\nmqtt.state=up\n");

        BrokerTarget target = BrokerTarget.resolve(home, null, null, null, null, Map.of("LANTAARN_MQTT_PORT", "1999"));

        assertThat(target.host()).isEqualTo("localhost");
        assertThat(target.port()).isEqualTo(18830);
        assertThat(target.username()).isEqualTo("devices");
        assertThat(target.passwordFile()).isEqualTo(home.resolve("data/secrets/mqtt-devices.password"));
    }

    @Test
    void ignoresTheFileOfAHubThatIsGoneAndFallsBackToTheEnvironmentThen1883() throws Exception {
        writeHubInfo("pid=" + Long.MAX_VALUE + "\nmqtt.port=18830\n");

        assertThat(BrokerTarget.resolve(home, null, null, null, null, Map.of("LANTAARN_MQTT_PORT", "1999")).port())
                .isEqualTo(1999);
        assertThat(BrokerTarget.resolve(home, null, null, null, null, Map.of()).port()).isEqualTo(1883);
    }

    @Test
    void optionsWin() throws Exception {
        writeHubInfo("pid=" + ProcessHandle.current().pid() + "\nmqtt.port=18830\n");

        BrokerTarget target = BrokerTarget.resolve(home, "broker.local", 2883, "sensor", Path.of("pw"), Map.of());

        assertThat(target).extracting(BrokerTarget::host, BrokerTarget::port, BrokerTarget::username)
                .containsExactly("broker.local", 2883, "sensor");
        assertThat(target.passwordFile().isAbsolute()).isTrue();
        assertThat(target.passwordFile().getFileName()).isEqualTo(Path.of("pw"));
    }

    @Test
    void saysWhatToDoWhenTheHubsBrokerIsDownOrThePasswordIsMissing() throws Exception {
        writeHubInfo("pid=" + ProcessHandle.current().pid() + "\nmqtt.state=down\n");

        assertThatThrownBy(() -> BrokerTarget.resolve(home, null, null, null, null, Map.of()))
                .isInstanceOf(ToolException.class).hasMessageContaining("LANTAARN_MQTT_PORT");
        BrokerTarget target = BrokerTarget.resolve(home, null, 1883, null, null, Map.of());
        assertThatThrownBy(target::readPassword).isInstanceOf(ToolException.class)
                .hasMessageContaining("mqtt-devices.password").hasMessageContaining("--password-file");
        assertThatThrownBy(() -> BrokerTarget.resolve(home, null, null, null, null, Map.of("LANTAARN_MQTT_PORT", "x")))
                .isInstanceOf(ToolException.class);
    }

    @Test
    void readsThePasswordWithoutTheLineEnd() throws Exception {
        Path file = home.resolve("pw");
        Files.writeString(file, "s3cret\n");

        BrokerTarget target = BrokerTarget.resolve(home, null, 1883, null, file, Map.of());

        assertThat(target.readPassword()).containsExactly('s', '3', 'c', 'r', 'e', 't');
    }

    private void writeHubInfo(String content) throws Exception {
        Path file = BrokerTarget.hubInfoFile(home);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
