package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.personaldata.api.DataSubject;
import nl.lantaarn.personaldata.api.PersonalDataRights;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/** The privacy endpoints over real HTTP: roles, bad input as problems, and what reaches the rights service. */
class PrivacyApiTest {

    private static final String ADMIN = "admin-key-0123456789";
    private static final String OPERATOR = "operator-key-0123456789";

    @TempDir
    static Path home;
    private static FileDeadLetterService letters;
    private static TwinServiceComponent twin;
    private static Server server;
    private static String base;
    private static ApiServlet servlet;
    /** What the rights service was asked, as "erase|export <subject> by <actor>". */
    private static final List<String> asked = new ArrayList<>();

    /** A rights service that records what it is asked and answers as one with two stores would. */
    private static final PersonalDataRights RIGHTS = new PersonalDataRights() {
        @Override
        public List<StoreResult> expire(Instant now) {
            return List.of();
        }

        @Override
        public List<StoreResult> erase(DataSubject subject, String actor) {
            asked.add("erase " + subject + " by " + actor);
            return List.of(new StoreResult("twin", 1, null), new StoreResult("history", 4, null));
        }

        @Override
        public Map<String, List<String>> export(DataSubject subject, String actor) {
            asked.add("export " + subject + " by " + actor);
            return Map.of("twin", List.of("{\"thingId\":\"" + subject.value() + "\"}"));
        }

        @Override
        public List<String> stores() {
            return List.of("twin", "history");
        }
    };

    @BeforeAll
    static void start() throws Exception {
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 1000);
        twin = new TwinServiceComponent(new MemoryTwinStore());
        ApiKeys keys = ApiKeys.parse(new String[] {
            "privacy-officer:sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(ADMIN))})
                .plus(List.of(new ApiKeys.Entry(ApiKeys.sha256(OPERATOR),
                        new ApiClient("ops", Set.of(Role.OPERATOR), "City IT: operating the hub"))));
        servlet = new ApiServlet(twin, letters, new ApiKeyAuthenticator(keys),
                new AdapterFiles(home, symbolicName -> List.of()));
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

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> erase(String key, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/privacy/erasures")).header("X-API-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> export(String key, String query) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/privacy/exports" + query)).header("X-API-Key", key)
                .GET().build());
    }

    private static String problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        return JsonObject.of(response.body()).getValue("detail").orElseThrow().asString();
    }

    @Test
    void erasureAndExportNeedAnAdminAndTheService() throws Exception {
        servlet.unsetPersonalDataRights(RIGHTS);
        assertThat(problem(erase(OPERATOR, "{\"thingId\":\"nl.x.safety:s-0042\"}"), 403)).contains("admin");
        assertThat(problem(export(ADMIN, "?thingId=nl.x.safety:s-0042"), 503)).contains("nl.lantaarn.privacy.data");
        assertThat(asked).isEmpty();
    }

    @Test
    void anErasureAndAnExportReachTheServiceWithTheClientAsActor() throws Exception {
        servlet.setPersonalDataRights(RIGHTS);
        asked.clear();

        HttpResponse<String> erased = erase(ADMIN, "{\"pseudonym\":\"ps-7f3a9c21\"}");
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        assertThat(JsonObject.of(erased.body())).isEqualTo(JsonObject.of("{\"pseudonym\":\"ps-7f3a9c21\","
                + "\"complete\":true,\"stores\":[{\"store\":\"twin\",\"removed\":1},{\"store\":\"history\","
                + "\"removed\":4}]}"));
        HttpResponse<String> exported = export(ADMIN, "?thingId=nl.x.safety:s-0042");
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(JsonObject.of(exported.body())).isEqualTo(JsonObject.of("{\"thingId\":\"nl.x.safety:s-0042\","
                + "\"stores\":{\"twin\":[{\"thingId\":\"nl.x.safety:s-0042\"}]}}"));
        assertThat(asked).containsExactly("erase pseudonym ps-7f3a9c21 by privacy-officer",
                "export thing nl.x.safety:s-0042 by privacy-officer");
    }

    @Test
    void badInputIsAProblemNamingWhatToFix() throws Exception {
        servlet.setPersonalDataRights(RIGHTS);
        asked.clear();
        assertThat(problem(erase(ADMIN, "not json"), 400)).contains("JSON object");
        assertThat(problem(erase(ADMIN, "{}"), 400)).contains("exactly one of thingId and pseudonym");
        assertThat(problem(erase(ADMIN, "{\"thingId\":\"a:b\",\"pseudonym\":\"xyzw\"}"), 400))
                .contains("exactly one");
        assertThat(problem(erase(ADMIN, "{\"email\":\"a@b.nl\"}"), 400)).contains("Unknown field 'email'");
        assertThat(problem(erase(ADMIN, "{\"pseudonym\":\"ab\"}"), 400)).contains("shorter than 4");
        assertThat(problem(erase(ADMIN, "{\"thingId\":\"no-namespace\"}"), 400)).contains("<namespace>:<name>");
        assertThat(problem(export(ADMIN, ""), 400)).contains("exactly one");
        assertThat(problem(send(HttpRequest.newBuilder(URI.create(base + "/privacy/erasures"))
                .header("X-API-Key", ADMIN).GET().build()), 405)).contains("POST");
        assertThat(asked).isEmpty();
    }
}
