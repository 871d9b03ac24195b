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
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * At least once from a twin event to a route's output, across {@code kill -9}: the real {@code ./lantaarn} runs the
 * hub in its own home on free ports; a route turns noise readings into alerts to a webhook, slowly (a delay step), and
 * the webhook receiver refuses at first. Readings are published until the hub accepted every one (in the route's
 * outbox, processed, or further on in the webhook channel's outbox); then the hub gets SIGKILL (no shutdown hook, no
 * last commit) while events wait in the route's outbox and alerts in the channel's. The receiver starts accepting, the
 * hub starts again on the same home, and every reading arrives at the receiver (duplicates allowed). Plain JUnit 5 in
 * the failsafe JVM, as {@link LauncherScenarioIT}: no Pax Exam, no hub classes.
 * <p>
 * Every process's output goes to files under {@code target/itest-work/DeliveryAfterCrashIT-<test>-<time>-<id>/}.
 */
class DeliveryAfterCrashIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);
    private static final int READINGS = 20;
    private static final String ROUTE = "crash-delivery";
    private static final String CHANNEL = "crash-hook";
    private static final String SECRET = "delivery-after-crash";
    /** One reading per thing, its number in the thing id: nl.demo.safety:noise-crash-7. */
    private static final Pattern READING = Pattern.compile("nl\\.demo\\.safety:noise-crash-(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LauncherProcess.Runs runs;

    @BeforeEach
    void createWork(TestInfo test) throws IOException {
        runs = LauncherProcess.Runs.of(getClass(), test.getTestMethod().orElseThrow().getName(), PATIENCE);
    }

    /** Stops (TERM, then KILL) whatever a failed test left running, by handle. */
    @AfterEach
    void stopEverything() {
        runs.stopAll(STOP_PATIENCE);
    }

    @Test
    void everyReadingTheHubAcceptedArrivesAfterKillMinus9() throws Exception {
        runs.assertDistributionFresh();
        int httpPort = HubTestOptions.freePort();
        int mqttPort = HubTestOptions.freePort();
        Path home = runs.work().resolve("home");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(503);
            prepareHome(home, receiver.url(), httpPort);

            LauncherProcess hub = runs.launchHub("hub-1", home, httpPort, mqttPort, "start");
            hub.awaitReadyLine();
            Properties info = hub.awaitHubInfo(home);
            // the launcher replaced itself with the JVM (exec): killing this process kills the hub itself
            assertThat(info.getProperty("pid")).as("pid in %s", LauncherProcess.hubInfoFile(home))
                    .isEqualTo(Long.toString(hub.process().pid()));

            // plain MQTT 3.1.1 packets: the HiveMQ client is kept off the failsafe class path, see itests/pom.xml
            try (PlainMqttClient sensors = PlainMqttClient.connect("127.0.0.1", mqttPort, "devices",
                    Files.readString(home.resolve("data/secrets/mqtt-devices.password"), StandardCharsets.UTF_8)
                            .strip())) {
                for (int i = 1; i <= READINGS; i++) {
                    sensors.publish("sim/noise/crash-" + i, "{\"id\":\"crash-" + i + "\",\"laeq\":75." + i
                            + ",\"lat\":51.44,\"lon\":5.48}");
                }
            }

            // accepted: processed by the route (out, failed, dead-lettered) or waiting in its outbox; read the
            // counters first, so an event moving on between the two requests is counted once at most
            int[] backlogAtKill = new int[1];
            await("the hub accepted all " + READINGS + " readings").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> {
                        JsonObject route = getJson(httpPort, "/api/v1/routes/" + ROUTE).asObject();
                        long done = counter(route, "out") + counter(route, "failed")
                                + counter(route, "deadLettered");
                        int backlog = routeBacklog(getJson(httpPort, "/api/v1/health").asObject());
                        backlogAtKill[0] = backlog;
                        assertThat(done + backlog).as("processed %s + waiting in the outbox %s; %s", done, backlog,
                                route).isGreaterThanOrEqualTo(READINGS);
                    });
            await("the receiver refused an alert").atMost(PATIENCE).pollInterval(POLL)
                    .until(() -> receiver.refused() > 0);
            assertThat(backlogAtKill[0]).as("events still waiting in the route's outbox at the kill").isPositive();
            assertThat(receiver.requests()).as("nothing accepted yet").isEmpty();

            hub.process().destroyForcibly(); // SIGKILL
            assertThat(hub.process().waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(hub.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);

            receiver.answer(204);
            LauncherProcess again = runs.launchHub("hub-2", home, httpPort, mqttPort, "start");
            again.awaitReadyLine();

            Set<Integer> expected = IntStream.rangeClosed(1, READINGS).boxed().collect(Collectors.toSet());
            await("every reading at the receiver after the restart").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(readingsReceived(receiver)).as("readings received")
                            .containsAll(expected));
            assertThat(receiver.requests()).as("signed alerts").allSatisfy(request -> assertThat(
                    WebhookReceiver.signedWith(SECRET, request)).as("signature of %s", request.body()).isTrue());
            // both outboxes empty once everything went out
            await("the outboxes are empty").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
                JsonObject health = getJson(httpPort, "/api/v1/health").asObject();
                assertThat(detail(health, "routing")).contains("outbox ").contains("data/routing/outbox.mv: empty");
                assertThat(detail(health, "notifications")).contains("data/notify/outbox.mv: empty");
            });

            again.process().destroy();
            assertThat(again.process().waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the hub ended on TERM")
                    .isTrue();
        }
    }

    /** A home with the repository's default settings, an API key, the webhook channel and only the test's route. */
    private void prepareHome(Path home, String receiverUrl, int httpPort) throws IOException {
        Path etc = Files.createDirectories(home.resolve("etc"));
        try (Stream<Path> files = Files.list(runs.repository().resolve("etc"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".cfg")).toList()) {
                Files.copy(file, etc.resolve(file.getFileName()));
            }
        }
        // this machine only
        Path broker = etc.resolve("nl.lantaarn.mqtt.broker.cfg");
        Files.writeString(broker, Files.readString(broker, StandardCharsets.UTF_8)
                .replaceAll("(?m)^host\\s*=.*$", "host = 127.0.0.1"), StandardCharsets.UTF_8);
        Files.writeString(etc.resolve("org.apache.felix.http.cfg"), "org.osgi.service.http.host = 127.0.0.1\n"
                + "org.osgi.service.http.port = " + httpPort + "\n");
        Files.writeString(etc.resolve("nl.lantaarn.http.auth.cfg"), "apiKeyHashes = itest:sha256:"
                + HubHome.sha256(HubHome.API_KEY) + "\n");
        // retries until the receiver answers: it refuses while the hub is killed
        Files.writeString(etc.resolve("nl.lantaarn.notify.webhook-" + CHANNEL + ".cfg"), """
                url = %s
                secret = %s
                timeoutSeconds = 5
                maxAttempts = 100
                backoffInitialMillis = 100
                backoffMaxMillis = 500
                breakerFailures = 1000
                breakerCoolDownSeconds = 1
                """.formatted(receiverUrl, SECRET));
        Path routes = Files.createDirectories(home.resolve("routes"));
        Files.writeString(routes.resolve(ROUTE + ".yaml"), """
                - route:
                    id: %s
                    description: Test of delivery across a crash; every noise reading becomes an alert, slowly
                    routeProperties:
                      purpose: integration test
                      legalBasis: PUBLIC_TASK
                      owner: tests
                    from:
                      uri: hub:events
                      parameters:
                        namespace: nl.demo.safety
                        feature: noise
                      steps:
                        # slow on purpose: events still wait in the route's outbox when the hub is killed
                        - delay:
                            constant: 300
                        - to:
                            uri: hub:alert
                            parameters:
                              channels: %s
                              severity: warning
                              title: Crash test reading
                              dedupWindow: PT0S
                """.formatted(ROUTE, CHANNEL));
    }

    /** The reading numbers of the alerts the receiver accepted. */
    private static Set<Integer> readingsReceived(WebhookReceiver receiver) {
        Set<Integer> numbers = new TreeSet<>();
        for (WebhookReceiver.Request request : receiver.requests()) {
            JsonObject alert = JsonFactory.newObject(request.body());
            String thingId = alert.getValue("thingId").filter(JsonValue::isString).map(JsonValue::asString)
                    .orElse("");
            Matcher matcher = READING.matcher(thingId);
            if (matcher.matches()) {
                numbers.add(Integer.parseInt(matcher.group(1)));
            }
        }
        return numbers;
    }

    private static long counter(JsonObject route, String name) {
        return route.getValue("counters/" + name).filter(JsonValue::isNumber).map(JsonValue::asLong)
                .orElseThrow(() -> new AssertionError("no counter " + name + " in " + route));
    }

    /** The route's outbox backlog from the routing health detail ("backlog crash-delivery=N"); 0 when not named. */
    private static int routeBacklog(JsonObject health) {
        Matcher matcher = Pattern.compile("backlog [^;]*\\b" + Pattern.quote(ROUTE) + "=(\\d+)")
                .matcher(detail(health, "routing"));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    private static String detail(JsonObject health, String component) {
        return health.getValue("components/" + component + "/detail").filter(JsonValue::isString)
                .map(JsonValue::asString).orElseThrow(() -> new AssertionError("no " + component + " in " + health));
    }

    private JsonValue getJson(int port, String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Accept", "application/json")
                .header("X-API-Key", HubHome.API_KEY).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            // health answers 503 while a component is down; its body is the report all the same
            assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isIn(200, 503);
            return JsonFactory.readFrom(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + request.uri() + " failed: " + e, e);
        }
    }
}
