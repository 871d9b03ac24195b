package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

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
        LauncherProcess.Runs.ScriptRun run = runs.script("api-read.out.txt", List.of("API_READ_OPTS"), "bench/api-read.sh", "smoke");
        String out = run.out();

        assertThat(run.ended()).as("bench/api-read.sh smoke ended within %s:%n%s", PATIENCE, out).isTrue();
        assertThat(out).as("./lantaarn must not build: the reactor built the jars").doesNotContain("building");
        assertThat(run.exitCode()).as(out).isZero();
        assertThat(out).contains("Lantaarn ready in", "Loaded 300 things", "failed: 0",
                "get: GET /api/v1/things/{id}", "search-zone:", "search-near:");
        List<String> requests = out.lines().filter(line -> line.contains("requests:")).toList();
        assertThat(requests).as(out).hasSize(3).allSatisfy(line -> assertThat(line).contains("errors: 0")
                .containsPattern("by status: \\{200=\\d+\\}"));
    }
}
