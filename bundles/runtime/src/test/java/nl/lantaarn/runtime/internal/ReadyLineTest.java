package nl.lantaarn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ReadyLineTest {

    @Test
    void healthyHubGivesTheShortLine() {
        ReadyLine line = new ReadyLine(1420, 47, 47, List.of(), List.of(), OptionalInt.of(8080), true,
                new ReadyLine.Mqtt.Embedded(1883));

        assertThat(line.healthy()).isTrue();
        assertThat(line.format()).isEqualTo("Lantaarn ready in 1.42 s: 47 bundles active, "
                + "HTTP http://localhost:8080/api/v1/health, MQTT port 1883 (embedded)");
    }

    @Test
    void brokerDownAndHttpDownAreNamed() {
        ReadyLine line = new ReadyLine(2005, 47, 47, List.of(), List.of(), OptionalInt.empty(), true,
                new ReadyLine.Mqtt.Down());

        assertThat(line.format()).isEqualTo("Lantaarn ready in 2.01 s: 47 bundles active, HTTP down, see log, "
                + "MQTT broker down, see log");
    }

    @Test
    void bundlesThatAreNotActiveAreListed() {
        ReadyLine line = new ReadyLine(900, 45, 47, List.of("nl.lantaarn.twin (RESOLVED)", "x.y (INSTALLED)"),
                List.of(), OptionalInt.of(9090), true, new ReadyLine.Mqtt.NotInstalled());

        assertThat(line.healthy()).isFalse();
        assertThat(line.format()).isEqualTo("Lantaarn started with problems in 0.90 s: 45 of 47 bundles active "
                + "(not active: nl.lantaarn.twin (RESOLVED), x.y (INSTALLED)), "
                + "HTTP http://localhost:9090/api/v1/health, MQTT no embedded broker");
    }

    @Test
    void failedComponentsMakeItAProblemAndLongListsAreCut() {
        List<String> failed = IntStream.range(0, 7).mapToObj(i -> "c" + i + " (needs x)").toList();
        ReadyLine line = new ReadyLine(1000, 3, 3, List.of(), failed, OptionalInt.of(8080), true,
                new ReadyLine.Mqtt.Embedded(1884));

        assertThat(line.format()).startsWith("Lantaarn started with problems in 1.00 s: 3 of 3 bundles active, "
                + "components not active: c0 (needs x), c1 (needs x), c2 (needs x), c3 (needs x), c4 (needs x) "
                + "and 2 more, HTTP");
    }

    @Test
    void brokerSwitchedOffIsNotAProblem() {
        ReadyLine line = new ReadyLine(1000, 3, 3, List.of(), List.of(), OptionalInt.of(8080), true,
                new ReadyLine.Mqtt.Off());

        assertThat(line.healthy()).isTrue();
        assertThat(line.format()).endsWith(", MQTT embedded broker off");
    }

    @Test
    void oneLineOnly() {
        ReadyLine line = new ReadyLine(1, 1, 2, List.of("a (RESOLVED)"), List.of("b (activation failed)"),
                OptionalInt.empty(), false, new ReadyLine.Mqtt.Down());

        assertThat(line.format()).doesNotContain("\n").contains("HTTP not installed");
    }

    @Test
    void httpsIsNamedWithItsFingerprintOnTheNextLine() {
        String fingerprint = "3A:9F" + ":00".repeat(30);
        ReadyLine line = new ReadyLine(1420, 48, 48, List.of(), List.of(), OptionalInt.of(8080), true,
                new ReadyLine.Mqtt.Embedded(1883), new ReadyLine.Https.Listening(8443, fingerprint));

        assertThat(line.format()).isEqualTo("Lantaarn ready in 1.42 s: 48 bundles active, "
                + "HTTP http://localhost:8080/api/v1/health, HTTPS https://localhost:8443/api/v1/health, "
                + "MQTT port 1883 (embedded)");
        assertThat(line.fingerprintLine()).hasValue("HTTPS certificate SHA-256 fingerprint " + fingerprint);
    }

    @Test
    void httpsDownIsNamedAndOffIsNotMentioned() {
        ReadyLine down = new ReadyLine(1000, 48, 48, List.of(), List.of(), OptionalInt.of(8080), true,
                new ReadyLine.Mqtt.Embedded(1883), new ReadyLine.Https.Down());
        assertThat(down.format()).contains("HTTP http://localhost:8080/api/v1/health, HTTPS down, see log, MQTT");
        assertThat(down.fingerprintLine()).isEmpty();

        ReadyLine off = new ReadyLine(1000, 48, 48, List.of(), List.of(), OptionalInt.of(8080), true,
                new ReadyLine.Mqtt.Embedded(1883), new ReadyLine.Https.Off());
        assertThat(off.format()).doesNotContain("HTTPS");
        assertThat(off.fingerprintLine()).isEmpty();
    }
}
