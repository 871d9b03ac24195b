package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
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
    private static final Pattern READY_LINE =
            Pattern.compile("^Lantaarn (ready|started with problems) in [0-9.]+ s: .*");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);
    /** One reading per thing, its number in the thing id: nl.demo.safety:noise-crash-7. */
    private static final Pattern READING = Pattern.compile("nl\\.demo\\.safety:noise-crash-(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> started = new ArrayList<>();
    private Path repository;
    private Path work;

    @BeforeEach
    void createWork(TestInfo test) throws IOException {
        repository = Path.of(requiredProperty(LauncherScenarioIT.REPOSITORY)).toAbsolutePath().normalize();
        Path root = Path.of(requiredProperty(HubTestOptions.WORK)).toAbsolutePath().normalize();
        String name = getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName() + "-"
                + LocalDateTime.now().format(STAMP) + "-" + UUID.randomUUID().toString().substring(0, 8);
        work = Files.createDirectories(root.resolve(name));
    }

    /** Stops (TERM, then KILL) whatever a failed test left running, by handle. */
    @AfterEach
    void stopEverything() {
        for (Process process : started) {
            List<ProcessHandle> tree = new ArrayList<>();
            tree.add(process.toHandle());
            process.descendants().forEach(tree::add);
            tree.forEach(ProcessHandle::destroy);
            for (ProcessHandle handle : tree) {
                try {
                    handle.onExit().get(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS);
                } catch (Exception e) {
                    handle.destroyForcibly();
                }
            }
        }
        started.clear();
    }

    @Test
    void everyReadingTheHubAcceptedArrivesAfterKillMinus9() throws Exception {
        assertDistributionFresh();
        int httpPort = HubTestOptions.freePort();
        int mqttPort = HubTestOptions.freePort();
        Path home = work.resolve("home");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(503);
            prepareHome(home, receiver.url(), httpPort);
            Map<String, String> environment = Map.of("LANTAARN_HOME", home.toString(),
                    "LANTAARN_HTTP_PORT", Integer.toString(httpPort), "LANTAARN_MQTT_PORT", Integer.toString(mqttPort));

            Process hub = launch("hub-1", environment);
            awaitReady(hub, "hub-1");
            Properties info = awaitHubInfo(home, hub, "hub-1");
            // the launcher replaced itself with the JVM (exec): killing this process kills the hub itself
            assertThat(info.getProperty("pid")).as("pid in %s", hubInfoFile(home))
                    .isEqualTo(Long.toString(hub.pid()));

            try (PlainPublisher sensors = PlainPublisher.connect(mqttPort, "devices",
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

            hub.destroyForcibly(); // SIGKILL
            assertThat(hub.waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(hub.exitValue()).as("killed by SIGKILL").isEqualTo(137);

            receiver.answer(204);
            Process again = launch("hub-2", environment);
            awaitReady(again, "hub-2");

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

            again.destroy();
            assertThat(again.waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the hub ended on TERM")
                    .isTrue();
        }
    }

    /** A home with the repository's default settings, an API key, the webhook channel and only the test's route. */
    private void prepareHome(Path home, String receiverUrl, int httpPort) throws IOException {
        Path etc = Files.createDirectories(home.resolve("etc"));
        try (Stream<Path> files = Files.list(repository.resolve("etc"))) {
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
                + sha256(HubHome.API_KEY) + "\n");
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

    /** Runs {@code ./lantaarn start} from the repository root with these LANTAARN_ variables. */
    private Process launch(String name, Map<String, String> lantaarnEnvironment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(repository.resolve("lantaarn").toString(), "start")
                .directory(repository.toFile())
                .redirectOutput(work.resolve(name + ".stdout.txt").toFile())
                .redirectError(work.resolve(name + ".stderr.txt").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("LANTAARN_") && !key.equals("LANTAARN_JAVA_OPTS"));
        environment.putAll(lantaarnEnvironment);
        environment.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        process.getOutputStream().close();
        started.add(process);
        return process;
    }

    private void awaitReady(Process hub, String name) {
        await("the ready line of " + name).atMost(PATIENCE).pollInterval(POLL).until(() -> {
            String out = read(work.resolve(name + ".stdout.txt"));
            String err = read(work.resolve(name + ".stderr.txt"));
            if ((out + err).lines().anyMatch(line -> line.contains("building"))) {
                throw new AssertionError("./lantaarn started a build; build the distribution before the itests");
            }
            if (!hub.isAlive()) {
                throw new AssertionError("./lantaarn ended before the hub was ready:\n" + out + "\n" + err);
            }
            return out.lines().anyMatch(line -> READY_LINE.matcher(line).matches());
        });
    }

    private static Path hubInfoFile(Path home) {
        return home.resolve("data/run/hub.properties");
    }

    private static Properties awaitHubInfo(Path home, Process hub, String name) {
        Path file = hubInfoFile(home);
        return await(file + " written by " + name).atMost(PATIENCE).pollInterval(POLL).until(() -> {
            Properties properties = new Properties();
            if (Files.isRegularFile(file)) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(in);
                }
            }
            return properties;
        }, properties -> Long.toString(hub.pid()).equals(properties.getProperty("pid")));
    }

    /**
     * {@code ./lantaarn} builds the hub when its jar is older than a build input; the reactor builds it before the
     * itests, so it must not (the same rule as the launcher's and {@link LauncherScenarioIT}'s).
     */
    private void assertDistributionFresh() throws IOException {
        Path jar = repository.resolve("distribution/target/lantaarn.jar");
        assertThat(jar).as("built by the reactor before itests (./mvnw install -DskipTests)").isRegularFile();
        FileTime built = Files.getLastModifiedTime(jar);
        List<Path> newer = new ArrayList<>();
        if (Files.getLastModifiedTime(repository.resolve("pom.xml")).compareTo(built) > 0) {
            newer.add(repository.resolve("pom.xml"));
        }
        for (String folder : List.of("api", "things-model", "bundles", "adapters", "distribution")) {
            Path start = repository.resolve(folder);
            if (!newer.isEmpty() || !Files.isDirectory(start)) {
                continue;
            }
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName().toString();
                    boolean skip = name.equals("target") || name.equals("node_modules") || dir.endsWith("src/test");
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    String path = "/" + repository.relativize(file).toString().replace('\\', '/');
                    boolean input = name.equals("pom.xml") || name.endsWith(".bndrun") || name.endsWith(".bnd")
                            || path.contains("/src/main/");
                    if (input && attrs.lastModifiedTime().compareTo(built) > 0) {
                        newer.add(file);
                        return FileVisitResult.TERMINATE;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        assertThat(newer).as("build inputs newer than %s: ./lantaarn would rebuild it; build again (./mvnw install "
                + "-DskipTests) before ./mvnw -pl itests verify", jar).isEmpty();
    }

    /**
     * Publishes with QoS 1 as a sensor does, in plain MQTT 3.1.1 packets (the HiveMQ client is kept off the failsafe
     * class path, see itests/pom.xml); each publish returns once the broker acknowledged it.
     */
    private static final class PlainPublisher implements AutoCloseable {

        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private int packetId;

        private PlainPublisher(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static PlainPublisher connect(int port, String username, String password) throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 20_000);
            socket.setSoTimeout(20_000);
            PlainPublisher publisher = new PlainPublisher(socket);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, "MQTT".getBytes(StandardCharsets.UTF_8));
            body.write(4); // 3.1.1
            body.write(0x80 | 0x40 | 0x02); // user name, password, clean session
            body.write(0);
            body.write(60); // keep alive
            string(body, ("itest-crash-" + UUID.randomUUID().toString().substring(0, 8))
                    .getBytes(StandardCharsets.UTF_8));
            string(body, username.getBytes(StandardCharsets.UTF_8));
            string(body, password.getBytes(StandardCharsets.UTF_8));
            publisher.send(0x10, body.toByteArray());
            byte[] connAck = publisher.expect(2);
            assertThat(connAck[1]).as("CONNACK return code as %s", username).isZero();
            return publisher;
        }

        void publish(String topic, String payload) throws IOException {
            int id = ++packetId;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, topic.getBytes(StandardCharsets.UTF_8));
            body.write(id >> 8);
            body.write(id & 0xff);
            body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
            send(0x32, body.toByteArray()); // PUBLISH, QoS 1
            byte[] pubAck = expect(4);
            assertThat(((pubAck[0] & 0xff) << 8) | (pubAck[1] & 0xff)).as("PUBACK packet id").isEqualTo(id);
        }

        /** Reads one packet of the given type and returns its body. */
        private byte[] expect(int type) throws IOException {
            int header = in.readUnsignedByte();
            int length = 0;
            int shift = 0;
            int digit;
            do {
                digit = in.readUnsignedByte();
                length |= (digit & 0x7f) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            byte[] body = new byte[length];
            in.readFully(body);
            assertThat(header >> 4).as("MQTT packet type").isEqualTo(type);
            return body;
        }

        private void send(int header, byte[] body) throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(header);
            int length = body.length;
            do {
                int digit = length % 128;
                length /= 128;
                packet.write(length > 0 ? digit | 0x80 : digit);
            } while (length > 0);
            packet.writeBytes(body);
            out.write(packet.toByteArray());
            out.flush();
        }

        private static void string(ByteArrayOutputStream body, byte[] value) {
            body.write(value.length >> 8);
            body.write(value.length & 0xff);
            body.writeBytes(value);
        }

        @Override
        public void close() throws IOException {
            try {
                send(0xe0, new byte[0]); // DISCONNECT
            } finally {
                socket.close();
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name
                    + " is not set: run the integration tests through Maven (./mvnw verify), which sets it");
        }
        return value;
    }
}
