package nl.lantaarn.adapter.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class InstanceConfigTest {

    private static InstanceConfig parse(String pid, String factoryPid, Map<String, ?> properties) {
        return InstanceConfig.parse(pid, factoryPid, properties).orElseThrow();
    }

    @Test
    void fileWithTildeReadAsASingletonByFileInstall() {
        InstanceConfig config = parse("nl.lantaarn.adapter.sound-events~centrum", null,
                Map.of("felix.fileinstall.filename", "file:/hub/etc/nl.lantaarn.adapter.sound-events~centrum.cfg",
                        "service.pid", "nl.lantaarn.adapter.sound-events~centrum", "threshold", "70"));
        assertThat(config.typeId()).isEqualTo("sound-events");
        assertThat(config.name()).isEqualTo("centrum");
        assertThat(config.instanceId()).isEqualTo("sound-events.centrum");
        assertThat(config.properties()).containsExactly(Map.entry("threshold", "70"));
        assertThat(config.problem()).isNull();
    }

    @Test
    void fileNameWinsOverFileInstallsSplitAtTheFirstDash() {
        // FileInstall makes factory PID nl.lantaarn.adapter.demo with name noise~x out of this file name
        InstanceConfig config = parse("nl.lantaarn.adapter.demo~noise~x", "nl.lantaarn.adapter.demo",
                Map.of("felix.fileinstall.filename", "file:/hub/etc/nl.lantaarn.adapter.demo-noise~x.cfg"));
        assertThat(config.instanceId()).isEqualTo("demo-noise.x");
    }

    @Test
    void fileWithoutNameConfiguresTheDefaultInstance() {
        InstanceConfig config = parse("nl.lantaarn.adapter.demo", "nl.lantaarn.adapter.demo",
                Map.of("felix.fileinstall.filename", "file:/hub/etc/nl.lantaarn.adapter.demo-noise.cfg"));
        assertThat(config.typeId()).isEqualTo("demo-noise");
        assertThat(config.instanceId()).isEqualTo("demo-noise");
    }

    @Test
    void configurationsMadeThroughConfigAdmin() {
        assertThat(parse("nl.lantaarn.adapter.ttn~eindhoven", "nl.lantaarn.adapter.ttn", Map.of()).instanceId())
                .isEqualTo("ttn.eindhoven");
        assertThat(parse("nl.lantaarn.adapter.ttn.4f2a9c1e-0b7d-4f3e-9a51-2c6d8e0f1a2b", "nl.lantaarn.adapter.ttn",
                Map.of()).instanceId()).isEqualTo("ttn.4f2a9c1e-0b7d-4f3e-9a51-2c6d8e0f1a2b");
    }

    @Test
    void otherConfigurationsAreNotAdapters() {
        assertThat(InstanceConfig.parse("nl.lantaarn.adapter.runtime", null, Map.of())).isEmpty();
        assertThat(InstanceConfig.parse("nl.lantaarn.mqtt.client", null, Map.of())).isEmpty();
    }

    @Test
    void aBadNameIsAProblemThatSaysHowToNameTheFile() {
        InstanceConfig config = parse("nl.lantaarn.adapter.ttn~Eindhoven", null, Map.of());
        assertThat(config.problem()).contains("instance name 'Eindhoven' must be 1-63 lower-case letters")
                .contains("nl.lantaarn.adapter.<type>~<name>.cfg");
    }

    @Test
    void arrayValuesCompareByContent() {
        InstanceConfig first = parse("nl.lantaarn.adapter.ttn~a", "nl.lantaarn.adapter.ttn",
                Map.of("devices", new String[] {"d-1", "d-2"}));
        InstanceConfig again = parse("nl.lantaarn.adapter.ttn~a", "nl.lantaarn.adapter.ttn",
                Map.of("devices", new String[] {"d-1", "d-2"}));
        assertThat(first.sameAs(again)).isTrue();
        assertThat(first.toAdapterConfiguration().stringList("devices")).containsExactly("d-1", "d-2");
    }
}
