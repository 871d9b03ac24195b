package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code bench/scale.sh smoke}, the scale measurement in its smoke mode: 3,000 things written into a fresh home's
 * embedded store by the twin's own classes, then the real hub started on that home as the script starts it (the
 * distribution's jar through {@code ./lantaarn}, -Xmx2g, free ports), until the twin and the search index hold every
 * thing, then the heap after a full GC. It checks that the harness works end to end and prints its figures, never how
 * fast or how small.
 */
class ScaleBenchIT {

    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @Test
    void smokeRunFillsTheStoreStartsTheHubAndPrintsItsFigures(TestInfo test) throws Exception {
        LauncherProcess.Runs runs = LauncherProcess.Runs.of(getClass(),
                test.getTestMethod().orElseThrow().getName(), PATIENCE);
        LauncherProcess.Runs.ScriptRun run = runs.script("scale.out.txt", List.of("SCALE_HOME", "SCALE_HEAP"), "bench/scale.sh", "smoke");
        String out = run.out();

        assertThat(run.ended()).as("bench/scale.sh smoke ended within %s:%n%s", PATIENCE, out).isTrue();
        assertThat(out).as("./lantaarn must not build: the reactor built the jars").doesNotContain("building");
        assertThat(run.exitCode()).as(out).isZero();
        assertThat(out).contains("Filled ", "with 3,000 things", "Lantaarn ready in",
                "twin and search index hold 3000 things", "hub stopped")
                .containsPattern("heap after a full GC: \\d+ MB \\(-Xmx2g\\), \\d+ bytes a thing");
    }
}
