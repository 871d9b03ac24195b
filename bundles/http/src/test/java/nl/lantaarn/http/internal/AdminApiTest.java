package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The adapter admin API, dead-letter replay and metrics through the servlet in a real Jetty on a free port, on the
 * real dead-letter service and real files in a temporary hub home.
 */
class AdminApiTest {

    private static final String KEY = "admin-key-0123456789";
    /**
     * A client per request: the server closes a connection after refusing a request whose body it did not read,
     * and the JDK client, which retries only idempotent requests, could pick a pooled connection in that moment.
     */
    private static HttpClient client() {
        return HttpClient.newHttpClient();
    }
    private static final Instant T0 = Instant.parse("2026-11-23T21:00:00Z");

    @TempDir
    static Path home;
    private static FileDeadLetterService letters;
    private static TwinServiceComponent twin;
    private static FakeAdmin admin;
    private static ApiServlet servlet;
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 1000);
        twin = new TwinServiceComponent(new MemoryTwinStore());
        admin = new FakeAdmin(letters);
        ApiKeys keys = ApiKeys.parse(new String[] {"operator:sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(KEY))});
        // a hub bundle installed from the distribution, and the deployed adapter bundle installed by FileInstall
        AdapterFiles.InstalledBundles installed = symbolicName -> switch (symbolicName) {
            case "nl.lantaarn.twin" -> List.of(new AdapterFiles.InstalledBundles.Installed("0.1.0",
                    "reference:file:/opt/lantaarn/bundles/nl.lantaarn.twin.jar", "ACTIVE"));
            case "nl.example.adapter" -> List.of(new AdapterFiles.InstalledBundles.Installed("1.2.0",
                    home.resolve("deploy/nl.example.adapter.jar").toUri().toString(), "ACTIVE"));
            default -> List.of();
        };
        servlet = new ApiServlet(twin, letters, new ApiKeyAuthenticator(keys), new AdapterFiles(home, installed));
        servlet.setAdmin(admin);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/api/v1/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/api/v1";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        twin.deactivate();
        letters.close();
    }

    @BeforeEach
    void reset() {
        admin.statuses.clear();
        admin.put(FakeAdmin.status("ttn.eindhoven", "mqtt:v3/+/devices/+/up (qos 1)", AdapterState.RUNNING));
        admin.put(FakeAdmin.status("sound-events", "webhook:sound", AdapterState.STOPPED));
        admin.calls.clear();
        admin.replayAnswer = letter -> new IngestResult(true, List.of("nl.demo.safety:" + letter.source()), null, null);
        servlet.setAdmin(admin);
        for (DeadLetter letter : letters.list(null, 10_000)) {
            letters.remove(letter.id());
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    private static HttpRequest.Builder authed(String path) {
        return request(path).header("X-API-Key", KEY);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(HttpRequest.Builder request) {
        return request.POST(HttpRequest.BodyPublishers.noBody());
    }

    private static HttpRequest.Builder putJson(String path, String json) {
        return authed(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json));
    }

    private static String problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.headers().firstValue("API-Version")).contains(ApiServlet.API_VERSION);
        JsonObject body = JsonObject.of(response.body());
        assertThat(body.getValue("status").orElseThrow().asInt()).isEqualTo(status);
        return body.getValue("detail").orElseThrow().asString();
    }

    // --- adapters -----------------------------------------------------------------------------------------------

    @Test
    void adapterReadsAndWritesNeedAKey() throws Exception {
        HttpResponse<String> anonymous = send(request("/adapters"));
        assertThat(problem(anonymous, 401)).contains("The adapter API needs an API key")
                .contains("./lantaarn clients add");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        problem(send(request("/adapters/ttn.eindhoven").header("Authorization", "Bearer wrong")), 401);
        problem(send(post(request("/adapters/ttn.eindhoven/stop"))), 401);
        problem(send(request("/adapters/ttn.eindhoven/configuration").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))), 401);
        problem(send(request("/metrics")), 401);
        assertThat(admin.calls).isEmpty();
        assertThat(send(request("/adapters").header("Authorization", "Bearer " + KEY)).statusCode()).isEqualTo(200);
    }

    @Test
    void listsEveryAdapterWithAllFields() throws Exception {
        HttpResponse<String> response = send(authed("/adapters"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonArray all = JsonArray.of(response.body());
        assertThat(all.getSize()).isEqualTo(2);
        JsonObject ttn = all.get(1).orElseThrow().asObject();
        assertThat((Object) ttn).isEqualTo(JsonObject.of("{\"id\":\"ttn.eindhoven\",\"type\":\"ttn\","
                + "\"vendor\":\"Vendor of ttn\",\"domains\":[\"crowd\",\"safety\"],"
                + "\"bundle\":\"nl.lantaarn.adapters.ttn 1.0.0\",\"state\":\"RUNNING\",\"reason\":null,"
                + "\"inbound\":\"mqtt:v3/+/devices/+/up (qos 1)\",\"privacy\":{\"dataCategories\":[\"sound-level\"],"
                + "\"personalData\":false,\"purpose\":\"detect aggression in nightlife areas\","
                + "\"legalGround\":\"PUBLIC_TASK\",\"retention\":\"PT720H\","
                + "\"fields\":[\"/features/noise/properties/laeq\"]},\"counters\":{\"received\":12,\"mapped\":10,"
                + "\"rejected\":2,\"deadLettered\":2,\"thingUpdates\":10,\"undeclaredFields\":0},\"inboxSize\":3,\"inboxCapacity\":10000,"
                + "\"meanMappingMicros\":125.5,\"maxMappingMicros\":900,\"lastReceivedAt\":\"2026-11-23T21:14:05Z\","
                + "\"commands\":{\"sent\":7,\"acknowledged\":5,\"retried\":3,\"failed\":2,\"unmatched\":1,"
                + "\"waiting\":0}}"));
        assertThat(all.get(0).orElseThrow().asObject().getValue("reason").orElseThrow().asString())
                .isEqualTo("stopped by an operator");
    }

    @Test
    void oneAdapterOr404NamingTheId() throws Exception {
        HttpResponse<String> one = send(authed("/adapters/sound-events"));
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JsonObject.of(one.body()).getValue("inbound").orElseThrow().asString()).isEqualTo("webhook:sound");
        assertThat(problem(send(authed("/adapters/ttn.utrecht")), 404)).contains("'ttn.utrecht'")
                .contains("sound-events, ttn.eindhoven");
    }

    @Test
    void stopsAndStartsInstances() throws Exception {
        assertThat(send(post(authed("/adapters/ttn.eindhoven/stop"))).statusCode()).isEqualTo(204);
        assertThat(send(post(authed("/adapters/sound-events/start"))).statusCode()).isEqualTo(204);
        assertThat(admin.calls).containsExactly("stop ttn.eindhoven", "start sound-events");
        assertThat(problem(send(post(authed("/adapters/nope/stop"))), 404)).contains("'nope'");
        HttpResponse<String> get = send(authed("/adapters/ttn.eindhoven/stop"));
        assertThat(problem(get, 405)).contains("use POST");
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        problem(send(authed("/adapters/ttn.eindhoven/restart")), 404);
    }

    @Test
    void withoutTheRuntimeAdapterEndpointsAre503ButFilesStillWork() throws Exception {
        servlet.unsetAdmin(admin);
        assertThat(problem(send(authed("/adapters")), 503)).contains("nl.lantaarn.adapter.runtime");
        problem(send(authed("/adapters/ttn.eindhoven")), 503);
        problem(send(post(authed("/adapters/ttn.eindhoven/stop"))), 503);
        DeadLetter letter = letters.record("ttn.eindhoven", "t", "r", new byte[] {1}, T0);
        problem(send(post(authed("/dead-letters/" + letter.id() + "/replay"))), 503);
        assertThat(send(putJson("/adapters/ttn.utrecht/configuration", "{\"appId\":\"utrecht\"}")).statusCode())
                .isEqualTo(202);
        assertThat(send(authed("/adapters/bundles")).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = send(authed("/metrics"));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("lantaarn_adapter_runtime_up 0\n").doesNotContain("adapter=\"");
    }

    // --- configuration ------------------------------------------------------------------------------------------

    private static Properties readProperties(Path file) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }

    @Test
    void writesConfigurationFilesAtomicallyForFileInstall() throws Exception {
        Path file = home.resolve("etc/nl.lantaarn.adapter.ttn~eindhoven.cfg");
        HttpResponse<String> created = send(putJson("/adapters/ttn.eindhoven/configuration",
                "{\"appId\":\"eindhoven\",\"port\":1700,\"tls\":true,\"note\":\" Stratumseind \u00e9\u00e9n \\\\ twee\","
                        + "\"folder\":\"${lantaarn.home}/data/ttn\"}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat((Object) JsonObject.of(created.body())).isEqualTo(JsonObject.of("{\"id\":\"ttn.eindhoven\","
                + "\"file\":\"etc/nl.lantaarn.adapter.ttn~eindhoven.cfg\",\"created\":true}"));
        Properties written = readProperties(file);
        assertThat(written).containsEntry("appId", "eindhoven").containsEntry("port", "1700")
                .containsEntry("tls", "true").containsEntry("note", " Stratumseind \u00e9\u00e9n \\ twee")
                .containsEntry("folder", "${lantaarn.home}/data/ttn").hasSize(5);
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).contains("# Adapter instance ttn.eindhoven")
                .contains("by operator");

        HttpResponse<String> replaced = send(putJson("/adapters/ttn.eindhoven/configuration", "{\"appId\":\"e2\"}"));
        assertThat(JsonObject.of(replaced.body()).getValue("created").orElseThrow().asBoolean()).isFalse();
        assertThat(readProperties(file)).containsOnlyKeys("appId");

        // the default instance is the name 'default'
        assertThat(send(putJson("/adapters/ttn/configuration", "{}")).statusCode()).isEqualTo(202);
        assertThat(home.resolve("etc/nl.lantaarn.adapter.ttn~default.cfg")).exists();

        try (Stream<Path> files = Files.list(home.resolve("etc"))) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .allMatch(name -> Pattern.matches("nl\\.lantaarn\\.adapter\\.[a-z0-9-]+~[a-z0-9-]+\\.cfg", name));
        }

        assertThat(send(authed("/adapters/ttn/configuration").DELETE()).statusCode()).isEqualTo(204);
        assertThat(home.resolve("etc/nl.lantaarn.adapter.ttn~default.cfg")).doesNotExist();
        assertThat(problem(send(authed("/adapters/ttn/configuration").DELETE()), 404))
                .contains("etc/nl.lantaarn.adapter.ttn~default.cfg");

        // a default instance configured by hand without a name keeps its one file
        Path plain = home.resolve("etc/nl.lantaarn.adapter.crowd.cfg");
        Files.writeString(plain, "appId = old\n");
        HttpResponse<String> kept = send(putJson("/adapters/crowd/configuration", "{\"appId\":\"new\"}"));
        assertThat(JsonObject.of(kept.body()).getValue("file").orElseThrow().asString())
                .isEqualTo("etc/nl.lantaarn.adapter.crowd.cfg");
        assertThat(readProperties(plain)).containsEntry("appId", "new");
        assertThat(home.resolve("etc/nl.lantaarn.adapter.crowd~default.cfg")).doesNotExist();
        assertThat(send(authed("/adapters/crowd/configuration").DELETE()).statusCode()).isEqualTo(204);
        assertThat(plain).doesNotExist();
    }

    @Test
    void badConfigurationsAreRefusedNamingWhatToFix() throws Exception {
        String path = "/adapters/ttn.bad/configuration";
        assertThat(problem(send(putJson(path, "{\"appId\":\"a\\nb\"}")), 400)).contains("'appId'")
                .contains("line break");
        assertThat(problem(send(putJson(path, "{\"service.pid\":\"x\"}")), 400)).contains("'service.pid'");
        assertThat(problem(send(putJson(path, "{\"bad key\":\"x\"}")), 400)).contains("'bad key'");
        assertThat(problem(send(putJson(path, "{\"nested\":{\"a\":1}}")), 400)).contains("'nested'")
                .contains("an object");
        assertThat(problem(send(putJson(path, "{\"v\":\"" + "x".repeat(AdapterFiles.MAX_VALUE_CHARS + 1) + "\"}")), 400))
                .contains("'v'").contains("at most " + AdapterFiles.MAX_VALUE_CHARS);
        assertThat(problem(send(putJson(path, "[1,2]")), 400)).contains("JSON object");
        assertThat(problem(send(putJson(path, "{\"a\":")), 400)).contains("JSON object");
        assertThat(problem(send(putJson("/adapters/TTN/configuration", "{}")), 400)).contains("'TTN'")
                .contains("<type>.<name>");
        assertThat(problem(send(putJson("/adapters/ttn.a.b/configuration", "{}")), 400)).contains("'ttn.a.b'");
        problem(send(authed(path).header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("{}"))),
                415);
        problem(send(putJson(path, "{\"v\":\"" + "x".repeat(AdapterRoute.MAX_CONFIGURATION_BYTES) + "\"}")), 413);
        assertThat(home.resolve("etc/nl.lantaarn.adapter.ttn~bad.cfg")).doesNotExist();
    }

    // --- bundles --------------------------------------------------------------------------------------------------

    static byte[] jar(String symbolicName, String version) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        if (version != null) {
            manifest.getMainAttributes().putValue("Bundle-Version", version);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new ZipEntry("nl/example/adapter/README.txt"));
            jar.write("an adapter".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static HttpResponse<String> upload(byte[] body, String type) throws Exception {
        return send(authed("/adapters/bundles").header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void deploysListsAndRemovesAdapterBundles() throws Exception {
        HttpResponse<String> deployed = upload(jar("nl.example.adapter;singleton:=true", "1.2.0"),
                "application/java-archive");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
        assertThat((Object) JsonObject.of(deployed.body())).isEqualTo(JsonObject.of("{\"symbolicName\":"
                + "\"nl.example.adapter\",\"version\":\"1.2.0\",\"file\":\"deploy/nl.example.adapter.jar\","
                + "\"replaced\":false}"));
        assertThat(home.resolve("deploy/nl.example.adapter.jar")).exists();
        HttpResponse<String> again = upload(jar("nl.example.adapter", "1.3.0"), "application/java-archive");
        assertThat(JsonObject.of(again.body()).getValue("replaced").orElseThrow().asBoolean()).isTrue();

        JsonArray listed = JsonArray.of(send(authed("/adapters/bundles")).body());
        assertThat(listed.getSize()).isEqualTo(1);
        JsonObject jar = listed.get(0).orElseThrow().asObject();
        assertThat(jar.getValue("symbolicName").orElseThrow().asString()).isEqualTo("nl.example.adapter");
        assertThat(jar.getValue("version").orElseThrow().asString()).isEqualTo("1.3.0");
        assertThat(jar.getValue("state").orElseThrow().asString()).isEqualTo("ACTIVE");
        assertThat(jar.getValue("file").orElseThrow().asString()).isEqualTo("deploy/nl.example.adapter.jar");

        // the same bundle under another file name would be installed twice
        Files.copy(home.resolve("deploy/nl.example.adapter.jar"), home.resolve("deploy/copied-by-hand.jar"));
        assertThat(problem(upload(jar("nl.example.adapter", "1.4.0"), "application/java-archive"), 409))
                .contains("deploy/copied-by-hand.jar");
        assertThat(send(authed("/adapters/bundles/nl.example.adapter").DELETE()).statusCode()).isEqualTo(204);
        assertThat(send(authed("/adapters/bundles/nl.example.adapter").DELETE()).statusCode()).isEqualTo(204);
        assertThat(home.resolve("deploy/copied-by-hand.jar")).doesNotExist();
        assertThat(problem(send(authed("/adapters/bundles/nl.example.adapter").DELETE()), 404))
                .contains("nl.example.adapter");
        try (Stream<Path> files = Files.list(home.resolve("deploy"))) {
            assertThat(files).isEmpty(); // no upload left behind
        }
    }

    @Test
    void refusesWhatIsNotAnAdapterBundle() throws Exception {
        assertThat(problem(upload("not a zip".getBytes(StandardCharsets.UTF_8), "application/java-archive"), 422))
                .contains("not a jar");
        assertThat(problem(upload(jar(null, "1.0.0"), "application/java-archive"), 422))
                .contains("Bundle-SymbolicName");
        assertThat(problem(upload(jar("../../etc/evil", null), "application/java-archive"), 422))
                .contains("../../etc/evil");
        assertThat(problem(upload(jar("nl.example.x", "one"), "application/java-archive"), 422))
                .contains("Bundle-Version 'one'");
        assertThat(problem(upload(jar("nl.lantaarn.twin", "9.0.0"), "application/java-archive"), 409))
                .contains("part of the hub");
        assertThat(problem(upload(jar("nl.example.x", "1.0.0"), "application/zip"), 415))
                .contains("application/java-archive");
        assertThat(problem(send(authed("/adapters/bundles/bad%20name").DELETE()), 400)).contains("'bad name'");
        try (Stream<Path> files = Files.list(home.resolve("deploy"))) {
            assertThat(files).isEmpty();
        }
    }

    // --- dead letters -----------------------------------------------------------------------------------------------

    private static DeadLetter letter(String source, String reason, int minute, String payload) {
        return letters.record(source, "sim/" + source, reason, payload.getBytes(StandardCharsets.UTF_8),
                T0.plusSeconds(60L * minute));
    }

    private static List<String> ids(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonArray.of(response.body()).stream().map(v -> v.asObject().getValue("id").orElseThrow().asString())
                .toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void filtersDeadLettersAndNamesABadParameter() throws Exception {
        DeadLetter a = letter("ttn.eindhoven", "field 'laeq' is missing", 0, "{}");
        DeadLetter b = letter("ttn.eindhoven", "payload is not JSON", 10, "oops");
        DeadLetter c = letter("sound-events", "Field 'db' is missing", 20, "{}");

        assertThat(ids(send(authed("/dead-letters")))).containsExactly(c.id(), b.id(), a.id());
        assertThat(ids(send(authed("/dead-letters?source=ttn.eindhoven")))).containsExactly(b.id(), a.id());
        assertThat(ids(send(authed("/dead-letters?reason=" + encode("FIELD '"))))).containsExactly(c.id(), a.id());
        assertThat(ids(send(authed("/dead-letters?since=2026-11-23T21:10:00Z")))).containsExactly(c.id(), b.id());
        assertThat(ids(send(authed("/dead-letters?until=" + encode("2026-11-23T22:10:00+01:00")))))
                .containsExactly(a.id());
        assertThat(ids(send(authed("/dead-letters?limit=1")))).containsExactly(c.id());

        assertThat(problem(send(authed("/dead-letters?since=yesterday")), 400)).contains("'since'")
                .contains("ISO-8601");
        assertThat(problem(send(authed("/dead-letters?until=2026-13-01T00:00:00Z")), 400)).contains("'until'");
        assertThat(problem(send(authed("/dead-letters?since=2026-11-23T22:00:00Z&until=2026-11-23T21:00:00Z")), 400))
                .contains("'since'").contains("before 'until'");
        assertThat(problem(send(authed("/dead-letters?limit=0")), 400)).contains("'limit'");
    }

    @Test
    void getsOneDeadLetterWithItsPayloadAsTextAndBase64() throws Exception {
        DeadLetter letter = letters.record("ttn.eindhoven", "v3/app/devices/d1/up", "not JSON",
                new byte[] {'h', 'i', (byte) 0xff}, T0);
        HttpResponse<String> response = send(authed("/dead-letters/" + letter.id()));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = JsonObject.of(response.body());
        assertThat(body.getValue("payloadBase64").orElseThrow().asString())
                .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {'h', 'i', (byte) 0xff}));
        assertThat(body.getValue("payload").orElseThrow().asString()).startsWith("hi");
        assertThat(body.getValue("origin").orElseThrow().asString()).isEqualTo("v3/app/devices/d1/up");
        assertThat(body.getValue("payloadSize").orElseThrow().asInt()).isEqualTo(3);
        assertThat(problem(send(authed("/dead-letters/no-such-id")), 404)).contains("'no-such-id'");
    }

    @Test
    void replaysOneDeadLetter() throws Exception {
        DeadLetter good = letter("ttn.eindhoven", "adapter was broken", 0, "{\"ok\":true}");
        DeadLetter bad = letter("ttn.eindhoven", "field 'laeq' is missing", 1, "{}");
        DeadLetter orphan = letter("ttn.removed", "adapter was broken", 2, "{}");
        admin.replayAnswer = letter -> letter.payloadAsString().contains("ok")
                ? new IngestResult(true, List.of("nl.demo.safety:noise-1"), null, null)
                : new IngestResult(false, List.of(), "still: field 'laeq' is missing", null);

        problem(send(post(request("/dead-letters/" + good.id() + "/replay"))), 401);
        // payloads may hold personal data: reading dead letters needs a key too
        problem(send(request("/dead-letters")), 401);
        problem(send(request("/dead-letters/" + good.id())), 401);
        HttpResponse<String> replayed = send(post(authed("/dead-letters/" + good.id() + "/replay")));
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat((Object) JsonObject.of(replayed.body())).isEqualTo(JsonObject.of("{\"accepted\":true,"
                + "\"thingIds\":[\"nl.demo.safety:noise-1\"],\"reason\":null,\"deadLetterId\":null}"));
        problem(send(authed("/dead-letters/" + good.id())), 404);

        HttpResponse<String> rejected = send(post(authed("/dead-letters/" + bad.id() + "/replay")));
        assertThat(rejected.statusCode()).isEqualTo(200);
        assertThat(JsonObject.of(rejected.body()).getValue("accepted").orElseThrow().asBoolean()).isFalse();
        assertThat(JsonObject.of(send(authed("/dead-letters/" + bad.id())).body()).getValue("reason").orElseThrow()
                .asString()).isEqualTo("still: field 'laeq' is missing");

        assertThat(problem(send(post(authed("/dead-letters/no-such-id/replay"))), 404)).contains("'no-such-id'");
        assertThat(problem(send(post(authed("/dead-letters/" + orphan.id() + "/replay"))), 409))
                .contains("ttn.removed").contains("configuration");
        problem(send(authed("/dead-letters/" + bad.id() + "/replay")), 405);
    }

    @Test
    void replaysEveryMatchingDeadLetterOldestFirst() throws Exception {
        DeadLetter a = letter("ttn.eindhoven", "adapter was broken", 0, "{\"ok\":1}");
        DeadLetter b = letter("ttn.eindhoven", "adapter was broken", 1, "{}");
        DeadLetter c = letter("ttn.eindhoven", "adapter was broken", 2, "{\"ok\":2}");
        DeadLetter other = letter("sound-events", "adapter was broken", 3, "{\"ok\":3}");
        DeadLetter orphan = letter("ttn.removed", "adapter was broken", 4, "{\"ok\":4}");
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        admin.replayAnswer = letter -> {
            order.add(letter.id());
            return letter.payloadAsString().contains("ok")
                    ? new IngestResult(true, List.of("nl.demo.safety:x"), null, null)
                    : new IngestResult(false, List.of(), "field 'laeq' is missing", null);
        };

        problem(send(post(request("/dead-letters/replay?source=ttn.eindhoven"))), 401);
        HttpResponse<String> response = send(post(authed("/dead-letters/replay?source=ttn.eindhoven")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject body = JsonObject.of(response.body());
        assertThat(body.getValue("matched").orElseThrow().asInt()).isEqualTo(3);
        assertThat(body.getValue("replayed").orElseThrow().asInt()).isEqualTo(2);
        assertThat(body.getValue("stillRejected").orElseThrow().asInt()).isEqualTo(1);
        assertThat(body.getValue("failed").orElseThrow().asInt()).isZero();
        assertThat(order).containsExactly(a.id(), b.id(), c.id());
        JsonArray results = body.getValue("results").orElseThrow().asArray();
        assertThat(results.get(1).orElseThrow().asObject().getValue("outcome").orElseThrow().asString())
                .isEqualTo("rejected");
        assertThat(results.get(1).orElseThrow().asObject().getValue("reason").orElseThrow().asString())
                .isEqualTo("field 'laeq' is missing");
        assertThat(ids(send(authed("/dead-letters")))).containsExactly(orphan.id(), other.id(), b.id());

        // every source, bounded by the limit; an instance that is gone counts as failed
        JsonObject all = JsonObject.of(send(post(authed("/dead-letters/replay?limit=2"))).body());
        assertThat(all.getValue("matched").orElseThrow().asInt()).isEqualTo(2);
        assertThat(all.getValue("replayed").orElseThrow().asInt()).isEqualTo(1);
        assertThat(all.getValue("failed").orElseThrow().asInt()).isEqualTo(1);
        assertThat(all.getValue("results").orElseThrow().asArray().get(1).orElseThrow().asObject().getValue("error")
                .orElseThrow().asString()).contains("ttn.removed");
        assertThat(problem(send(post(authed("/dead-letters/replay?since=now"))), 400)).contains("'since'");
    }

    // --- metrics --------------------------------------------------------------------------------------------------

    /** A sample line of the text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? "
                    + "(-?[0-9.eE+-]+|NaN|[+-]Inf)");

    @Test
    void metricsAreInThePrometheusTextFormat() throws Exception {
        letter("ttn.eindhoven", "r", 0, "{}");
        HttpResponse<String> response = send(authed("/metrics"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain")
                .contains("version=0.0.4");
        String text = response.body();
        assertThat(text).contains("lantaarn_adapter_received_total{adapter=\"ttn.eindhoven\",type=\"ttn\"} 12\n")
                .contains("lantaarn_adapter_dead_lettered_total{adapter=\"sound-events\",type=\"sound-events\"} 2\n")
                .contains("lantaarn_adapter_state{adapter=\"ttn.eindhoven\",type=\"ttn\",state=\"RUNNING\"} 1\n")
                .contains("lantaarn_adapter_state{adapter=\"ttn.eindhoven\",type=\"ttn\",state=\"STOPPED\"} 0\n")
                .contains("lantaarn_adapter_inbox_size{adapter=\"ttn.eindhoven\",type=\"ttn\"} 3\n")
                .contains("lantaarn_adapter_mapping_seconds_mean{adapter=\"ttn.eindhoven\",type=\"ttn\"} 1.255E-4\n")
                .contains("lantaarn_adapter_last_received_timestamp_seconds{adapter=\"ttn.eindhoven\",type=\"ttn\"} "
                        + Instant.parse("2026-11-23T21:14:05Z").getEpochSecond() + "\n")
                .contains("lantaarn_adapter_commands_failed_total{adapter=\"ttn.eindhoven\",type=\"ttn\"} 2\n")
                .contains("lantaarn_adapter_commands_retried_total{adapter=\"ttn.eindhoven\",type=\"ttn\"} 3\n")
                .contains("lantaarn_dead_letters 1\n")
                .contains("lantaarn_adapter_runtime_up 1\n")
                .endsWith("\n");
        String family = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                family = line.split(" ")[2];
            } else if (line.startsWith("# TYPE ")) {
                assertThat(line.split(" ")[2]).isEqualTo(family);
                assertThat(line.split(" ")[3]).isIn("counter", "gauge");
            } else {
                assertThat(line).matches(SAMPLE);
                assertThat(line).startsWith(family);
            }
        }
        assertThat(MetricsRoute.label("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }

    @Test
    void unknownPathsListTheResources() throws Exception {
        assertThat(problem(send(authed("/nothing")), 404)).contains("/adapters").contains("/metrics");
    }
}
