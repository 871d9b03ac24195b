package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code bench/api-read.sh smoke}, the API read benchmark in its smoke mode, against the real hub as the script starts
 * it (the distribution's jar, a fresh home on free ports, an API client made with {@code ./lantaarn clients add}): 300
 * things loaded over HTTP, then each scenario for two seconds. It checks that the harness works end to end, every
 * request answered 200, never how fast.
 */
class ApiReadBenchIT {

    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @Test
    void smokeRunLoadsTheThingsAndReadsThemWithoutErrors(TestInfo test) throws Exception {
        LauncherProcess.Runs runs = LauncherProcess.Runs.of(getClass(),
                test.getTestMethod().orElseThrow().getName(), PATIENCE);
        Path output = runs.work().resolve("api-read.out.txt");
        ProcessBuilder builder = new ProcessBuilder(runs.repository().resolve("bench/api-read.sh").toString(), "smoke")
                .directory(runs.repository().toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("LANTAARN_") || key.equals("API_READ_OPTS"));
        Process script = builder.start();
        boolean ended = script.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            // the hub and the load client first, then the script
            script.descendants().forEach(ProcessHandle::destroy);
            script.destroy();
            script.waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);

        assertThat(ended).as("bench/api-read.sh smoke ended within %s:%n%s", PATIENCE, out).isTrue();
        assertThat(out).as("./lantaarn must not build: the reactor built the jars").doesNotContain("building");
        assertThat(script.exitValue()).as(out).isZero();
        assertThat(out).contains("Lantaarn ready in", "Loaded 300 things", "failed: 0",
                "get: GET /api/v1/things/{id}", "search-zone:", "search-near:");
        List<String> requests = out.lines().filter(line -> line.contains("requests:")).toList();
        assertThat(requests).as(out).hasSize(3).allSatisfy(line -> assertThat(line).contains("errors: 0")
                .containsPattern("by status: \\{200=\\d+\\}"));
    }
}
