package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code ./lantaarn dpia} as a privacy officer runs it on a fresh checkout: no hub running, no key. It starts the hub
 * on a temporary copy of the configuration, and the fact sheet it writes names every shipped adapter (each
 * {@code etc/nl.lantaarn.adapter.<type>~<name>.cfg} of the repository) and every shipped route (each route id in
 * {@code routes/*.yaml}), as Markdown and as HTML. Real processes, like {@link LauncherScenarioIT}.
 */
class DpiaLauncherIT {

    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);
    private static final Pattern ADAPTER_CONFIG = Pattern.compile("nl\\.lantaarn\\.adapter\\.([a-z0-9-]+)~.*\\.cfg");
    private static final Pattern ROUTE_ID = Pattern.compile("(?m)^- route:\\s*\\n\\s+id:\\s*([^\\s#]+)");

    private LauncherProcess.Runs runs;

    @BeforeEach
    void createWork(TestInfo test) throws IOException {
        runs = LauncherProcess.Runs.of(getClass(), test.getTestMethod().orElseThrow().getName(), PATIENCE);
    }

    @AfterEach
    void stopEverything() {
        assertThat(runs.stopAll(STOP_PATIENCE))
                .as("processes that did not end on TERM within %s and were killed", STOP_PATIENCE).isEmpty();
    }

    @Test
    void theFactSheetNamesEveryShippedAdapterAndRouteWithoutARunningHub() throws Exception {
        runs.assertDistributionFresh();
        runs.assertFresh(runs.repository().resolve("distribution/tools/target/lantaarn-tools.jar"),
                "distribution/tools");
        List<String> adapters = shippedAdapters();
        List<String> routes = shippedRoutes();
        assertThat(adapters).as("shipped adapter configurations").contains("ttn", "sound-events", "crowd",
                "citizen-reports", "lighting");
        assertThat(routes).as("shipped routes").contains("noise-alerts");
        Path home = runs.work().resolve("home");
        Path markdown = runs.work().resolve("fact-sheet.md");
        Path html = runs.work().resolve("fact-sheet.html");

        LauncherProcess md = runs.launch("dpia-md", Map.of("LANTAARN_HOME", home.toString()), "dpia", "--output",
                markdown.toString());
        md.awaitExit();
        assertThat(md.process().exitValue()).as(md.describe()).isZero();
        LauncherProcess page = runs.launch("dpia-html", Map.of("LANTAARN_HOME", home.toString()), "dpia",
                "--format", "html", "--output", html.toString());
        page.awaitExit();
        assertThat(page.process().exitValue()).as(page.describe()).isZero();

        String sheet = Files.readString(markdown);
        assertThat(sheet).startsWith("# DPIA fact sheet").contains("not the assessment itself");
        for (String adapter : adapters) {
            assertThat(sheet).as("the Markdown sheet names adapter %s", adapter)
                    .contains("### Adapter " + adapter + "\n");
        }
        for (String route : routes) {
            assertThat(sheet).as("the Markdown sheet names route %s", route).contains("### Route " + route + "\n");
        }
        // the shipped route's recipient and the manifest facts, from the running configuration
        assertThat(sheet).contains("MQTT topic lantaarn/alerts/safety", "**Legal ground**: public task",
                "**Retention**").doesNotContain("is not running");
        String printable = Files.readString(html);
        assertThat(printable).startsWith("<!DOCTYPE html>").contains("@media print").doesNotContain("<script");
        for (String adapter : adapters) {
            assertThat(printable).contains("<section class=\"sheet\" id=\"adapter-" + adapter + "\">");
        }
        for (String route : routes) {
            assertThat(printable).contains("<h3>Route " + route + "</h3>");
        }
        // nothing is left running, and the temporary home is gone
        assertThat(md.err()).contains("starting the hub on a copy of the configuration", "wrote the DPIA fact sheet");
        assertThat(home.resolve("data/run/hub.properties")).doesNotExist();
    }

    private List<String> shippedAdapters() throws IOException {
        try (Stream<Path> files = Files.list(runs.repository().resolve("etc"))) {
            return files.map(f -> ADAPTER_CONFIG.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> m.group(1)).distinct().sorted().toList();
        }
    }

    private List<String> shippedRoutes() throws IOException {
        try (Stream<Path> files = Files.list(runs.repository().resolve("routes"))) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).flatMap(f -> {
                try {
                    Matcher ids = ROUTE_ID.matcher(Files.readString(f));
                    return ids.results().map(r -> r.group(1)).toList().stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }
}
