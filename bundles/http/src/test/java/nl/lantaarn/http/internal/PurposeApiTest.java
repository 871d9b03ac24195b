package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.DispatcherType;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * Purpose binding over real HTTP: a citizen report (personal data of an adapter whose manifest allows only purpose
 * citizen-reports) is served whole to a client with that purpose; a client with another purpose, or with a free-text
 * purpose from before purpose ids, gets the report without its personal parts, a 403 problem naming both purposes for
 * an explicit read of one (audited as purpose-refused), and no personal data on the event stream.
 */
class PurposeApiTest {

    private static final String CITIZEN_KEY = "meldingen-key-1";
    private static final String CROWD_KEY = "wijkapp-key-1";
    private static final String LEGACY_KEY = "legacy-key-1";
    private static final String REPORT = "nl.eindhoven.citizen:report-01";
    private static final String NOISE = "nl.eindhoven.safety:noise-7";

    static final PrivacyManifest REPORTS_MANIFEST = PrivacyManifest.builder()
            .dataCategories("citizen-report", "reporter-pseudonym").personalData(true)
            .purpose("Handle residents' reports").purposes("citizen-reports")
            .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK).retention(Duration.ofDays(365))
            .fields("/attributes/adapter", "/attributes/reporter", "/attributes/location", "/features/report")
            .build();

    static final PrivacyManifest NOISE_MANIFEST = PrivacyManifest.builder()
            .dataCategories("sound-level").personalData(false).purpose("Noise levels")
            .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK).retention(Duration.ofDays(30))
            .fields("/attributes/adapter", "/features/noise").build();

    /** An adapter factory that only declares its type, as an adapter bundle registers one. */
    static AdapterFactory factory(String id, String domain, PrivacyManifest manifest) {
        AdapterType type = AdapterType.builder(id).vendor("test").domains(domain).description("test adapter")
                .privacy(manifest).build();
        return new AdapterFactory() {
            @Override
            public AdapterType type() {
                return type;
            }

            @Override
            public SensorAdapter create(AdapterConfiguration configuration) {
                throw new UnsupportedOperationException("not in this test");
            }
        };
    }

    static final List<AuditEntry> AUDITED = new CopyOnWriteArrayList<>();

    @TempDir
    static Path home;
    private static FileDeadLetterService letters;
    private static TwinServiceComponent twin;
    private static ThingPolicies policies;
    private static EventFeed feed;
    private static EventStreamServlet events;
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        Path folder = Files.createDirectories(home.resolve("policies"));
        Files.copy(Path.of("../../policies/default.json"), folder.resolve("default.json"));
        PurposeGuard guard = new PurposeGuard();
        guard.addFactory(factory("citizen-reports", "citizen", REPORTS_MANIFEST));
        guard.addFactory(factory("demo-noise", "safety", NOISE_MANIFEST));
        guard.setAudit(AUDITED::add);
        policies = new ThingPolicies(folder, 0, guard);
        twin = new TwinServiceComponent(new MemoryTwinStore());
        feed = new EventFeed(100);
        Method addListener = TwinServiceComponent.class.getDeclaredMethod("addListener", TwinEventListener.class);
        addListener.setAccessible(true);
        addListener.invoke(twin, feed);
        put(REPORT, report("open"));
        put(NOISE, noise(64.0));
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 100);
        ApiKeyAuthenticator authenticator = TestClients.authenticator(
                client("meldingen", CITIZEN_KEY, "citizen-reports"),
                client("wijkapp", CROWD_KEY, "crowd-management"),
                client("legacy", LEGACY_KEY, "Crowd levels for the neighbourhood app"));
        events = new EventStreamServlet(feed, authenticator, policies, null, 100, 15, 4, 10);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        FilterHolder headers = new FilterHolder(new ApiHeadersFilter());
        headers.setAsyncSupported(true);
        context.addFilter(headers, "/api/v1/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder stream = new ServletHolder(events);
        stream.setAsyncSupported(true);
        context.addServlet(stream, "/api/v1/events");
        context.addServlet(new ServletHolder(new ApiServlet(twin, letters, authenticator, policies,
                new AdapterFiles(home, symbolicName -> List.of()))), "/api/v1/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/api/v1";
    }

    private static ClientFile client(String name, String key, String purpose) {
        return new ClientFile(name, new String[] {"reader"}, purpose,
                "sha256:" + java.util.HexFormat.of().formatHex(ApiKeys.sha256(key)), "test client " + name);
    }

    static JsonObject report(String status) {
        return JsonObject.of("{\"thingId\":\"" + REPORT + "\",\"policyId\":\"" + REPORT + "\",\"attributes\":{"
                + "\"adapter\":\"citizen-reports\",\"reporter\":\"5f2c0d9e8a7b6c5d4e3f2a1b0c9d8e7f\","
                + "\"category\":\"zwerfafval\",\"location\":{\"type\":\"Point\",\"coordinates\":[5.47,51.44]}},"
                + "\"features\":{\"report\":{\"properties\":{\"status\":\"" + status + "\","
                + "\"description\":\"Vuilniszakken naast de container\"}}}}");
    }

    static JsonObject noise(double laeq) {
        return JsonObject.of("{\"thingId\":\"" + NOISE + "\",\"policyId\":\"" + NOISE + "\",\"attributes\":{"
                + "\"adapter\":\"demo-noise\"},\"features\":{\"noise\":{\"properties\":{\"laeq\":" + laeq + "}}}}");
    }

    private static void put(String id, JsonObject thing) {
        twin.modify(ThingId.of(id), JsonPointer.empty(), thing, WriteCondition.any());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        events.deactivate();
        twin.deactivate();
        letters.close();
        policies.close();
    }

    @BeforeEach
    void clearAudit() {
        AUDITED.clear();
    }

    private static HttpResponse<String> get(String path, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientWithAnAllowedPurposeReadsThePersonalData() throws Exception {
        HttpResponse<String> whole = get("/things/" + REPORT, CITIZEN_KEY);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(JsonObject.of(whole.body())).isEqualTo(twin.retrieve(ThingId.of(REPORT)).orElseThrow().toJson());
        assertThat(get("/things/" + REPORT + "/attributes/reporter", CITIZEN_KEY).body())
                .isEqualTo("\"5f2c0d9e8a7b6c5d4e3f2a1b0c9d8e7f\"");
        assertThat(policies.readsEverything(TestClientsView.of("meldingen", "citizen-reports"))).isTrue();
        assertThat(AUDITED).isEmpty();
    }

    @Test
    void anotherPurposeGetsTheThingWithoutItsPersonalParts() throws Exception {
        HttpResponse<String> whole = get("/things/" + REPORT, CROWD_KEY);
        assertThat(whole.statusCode()).isEqualTo(200);
        JsonObject seen = JsonObject.of(whole.body());
        assertThat(seen.getValue("thingId")).contains(JsonValue.of(REPORT));
        assertThat(seen.getValue("attributes/category")).contains(JsonValue.of("zwerfafval"));
        assertThat(whole.body()).doesNotContain("reporter", "5f2c0d9e", "Vuilniszakken", "5.47", "\"report\"");

        JsonArray list = JsonArray.of(get("/things", CROWD_KEY).body());
        assertThat(list.getSize()).isEqualTo(2);
        assertThat(list.toString()).doesNotContain("5f2c0d9e", "Vuilniszakken").contains("\"laeq\"");
        // a field selection cannot bring a personal part back
        assertThat(get("/things/" + REPORT + "?fields=thingId,attributes/reporter", CROWD_KEY).body())
                .doesNotContain("5f2c0d9e");
        // the special fields a selection asks for stay, in a thing and in the list
        assertThat(JsonObject.of(get("/things/" + NOISE + "?fields=thingId,_revision,_modified", CROWD_KEY).body())
                .getKeys()).extracting(Object::toString).containsExactlyInAnyOrder("thingId", "_revision", "_modified");
        assertThat(get("/things?fields=thingId,_revision", CROWD_KEY).body()).contains("\"_revision\"");
        // a part that is not personal is served
        assertThat(get("/things/" + REPORT + "/attributes/category", CROWD_KEY).statusCode()).isEqualTo(200);
        // omissions are not refusals: nothing audited
        assertThat(AUDITED).isEmpty();
    }

    @Test
    void anExplicitReadOfAPersonalPartIsA403NamingThePurposesAndIsAudited() throws Exception {
        HttpResponse<String> refused = get("/things/" + REPORT + "/attributes/reporter", CROWD_KEY);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.headers().firstValue("API-Version")).hasValue(ApiServlet.API_VERSION);
        JsonObject problem = JsonObject.of(refused.body());
        assertThat(problem.getValue("status")).contains(JsonValue.of(403));
        assertThat(problem.getValue("clientPurpose")).contains(JsonValue.of("crowd-management"));
        assertThat(problem.getValue("allowedPurposes")).contains(JsonArray.of("[\"citizen-reports\"]"));
        assertThat(problem.getValue("detail").orElseThrow().asString())
                .contains("/attributes/reporter", REPORT, "citizen-reports", "'crowd-management'", "wijkapp")
                .doesNotContain("5f2c0d9e");

        assertThat(AUDITED).singleElement().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo(AuditKind.PURPOSE_REFUSED);
            assertThat(entry.actor()).isEqualTo("wijkapp");
            assertThat(entry.purpose()).isEqualTo("crowd-management");
            assertThat(entry.thingId()).isEqualTo(REPORT);
            assertThat(entry.resource()).isEqualTo("/api/v1/things/" + REPORT + "/attributes/reporter");
            assertThat(entry.outcome()).isEqualTo("refused");
            assertThat(entry.detail()).contains("citizen-reports").doesNotContain("5f2c0d9e");
        });

        // a part that holds personal parts, and one inside a personal part, are refused alike
        assertThat(get("/things/" + REPORT + "/attributes", CROWD_KEY).statusCode()).isEqualTo(403);
        assertThat(get("/things/" + REPORT + "/features/report/properties/status", CROWD_KEY).statusCode())
                .isEqualTo(403);
        assertThat(AUDITED).hasSize(3);
    }

    @Test
    void aFreeTextPurposeFromBeforePurposeIdsGetsNoPersonalData() throws Exception {
        HttpResponse<String> refused = get("/things/" + REPORT + "/features/report", LEGACY_KEY);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JsonObject.of(refused.body()).getValue("detail").orElseThrow().asString())
                .contains("purpose 'Crowd levels for the neighbourhood app'", "citizen-reports", "--purpose <id>");
        assertThat(get("/things/" + REPORT, LEGACY_KEY).body()).doesNotContain("5f2c0d9e");
        // data that is not personal serves every purpose
        assertThat(get("/things/" + NOISE + "/features/noise/properties/laeq", LEGACY_KEY).statusCode())
                .isEqualTo(200);
    }

    @Test
    void theEventStreamLeavesPersonalDataOutForAnotherPurpose() throws Exception {
        try (Lines crowd = open(CROWD_KEY); Lines citizen = open(CITIZEN_KEY)) {
            put(REPORT, report("in_progress"));
            twin.merge(ThingId.of(REPORT), JsonPointer.of("/features/report/properties/status"),
                    JsonValue.of("closed"), WriteCondition.any());
            put(NOISE, noise(71.5));

            List<String> seenByCrowd = crowd.until("71.5");
            List<String> seenByCitizen = citizen.until("71.5");
            String crowdText = String.join("\n", seenByCrowd);
            // the replaced report arrives cut to its parts that are not personal; the status change not at all
            assertThat(crowdText).contains(REPORT, "zwerfafval").doesNotContain("5f2c0d9e", "Vuilniszakken",
                    "in_progress", "\"path\":\"/features/report/properties/status\"");
            assertThat(String.join("\n", seenByCitizen)).contains("5f2c0d9e", "in_progress",
                    "\"path\":\"/features/report/properties/status\"");
        }
    }

    /** The lines of one open event stream. */
    private static final class Lines implements AutoCloseable {
        private final InputStream body;
        private final BufferedReader reader;

        Lines(InputStream body) {
            this.body = body;
            this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        /** The lines up to and including the first that contains {@code text}. */
        List<String> until(String text) throws Exception {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (line.contains(text)) {
                    return lines;
                }
            }
            throw new AssertionError("stream ended before '" + text + "': " + lines);
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    private static Lines open(String key) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/events")).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        Lines lines = new Lines(response.body());
        lines.until(": connected");
        return lines;
    }

    /** Clients as the authenticator makes them. */
    static final class TestClientsView {
        static nl.lantaarn.security.api.ApiClient of(String name, String purpose) {
            return new nl.lantaarn.security.api.ApiClient(name, EnumSet.of(nl.lantaarn.security.api.Role.READER),
                    purpose);
        }
    }
}
