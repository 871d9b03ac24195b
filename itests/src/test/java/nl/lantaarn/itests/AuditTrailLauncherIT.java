package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The audit trail as an operator meets it: the hub started by {@code ./lantaarn}, an API request and a change to a
 * file in {@code etc/} appear in {@code GET /api/v1/audit}, and {@code ./lantaarn audit verify} passes on the trail
 * the running hub wrote, and fails, naming the line, once an entry is altered. Real processes, like
 * {@link LauncherScenarioIT}.
 */
class AuditTrailLauncherIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(200);
    private final HttpClient http = HttpClient.newHttpClient();
    private LauncherProcess.Runs runs;

    @BeforeEach
    void createWork(TestInfo test) throws IOException {
        runs = LauncherProcess.Runs.of(getClass(), test.getTestMethod().orElseThrow().getName(), PATIENCE);
    }

    @AfterEach
    void stopEverything() {
        assertThat(runs.stopAll(Duration.ofSeconds(60))).as("processes killed after TERM").isEmpty();
    }

    @Test
    void anApiRequestAndAConfigurationChangeAreInTheTrailAndItVerifies() throws Exception {
        runs.assertDistributionFresh();
        runs.assertFresh(runs.repository().resolve("distribution/tools/target/lantaarn-tools.jar"),
                "distribution/tools");
        Path home = runs.work().resolve("home");
        int httpPort = HubTestOptions.freePort();
        LauncherProcess hub = runs.launchHub("start", home, httpPort, HubTestOptions.freePort());
        hub.awaitReadyLine();
        String admin = addClient(home, "privacy-officer", "admin");
        String reader = addClient(home, "wijkapp", "reader");

        await("the reader's key accepted").atMost(PATIENCE).pollInterval(POLL)
                .until(() -> get(httpPort, "/api/v1/things/nl.demo.safety:audited", reader).statusCode() == 404);
        Path rateLimit = home.resolve("etc/nl.lantaarn.http.ratelimit.cfg");
        Files.writeString(rateLimit, "requestsPerSecond = 55\n", StandardCharsets.UTF_8);

        await("the request in the trail").atMost(PATIENCE).pollInterval(POLL).until(() -> entries(httpPort, admin,
                "thing=nl.demo.safety:audited&actor=wijkapp").stream().anyMatch(entry -> text(entry, "outcome")
                        .equals("404") && text(entry, "resource").equals("GET /api/v1/things/nl.demo.safety:audited")
                        && text(entry, "purpose").equals("purpose of wijkapp")));
        await("the configuration change in the trail").atMost(PATIENCE).pollInterval(POLL).until(() -> entries(
                httpPort, admin, "kind=configuration-change").stream().anyMatch(entry -> text(entry, "resource")
                        .equals("etc/nl.lantaarn.http.ratelimit.cfg") && text(entry, "outcome").equals("updated")
                        && text(entry, "detail").contains("requestsPerSecond") && !text(entry, "detail")
                                .contains("55")));
        assertThat(entries(httpPort, admin, "kind=configuration-change")).as("client files added")
                .anyMatch(entry -> text(entry, "detail").contains("API client 'wijkapp' added"))
                .noneMatch(entry -> text(entry, "detail").contains("sha256"));

        LauncherProcess verify = runs.launch("audit-verify", Map.of("LANTAARN_HOME", home.toString()), "audit",
                "verify");
        verify.awaitExit();
        assertThat(verify.process().exitValue()).as("%s", verify.describe()).isZero();
        assertThat(verify.out()).contains("is intact: ");

        Path file;
        try (var files = Files.list(home.resolve("data/audit"))) {
            file = files.filter(path -> path.getFileName().toString().startsWith("audit-")).sorted().findFirst()
                    .orElseThrow();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int victim = lines.size() / 2;
        lines.set(victim, lines.get(victim).replace("\"kind\":", "\"kind\" :"));
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        LauncherProcess broken = runs.launch("audit-verify-broken", Map.of("LANTAARN_HOME", home.toString()),
                "audit", "verify");
        broken.awaitExit();
        assertThat(broken.process().exitValue()).as("%s", broken.describe()).isEqualTo(1);
        assertThat(broken.err()).contains("altered at " + file.getFileName() + " line " + (victim + 1));
    }

    private String addClient(Path home, String name, String role) throws Exception {
        LauncherProcess add = runs.launch("clients-add-" + name, Map.of("LANTAARN_HOME", home.toString()), "clients",
                "add", name, "--role", role, "--purpose", "purpose of " + name);
        add.awaitExit();
        assertThat(add.process().exitValue()).as("exit code of %s", add.describe()).isZero();
        List<String> lines = add.outLines();
        return lines.get(lines.size() - 1);
    }

    private HttpResponse<String> get(int port, String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<JsonObject> entries(int port, String key, String query) throws Exception {
        HttpResponse<String> response = get(port, "/api/v1/audit?limit=1000&" + query, key);
        if (response.statusCode() != 200) {
            return List.of();
        }
        return JsonObject.of(response.body()).getValue("entries").orElseThrow().asArray().stream()
                .map(JsonValue::asObject).toList();
    }

    private static String text(JsonObject entry, String field) {
        return entry.getValue(field).map(JsonValue::asString).orElse("");
    }
}
