package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code bench/compare.sh smoke}, the side-by-side benchmark in its smoke mode: the four set-ups as the script starts
 * them (Debian's Mosquitto, Node-RED installed from the lock file, the distribution's hub with its embedded broker and
 * on Mosquitto), each primed and run at both QoS levels with 300 devices for two seconds. It checks that the
 * harness works end to end and that no set-up lost or mismatched a message, never how fast: the table's targets are
 * printed, not asserted.
 */
class CompareBenchIT {

    // a first run installs Node-RED from the npm registry (about 30 s); the hub starts twice (while the first set-ups
    // run); a loaded CI machine may be much slower than a developer's
    private static final Duration PATIENCE = Duration.ofMinutes(8);
    private static final List<String> SETUPS = List.of("mosquitto", "node-red", "lantaarn", "lantaarn-mosquitto");

    @Test
    void smokeRunTakesEveryMessageThroughAllFourSetUps(TestInfo test) throws Exception {
        LauncherProcess.Runs runs = LauncherProcess.Runs.of(getClass(),
                test.getTestMethod().orElseThrow().getName(), PATIENCE);
        Path results = runs.work().resolve("compare-results.jsonl");
        LauncherProcess.Runs.ScriptRun run = runs.script("compare.out.txt", List.of("KEEP"), "bench/compare.sh", "smoke",
                "--results", results.toString());
        String out = run.out();

        assertThat(run.ended()).as("bench/compare.sh smoke ended within %s:%n%s", PATIENCE, out).isTrue();
        assertThat(out).as("./lantaarn must not build: the reactor built the jars").doesNotContain("building");
        assertThat(run.exitCode()).as(out).isZero();
        assertThat(out).contains("Lantaarn ready in", "Node-RED ready", "| set-up | phase | QoS |",
                "lantaarn: ", "lantaarn-mosquitto: ");
        // one result line per set-up and phase: both QoS levels everywhere
        List<String> lines = Files.readAllLines(results, StandardCharsets.UTF_8);
        for (String setup : SETUPS) {
            for (String phase : List.of("qos1-max", "qos0-300")) {
                assertThat(lines).as("%s %s in%n%s", setup, phase, out).filteredOn(
                        line -> line.contains("\"label\":\"" + setup + "\"") && line.contains("\"phase\":\"" + phase + "\""))
                        .singleElement().satisfies(line -> assertThat(line).contains("\"unmatched\":0")
                                .containsPattern("\"unique\":[1-9]"));
            }
        }
        // QoS 1 is at least once: nothing may be lost on any set-up (the late outputs of a slow set-up are waited for)
        assertThat(lines).filteredOn(line -> line.contains("\"qos\":1")).allSatisfy(
                line -> assertThat(line).as(out).contains("\"lost\":0"));
    }
}
