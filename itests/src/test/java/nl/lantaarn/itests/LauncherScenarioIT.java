package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What a user meets, as real processes: the repository's {@code ./lantaarn} script starts the hub from the
 * distribution's executable jar in a fresh {@code LANTAARN_HOME} on free ports, {@code ./lantaarn simulate noise}
 * publishes to it, and a separate MQTT subscriber and HTTP client look at the result; then the hub gets a TERM signal,
 * as from Ctrl-C or a service manager. Plain JUnit 5 in the failsafe JVM: no Pax Exam, no hub classes.
 * <p>
 * Every process's standard output and error go to files next to its home, under
 * {@code target/itest-work/LauncherScenarioIT-<test>-<time>-<id>/}, kept for diagnosis.
 */
class LauncherScenarioIT {

    /** Generous: the machine may be busy; nothing waits longer than it must. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);
    private static final String ALERTS = "lantaarn/alerts/safety";
    private static final int SENSORS = 50;
    private static final Pattern READY_LINE = LauncherProcess.READY_LINE;
    private static final Pattern SIMULATOR_SUMMARY = Pattern.compile("(\\d+) above 70 dB\\(A\\); 0 failed");
    private static final Pattern ERROR_LINE = Pattern.compile("^\\S+ ERROR .*");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LauncherProcess.Runs runs;

    @BeforeEach
    void createWork(TestInfo test) throws IOException {
        runs = LauncherProcess.Runs.of(getClass(), test.getTestMethod().orElseThrow().getName(), PATIENCE);
    }

    /** Stops whatever a test left running (it failed half-way), by handle, and checks that nothing survived. */
    @AfterEach
    void stopEverything() {
        assertThat(runs.stopAll(STOP_PATIENCE))
                .as("processes that did not end on TERM within %s and were killed", STOP_PATIENCE).isEmpty();
    }

    @Test
    void hubStartsSimulatorFeedsItAndItStopsOnTerm() throws Exception {
        assertBuiltByTheReactor();
        int httpPort = HubTestOptions.freePort();
        int mqttPort = HubTestOptions.freePort();
        Path home = runs.work().resolve("home");

        LauncherProcess hub = runs.launchHub("start", home, httpPort, mqttPort);
        String ready = hub.awaitReadyLine();
        assertThat(ready).as("the ready line of %s", hub.describe())
                .startsWith("Lantaarn ready in ")
                .contains(": " + hubBundleCount() + " bundles active, ")
                .contains("HTTP http://localhost:" + httpPort + "/api/v1/health")
                .endsWith("MQTT port " + mqttPort + " (embedded)");

        Properties hubInfo = hub.awaitHubInfo(home);
        // the same pid: the script replaced itself with the JVM (exec), so a TERM to it reaches the hub
        assertThat(hubInfo).as("%s", hubInfoFile(home))
                .containsEntry("pid", Long.toString(hub.process().pid()))
                .containsEntry("http.port", Integer.toString(httpPort))
                .containsEntry("mqtt.port", Integer.toString(mqttPort))
                .containsEntry("mqtt.state", "up");

        String key = addClient(home, "scenario-reader", "reader");
        Set<String> expectedThings = IntStream.rangeClosed(1, SENSORS).mapToObj(i -> "nl.demo.safety:noise-n-" + i)
                .collect(Collectors.toSet());
        try (PlainMqttSubscriber alerts = PlainMqttSubscriber.subscribe("127.0.0.1", mqttPort, "devices",
                devicesPassword(home), ALERTS)) {
            // port and password as a user's simulator finds them: through the home only
            LauncherProcess simulator = runs.launch("simulate", Map.of("LANTAARN_HOME", home.toString()),
                    "simulate", "noise", "--sensors", Integer.toString(SENSORS), "--rate", "50", "--duration", "3",
                    "--seed", "20261124");
            simulator.awaitExit();
            assertThat(simulator.process().exitValue()).as("exit code of %s", simulator.describe()).isZero();
            assertThat(simulator.out()).as("output of %s", simulator.describe())
                    .contains("port from the running hub (" + hubInfoFile(home) + ")");

            await("exactly the " + SENSORS + " simulated things at /api/v1/things").atMost(PATIENCE)
                    .pollInterval(POLL).untilAsserted(() -> {
                        Response things = get(httpPort, "/api/v1/things", key);
                        assertThat(things.status()).as("%s", things).isEqualTo(200);
                        assertThat(thingIds(things)).as("thing ids in %s", things)
                                .containsExactlyInAnyOrderElementsOf(expectedThings);
                    });

            // every reading above 70 dB(A) that the broker acknowledged becomes one alert, none is lost
            long loud = loudReadings(simulator);
            assertThat(loud).as("readings above 70 dB(A) in %s", simulator.describe()).isPositive();
            await(loud + " alerts on " + ALERTS).atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat((long) alerts.received().size())
                            .as("alerts on %s, %s; their levels: %s", ALERTS, alerts, levels(alerts))
                            .isGreaterThanOrEqualTo(loud));
            assertThat((long) alerts.received().size()).as("alerts on %s; levels %s", ALERTS, levels(alerts))
                    .isEqualTo(loud);
            assertThat(alerts.received()).as("alerts on %s", ALERTS).allSatisfy(message -> {
                JsonObject alert = JsonFactory.readFrom(message.payload()).asObject();
                assertThat(Hub.at(alert, "thingId").map(JsonValue::asString)).as("thingId of %s", alert)
                        .hasValueSatisfying(id -> assertThat(expectedThings).contains(id));
                assertThat(Hub.at(alert, "laeq").filter(JsonValue::isNumber).map(JsonValue::asDouble))
                        .as("laeq of %s", alert).hasValueSatisfying(laeq -> assertThat(laeq).isGreaterThan(70.0));
            });
        }

        Response health = get(httpPort, "/api/v1/health");
        assertThat(health.status()).as("%s", health).isEqualTo(200);
        assertThat(Hub.at(health.jsonObject(), "status")).as("%s", health).contains(JsonValue.of("UP"));

        stopOnTerm(hub, home);
        Path log = home.resolve("data/log/lantaarn.log");
        assertThat(log).as("the hub's log file").isRegularFile();
        assertThat(Files.readAllLines(log, StandardCharsets.UTF_8)).as("ERROR lines in %s", log)
                .noneMatch(line -> ERROR_LINE.matcher(line).matches());
        assertThat(hub.outLines()).as("ready lines in %s", hub.describe())
                .filteredOn(line -> READY_LINE.matcher(line).matches()).hasSize(1);
        assertThat(hub.out() + hub.err()).as("SLF4J's own warnings in %s", hub.describe()).doesNotContain("SLF4J");
    }

    /**
     * The four shipped adapters, each fed by its {@code ./lantaarn simulate <adapter>}: their things appear in the
     * running hub, and the admin API shows every instance RUNNING with what it received.
     */
    @Test
    void shippedAdaptersMapWhatTheirSimulatorsSend() throws Exception {
        assertBuiltByTheReactor();
        int httpPort = HubTestOptions.freePort();
        int mqttPort = HubTestOptions.freePort();
        Path home = runs.work().resolve("home");
        LauncherProcess hub = runs.launchHub("start", home, httpPort, mqttPort);
        assertThat(hub.awaitReadyLine()).as("the ready line of %s", hub.describe()).startsWith("Lantaarn ready in ");
        hub.awaitHubInfo(home);

        // an operator adds an API key while the hub runs (only its hash is configured)
        String key = "scenario-" + UUID.randomUUID();
        String hash = HubHome.sha256(key);
        Files.writeString(home.resolve("etc/nl.lantaarn.http.auth.cfg"), "apiKeyHashes = scenario:sha256:" + hash
                + "\n");
        await("the API key accepted").atMost(PATIENCE).pollInterval(POLL)
                .until(() -> get(httpPort, "/api/v1/adapters", key).status() == 200);

        Map<String, String> environment = Map.of("LANTAARN_HOME", home.toString(), "LANTAARN_API_KEY", key);
        List<LauncherProcess> simulators = List.of(
                runs.launch("simulate-ttn", environment, "simulate", "ttn", "--devices", "6", "--rate", "20",
                        "--duration", "2", "--seed", "1"),
                runs.launch("simulate-sound-events", environment, "simulate", "sound-events", "--sensors", "4",
                        "--rate", "10", "--duration", "2", "--seed", "2"),
                runs.launch("simulate-crowd", environment, "simulate", "crowd", "--sensors", "3", "--rate", "6",
                        "--duration", "2", "--seed", "3"),
                runs.launch("simulate-citizen-reports", environment, "simulate", "citizen-reports", "--reports", "5",
                        "--rate", "5", "--seed", "4"));
        for (LauncherProcess simulator : simulators) {
            simulator.awaitExit();
            assertThat(simulator.process().exitValue()).as("exit code of %s", simulator.describe()).isZero();
        }

        Map<String, String> expectedPrefixes = Map.of(
                "ttn", "nl.demo.safety:eindhoven-sound-",
                "sound-events", "nl.demo.safety:sound-",
                "crowd", "nl.demo.crowd:crowd-",
                "citizen-reports", "nl.eindhoven.citizen:report-");
        await("things of all four adapters at /api/v1/things").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> {
                    Response things = get(httpPort, "/api/v1/things?limit=1000", key);
                    assertThat(things.status()).as("%s", things).isEqualTo(200);
                    List<String> ids = thingIds(things);
                    expectedPrefixes.forEach((adapter, prefix) -> assertThat(ids)
                            .as("things of adapter %s in %s", adapter, things)
                            .anySatisfy(id -> assertThat(id).startsWith(prefix)));
                });

        Response adapters = get(httpPort, "/api/v1/adapters", key);
        assertThat(adapters.status()).as("%s", adapters).isEqualTo(200);
        for (String adapter : expectedPrefixes.keySet()) {
            JsonObject status = adapters.json().asArray().stream().map(JsonValue::asObject)
                    .filter(a -> a.getValue("id").map(JsonValue::asString).orElse("").equals(adapter)).findFirst()
                    .orElseThrow(() -> new AssertionError("no adapter " + adapter + " in " + adapters));
            assertThat(status.getValue("state").map(JsonValue::asString)).as("%s", status).contains("RUNNING");
            assertThat(Hub.at(status, "counters/received").map(JsonValue::asLong)).as("%s", status)
                    .hasValueSatisfying(received -> assertThat(received).isPositive());
        }
        stopOnTerm(hub, home);
    }

    /** GET with an API key. */
    private Response get(int port, String path, String apiKey) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Accept", "application/json")
                .header("Authorization", "Bearer " + apiKey).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(path, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + request.uri() + " failed: " + e, e);
        }
    }

    @Test
    void takenMqttPortIsOneLineAndTheRestRuns() throws Exception {
        assertBuiltByTheReactor();
        int httpPort = HubTestOptions.freePort();
        Path home = runs.work().resolve("home");
        // another program holds the MQTT port for the whole run
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int mqttPort = taken.getLocalPort();
            LauncherProcess hub = runs.launchHub("start", home, httpPort, mqttPort);

            String ready = hub.awaitReadyLine();
            assertThat(ready).as("the ready line of %s", hub.describe())
                    .startsWith("Lantaarn started with problems in ")
                    .contains("HTTP http://localhost:" + httpPort + "/api/v1/health")
                    .endsWith("MQTT broker down, see log");

            Properties hubInfo = hub.awaitHubInfo(home);
            assertThat(hubInfo).as("%s", hubInfoFile(home))
                    .containsEntry("http.port", Integer.toString(httpPort))
                    .containsEntry("mqtt.state", "down")
                    .doesNotContainKey("mqtt.port");

            Response health = get(httpPort, "/api/v1/health");
            assertThat(health.status()).as("%s", health).isEqualTo(503);
            JsonObject components = Hub.at(health.jsonObject(), "components").filter(JsonValue::isObject)
                    .map(JsonValue::asObject).orElseThrow(() -> new AssertionError("no components in " + health));
            assertThat(Hub.at(components, "mqtt-broker/status")).as("%s", health).contains(JsonValue.of("DOWN"));
            assertThat(Hub.at(components, "mqtt-broker/detail").map(JsonValue::asString)).as("%s", health)
                    .hasValueSatisfying(detail -> assertThat(detail).contains("LANTAARN_MQTT_PORT")
                            .contains("port " + mqttPort).contains("in use"));
            // what does not need the port runs on
            assertThat(Hub.at(components, "twin/status")).as("%s", health).contains(JsonValue.of("UP"));
            assertThat(Hub.at(components, "dead-letters/status")).as("%s", health).contains(JsonValue.of("UP"));
            String key = addClient(home, "reader", "reader");
            Response things = await("the new client's key accepted").atMost(PATIENCE).pollInterval(POLL)
                    .until(() -> get(httpPort, "/api/v1/things", key), response -> response.status() == 200);
            assertThat(thingIds(things)).as("%s", things).isEmpty();

            // the simulator says so too, in one line, instead of trying the port
            LauncherProcess simulator = runs.launch("simulate", Map.of("LANTAARN_HOME", home.toString()),
                    "simulate", "noise", "--duration", "1");
            simulator.awaitExit();
            assertThat(simulator.process().exitValue()).as("exit code of %s", simulator.describe()).isEqualTo(1);
            assertThat(simulator.err()).as("%s", simulator.describe())
                    .contains("reports its embedded MQTT broker down").contains("LANTAARN_MQTT_PORT");

            stopOnTerm(hub, home);
            assertThat(linesNaming(hub.outLines(), "LANTAARN_MQTT_PORT")).as("lines naming the setting in %s",
                    hub.describe()).singleElement().asString().contains("port " + mqttPort).contains("in use");
            assertThat(hub.outLines()).as("ready lines in %s", hub.describe())
                    .filteredOn(line -> READY_LINE.matcher(line).matches()).hasSize(1);
            Path log = home.resolve("data/log/lantaarn.log");
            List<String> logLines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(linesNaming(logLines, "LANTAARN_MQTT_PORT")).as("lines naming the setting in %s", log)
                    .singleElement().asString().contains("port " + mqttPort);
            assertThat(logLines).as("ERROR lines in %s", log)
                    .filteredOn(line -> ERROR_LINE.matcher(line).matches())
                    .singleElement().asString().contains("LANTAARN_MQTT_PORT");
        }
    }

    /**
     * Item 3 of the partner API: an operator adds a client with {@code ./lantaarn clients add} while the hub runs; its
     * key reads at once, within its role only, and is refused after {@code ./lantaarn clients revoke}. A fresh home
     * says once how to make the first client; anonymous reads are a 401 that says the same.
     */
    @Test
    void clientAddedWithTheCliReadsAtOnceAndIsRefusedAfterRevoke() throws Exception {
        assertBuiltByTheReactor();
        int httpPort = HubTestOptions.freePort();
        int mqttPort = HubTestOptions.freePort();
        Path home = runs.work().resolve("home");
        LauncherProcess hub = runs.launchHub("start", home, httpPort, mqttPort);
        assertThat(hub.awaitReadyLine()).as("the ready line of %s", hub.describe()).startsWith("Lantaarn ready in ");
        assertThat(hub.err().lines().filter(line -> line.contains("no API client yet"))).as("%s", hub.describe())
                .singleElement().asString().contains("./lantaarn clients add <name> --role");

        Response anonymous = get(httpPort, "/api/v1/things");
        assertThat(anonymous.status()).as("%s", anonymous).isEqualTo(401);
        assertThat(anonymous.body()).as("%s", anonymous).contains("./lantaarn clients add");
        assertThat(get(httpPort, "/api/v1/health").status()).as("health stays open").isIn(200, 503);

        String key = addClient(home, "wijkapp-strijp", "reader");
        assertThat(key).matches("ltn_[A-Za-z0-9_-]{43}");
        await("the key of a client added while the hub runs accepted").atMost(PATIENCE).pollInterval(POLL)
                .until(() -> get(httpPort, "/api/v1/things", key).status() == 200);
        Response routes = get(httpPort, "/api/v1/routes", key);
        assertThat(routes.status()).as("%s", routes).isEqualTo(403);
        assertThat(routes.body()).as("%s", routes).contains("role operator").contains("'wijkapp-strijp' has role reader");
        HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/api/v1/things/nl.demo.safety:by-reader")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).as("PUT by a reader: %s", write.body()).isEqualTo(403);
        assertThat(write.body()).contains("role writer");

        LauncherProcess list = runs.launch("clients-list", Map.of("LANTAARN_HOME", home.toString()), "clients",
                "list");
        list.awaitExit();
        assertThat(list.process().exitValue()).as("exit code of %s", list.describe()).isZero();
        assertThat(list.out()).as("%s", list.describe()).contains("wijkapp-strijp").contains("reader")
                .contains("purpose of wijkapp-strijp").doesNotContain(key).doesNotContain("sha256");

        LauncherProcess revoke = runs.launch("clients-revoke", Map.of("LANTAARN_HOME", home.toString()), "clients",
                "revoke", "wijkapp-strijp");
        revoke.awaitExit();
        assertThat(revoke.process().exitValue()).as("exit code of %s", revoke.describe()).isZero();
        await("the revoked key refused").atMost(PATIENCE).pollInterval(POLL)
                .until(() -> get(httpPort, "/api/v1/things", key).status() == 401);
        stopOnTerm(hub, home);
    }

    /** {@code ./lantaarn clients add} on the home, as an operator runs it; returns the key, the output's last line. */
    private String addClient(Path home, String name, String role) throws Exception {
        LauncherProcess add = runs.launch("clients-add-" + name, Map.of("LANTAARN_HOME", home.toString()), "clients",
                "add", name, "--role", role, "--purpose", "purpose of " + name);
        add.awaitExit();
        assertThat(add.process().exitValue()).as("exit code of %s", add.describe()).isZero();
        List<String> lines = add.outLines();
        assertThat(lines).as("output of %s", add.describe()).isNotEmpty();
        return lines.get(lines.size() - 1);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The launcher, and the jars it would otherwise build first (see {@link LauncherProcess.Runs#assertFresh}). */
    private void assertBuiltByTheReactor() throws IOException {
        Path script = runs.repository().resolve("lantaarn");
        assertThat(script).as("the launcher").isRegularFile().isExecutable();
        runs.assertDistributionFresh();
        runs.assertFresh(runs.repository().resolve("bench/target/lantaarn-bench.jar"), "bench");
        runs.assertFresh(runs.repository().resolve("distribution/tools/target/lantaarn-tools.jar"),
                "distribution/tools");
    }

    /** TERM, as Ctrl-C or a service manager sends it: the hub stops and removes data/run/hub.properties. */
    private void stopOnTerm(LauncherProcess hub, Path home) throws InterruptedException {
        List<ProcessHandle> children = hub.process().descendants().collect(Collectors.toList());
        hub.process().destroy();
        assertThat(hub.process().waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .as("the hub ended within %s after TERM: %s", STOP_PATIENCE, hub.describe()).isTrue();
        assertThat(children.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::info))
                .as("processes started by %s and still running", hub.describe()).isEmpty();
        assertThat(hubInfoFile(home)).as("removed when the hub stopped: %s", hub.describe()).doesNotExist();
    }

    private static Path hubInfoFile(Path home) {
        return LauncherProcess.hubInfoFile(home);
    }

    /**
     * The password the embedded broker wrote for {@code devices} when it created the home's users file; it does so
     * before it listens, so before the ready line.
     */
    private static String devicesPassword(Path home) throws IOException {
        Path file = home.resolve("data/secrets/mqtt-devices.password");
        Path users = home.resolve("etc/mqtt-users.passwd");
        assertThat(file).as("written by the embedded broker on the first start in a new home. It writes it only when "
                + "it creates %s; does that come from somewhere else (./lantaarn copies the repository's etc/ into a "
                + "new home, and a hub run from the repository root leaves its users file there)?", users)
                .isRegularFile();
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    /**
     * Bundles the ready line counts: those the executable jar launches ({@code launch.bundles} of its
     * {@code launcher.properties}), without fragments.
     */
    private long hubBundleCount() throws IOException {
        Path executable = runs.repository().resolve("distribution/target/lantaarn.jar");
        try (JarFile jar = new JarFile(executable.toFile())) {
            JarEntry properties = jar.getJarEntry("launcher.properties");
            assertThat(properties).as("launcher.properties in %s", executable).isNotNull();
            Properties launcher = new Properties();
            try (InputStream in = jar.getInputStream(properties)) {
                launcher.load(in);
            }
            long count = 0;
            for (String path : launcher.getProperty("launch.bundles", "").split(",")) {
                JarEntry bundle = jar.getJarEntry(path.trim());
                assertThat(bundle).as("%s in %s (launch.bundles)", path.trim(), executable).isNotNull();
                try (JarInputStream in = new JarInputStream(jar.getInputStream(bundle))) {
                    Manifest manifest = in.getManifest();
                    if (manifest == null || manifest.getMainAttributes().getValue("Fragment-Host") == null) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    /** "N above 70 dB(A)" from the simulator's summary line. */
    private static long loudReadings(LauncherProcess simulator) {
        Matcher summary = SIMULATOR_SUMMARY.matcher(simulator.out());
        assertThat(summary.find()).as("the summary line of %s", simulator.describe()).isTrue();
        return Long.parseLong(summary.group(1));
    }

    /** The sound levels of the alerts received, for failure messages. */
    private static List<String> levels(PlainMqttSubscriber alerts) {
        return alerts.received().stream().map(message -> {
            try {
                return Hub.at(JsonFactory.readFrom(message.payload()).asObject(), "laeq").map(JsonValue::toString)
                        .orElse("?");
            } catch (RuntimeException e) {
                return message.payload();
            }
        }).sorted().collect(Collectors.toList());
    }

    private static List<String> linesNaming(List<String> lines, String word) {
        return lines.stream().filter(line -> line.contains(word)).collect(Collectors.toList());
    }

    private static List<String> thingIds(Response response) {
        JsonValue json = response.json();
        assertThat(json.isArray()).as("%s is a JSON array", response).isTrue();
        return json.asArray().stream().map(thing -> Hub.at(thing.asObject(), "thingId").map(JsonValue::asString)
                .orElseThrow(() -> new AssertionError("a thing without thingId in " + response)))
                .collect(Collectors.toList());
    }

    /** GET on the hub's HTTP API, on 127.0.0.1. */
    private Response get(int port, String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(path, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + request.uri() + " failed: " + e, e);
        }
    }

    private record Response(String path, int status, String body) {

        JsonValue json() {
            try {
                return JsonFactory.readFrom(body);
            } catch (RuntimeException e) {
                throw new AssertionError("GET " + path + " did not return JSON: " + body, e);
            }
        }

        JsonObject jsonObject() {
            JsonValue value = json();
            assertThat(value.isObject()).as("GET %s returns a JSON object: %s", path, body).isTrue();
            return value.asObject();
        }

        @Override
        public String toString() {
            return "GET " + path + " -> " + status + " " + body;
        }
    }
}
