package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The access policies through the real API over HTTP: one partner's policy hides a property (absent, not masked) and
 * another partner sees it; a domain it may not read is invisible (404, not in lists); a write without a grant is 403.
 */
class PolicyApiTest {

    private static final String POLICE_KEY = "police-key-1";
    private static final String WIJKAPP_KEY = "wijkapp-key-1";
    private static final String VENDOR_KEY = "vendor-key-1";

    @TempDir
    static Path home;
    private static FileDeadLetterService letters;
    private static TwinServiceComponent twin;
    private static ThingPolicies policies;
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        Path folder = Files.createDirectories(home.resolve("policies"));
        Files.copy(Path.of("../../policies/default.json"), folder.resolve("default.json"));
        Files.writeString(folder.resolve("partners.json"), ThingPoliciesTest.PARTNERS);
        policies = new ThingPolicies(folder, 0);
        twin = new TwinServiceComponent(new MemoryTwinStore());
        for (JsonObject thing : List.of(ThingPoliciesTest.NOISE, ThingPoliciesTest.LAMP)) {
            twin.modify(ThingId.of(thing.getValue("thingId").orElseThrow().asString()), JsonPointer.empty(), thing,
                    WriteCondition.any());
        }
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 100);
        ApiKeyAuthenticator authenticator = TestClients.authenticator(
                TestClients.client("police", "reader", POLICE_KEY),
                TestClients.client("wijkapp", "reader", WIJKAPP_KEY),
                TestClients.client("lighting-vendor", "writer", VENDOR_KEY));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new ApiServlet(twin, letters, authenticator, policies,
                new AdapterFiles(home, symbolicName -> List.of()))), "/api/v1/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/api/v1";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        twin.deactivate();
        letters.close();
        policies.close();
    }

    private static HttpResponse<String> get(String path, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String type, String body, String key)
            throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPropertyHiddenFromOnePartnerIsAbsentForItAndVisibleToAnother() throws Exception {
        String thing = "/things/nl.eindhoven.safety:noise-7";
        JsonObject police = JsonObject.of(get(thing, POLICE_KEY).body());
        assertThat(police.getValue("features/noise/properties/laeq")).isPresent();

        HttpResponse<String> wijkapp = get(thing, WIJKAPP_KEY);
        assertThat(wijkapp.statusCode()).isEqualTo(200);
        JsonObject seen = JsonObject.of(wijkapp.body());
        assertThat(seen.getValue("features/noise/properties/laeq")).isEmpty();
        assertThat(seen.getValue("features/noise/properties/lamax")).isPresent();
        assertThat(wijkapp.body()).doesNotContain("laeq");

        assertThat(get(thing + "/features/noise/properties/laeq", WIJKAPP_KEY).statusCode()).isEqualTo(404);
        assertThat(get(thing + "/features/noise/properties/laeq", POLICE_KEY).body()).isEqualTo("71.5");
        assertThat(JsonObject.of(get(thing + "?fields=thingId,features/noise/properties", WIJKAPP_KEY).body())
                .getValue("features/noise/properties").orElseThrow().asObject().getKeys())
                .extracting(Object::toString).containsExactly("lamax");
    }

    @Test
    void aThingOutsideThePartnersDomainIsAbsentFromListsAndAnsweredAsNotFound() throws Exception {
        HttpResponse<String> list = get("/things", WIJKAPP_KEY);
        JsonArray things = JsonArray.of(list.body());
        assertThat(things.getSize()).isEqualTo(1);
        assertThat(list.headers().firstValue("X-Total-Count")).contains("1");
        assertThat(list.body()).doesNotContain("lamp-1", "laeq");
        assertThat(JsonArray.of(get("/things", POLICE_KEY).body()).getSize()).isEqualTo(2);

        HttpResponse<String> lamp = get("/things/nl.eindhoven.lighting:lamp-1", WIJKAPP_KEY);
        assertThat(lamp.statusCode()).isEqualTo(404);
        assertThat(lamp.body()).contains("No thing with id");
    }

    @Test
    void aWriteWithoutAGrantIsA403NamingTheResourceAndTheGrantedOneGoesThrough() throws Exception {
        HttpResponse<String> refused = send("PUT", "/things/nl.eindhoven.safety:noise-7/attributes/name",
                "application/json", "\"renamed\"", VENDOR_KEY);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JsonObject.of(refused.body()).getValue("detail").orElseThrow().asString())
                .contains("no WRITE on thing:/attributes/name", "lighting-vendor", "policies");

        HttpResponse<String> merged = send("PATCH", "/things/nl.eindhoven.lighting:lamp-1",
                "application/merge-patch+json", "{\"features\":{\"lamp\":{\"properties\":{\"dimLevel\":80}}}}",
                VENDOR_KEY);
        assertThat(merged.statusCode()).isEqualTo(204);
        assertThat(get("/things/nl.eindhoven.lighting:lamp-1/features/lamp/properties/dimLevel", POLICE_KEY).body())
                .isEqualTo("80");
        // a merge that touches the refused domain is refused whole
        HttpResponse<String> mixed = send("PATCH", "/things/nl.eindhoven.safety:noise-7",
                "application/merge-patch+json", "{\"attributes\":{\"name\":\"x\"}}", VENDOR_KEY);
        assertThat(mixed.statusCode()).isEqualTo(403);
        assertThat(get("/things/nl.eindhoven.safety:noise-7/attributes/name", POLICE_KEY).body())
                .isEqualTo("\"Stratumseind 7\"");
    }
}
