package nl.lantaarn.adapters.citizenreports.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.admin.UnknownAdapterException;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The Open311 servlet in a real Jetty on a free port, spoken to over real HTTP, reading from the real twin service on
 * an in-memory store. The adapter runtime is stood in for by {@link InlineRuntime}: it maps on the calling thread and
 * applies the updates to the twin, as the runtime's worker does.
 */
class Open311ServletTest {

    private static final String KEY = "test-key-0123456789";
    private static final String READER_KEY = "reader-key-0123456789";
    /**
     * A client per request: the server closes a connection after refusing a request whose body it did not read,
     * and the JDK client, which retries only idempotent requests, could pick a pooled connection in that moment.
     */
    private static HttpClient client() {
        return HttpClient.newHttpClient();
    }

    @TempDir
    static Path home;

    private static TwinServiceComponent twin;
    private static ReportInstances instances;
    private static InlineRuntime runtime;
    private static Open311Servlet servlet;
    private static Server server;
    private static String base;
    private static CitizenReportsAdapterFactory factory;

    @BeforeAll
    static void start() throws Exception {
        twin = new TwinServiceComponent(new MemoryTwinStore());
        instances = new ReportInstances();
        factory = new CitizenReportsAdapterFactory(home, instances);
        runtime = new InlineRuntime();
        servlet = new Open311Servlet(instances);
        servlet.setTwin(twin);
        servlet.setAdmin(runtime);
        servlet.setAuthenticator((authorization, apiKey) -> KEY.equals(apiKey) || ("Bearer " + KEY).equals(authorization)
                ? Optional.of(new ApiClient("tester", Set.of(Role.WRITER), "citizen reports app"))
                : READER_KEY.equals(apiKey) ? Optional.of(new ApiClient("dashboard", Set.of(Role.READER), "counts"))
                : Optional.empty());
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), Open311Servlet.PATTERN);
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + Open311Servlet.BASE + "/";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        twin.deactivate();
    }

    @BeforeEach
    void eindhoven() throws Exception {
        runtime.add((CitizenReportsAdapter) factory.create(CitizenReportsAdapterTest.configuration("default",
                Map.of())));
        runtime.received.clear();
        runtime.rejectAll = false;
    }

    @AfterEach
    void closeInstances() {
        runtime.closeAll();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String form, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "requests.json"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The GeoReport error of a response: checks the shape, returns the description. */
    private static String error(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonArray errors = JsonArray.of(response.body());
        assertThat(errors.getSize()).isEqualTo(1);
        JsonObject error = errors.get(0).orElseThrow().asObject();
        assertThat(error.getValue("code").orElseThrow().asInt()).isEqualTo(status);
        return error.getValue("description").orElseThrow().asString();
    }

    private static Set<String> keys(JsonObject object) {
        Set<String> keys = new HashSet<>();
        object.getKeys().forEach(key -> keys.add(key.toString()));
        return keys;
    }

    private static String createReport() throws Exception {
        HttpResponse<String> response = post(new String(CitizenReportsAdapterTest.resource(
                "open311/post-service-request.CONSTRUCTED.form")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonArray.of(response.body()).get(0).orElseThrow().asObject().getValue("service_request_id")
                .orElseThrow().asString();
    }

    @Test
    void servicesAreListedWithTheFieldsOfTheSpecification() throws Exception {
        HttpResponse<String> response = get("services.json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("API-Version")).contains(Open311Servlet.API_VERSION);
        JsonArray services = JsonArray.of(response.body());
        JsonObject specExample = JsonArray.of(Files.readString(CitizenReportsAdapterTest.RESOURCES.resolve(
                "open311/georeport-v2-spec-services.json"))).get(0).orElseThrow().asObject();
        assertThat(services.getSize()).isEqualTo(ServiceCatalog.DEFAULTS.services().size());
        JsonObject lamp = services.get(0).orElseThrow().asObject();
        assertThat(keys(lamp)).isEqualTo(keys(specExample));
        assertThat(lamp.getValue("service_code").orElseThrow().asString()).isEqualTo("lantaarnpaal-straatverlichting");
        assertThat(lamp.getValue("group").orElseThrow().asString()).isEqualTo("wegen-verkeer-straatmeubilair");
        assertThat(lamp.getValue("metadata").orElseThrow().asBoolean()).isFalse();
    }

    @Test
    void aNewRequestGetsAnIdAndCanBeReadBackWithoutReporterData() throws Exception {
        HttpResponse<String> created = post(new String(CitizenReportsAdapterTest.resource(
                "open311/post-service-request.CONSTRUCTED.form")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonObject answer = JsonArray.of(created.body()).get(0).orElseThrow().asObject();
        JsonObject specAnswer = JsonArray.of(Files.readString(CitizenReportsAdapterTest.RESOURCES.resolve(
                "open311/georeport-v2-spec-post-service-request-response.json"))).get(0).orElseThrow().asObject();
        assertThat(keys(answer)).isEqualTo(keys(specAnswer));
        String id = answer.getValue("service_request_id").orElseThrow().asString();
        assertThat(id).matches("[0-9a-z]{12}");
        assertThat(twin.retrieve(ThingId.of("nl.eindhoven.citizen:report-" + id))).isPresent();

        HttpResponse<String> read = get("requests/" + id + ".json");

        assertThat(read.statusCode()).isEqualTo(200);
        JsonObject request = JsonArray.of(read.body()).get(0).orElseThrow().asObject();
        JsonObject specRequest = JsonArray.of(Files.readString(CitizenReportsAdapterTest.RESOURCES.resolve(
                "open311/georeport-v2-spec-service-requests.json"))).get(0).orElseThrow().asObject();
        assertThat(keys(request)).isEqualTo(keys(specRequest));
        assertThat(request.getValue("service_request_id").orElseThrow().asString()).isEqualTo(id);
        assertThat(request.getValue("status").orElseThrow().asString()).isEqualTo("open");
        assertThat(request.getValue("status_notes").orElseThrow().isNull()).isTrue();
        assertThat(request.getValue("service_code").orElseThrow().asString())
                .isEqualTo("lantaarnpaal-straatverlichting");
        assertThat(request.getValue("service_name").orElseThrow().asString())
                .isEqualTo("Lantaarnpaal of straatverlichting");
        assertThat(request.getValue("lat").orElseThrow().asDouble()).isEqualTo(51.441642);
        assertThat(request.getValue("long").orElseThrow().asDouble()).isEqualTo(5.469722);
        assertThat(request.getValue("address").orElseThrow().asString())
                .isEqualTo("Stratumseind 32, 5611 ET Eindhoven");
        assertThat(read.body().toLowerCase()).doesNotContain("jansen").doesNotContain("@")
                .doesNotContain("12345678").doesNotContain("reporter");
    }

    @Test
    void anOperatorsStatusChangeIsWhatTheReporterSees() throws Exception {
        String id = createReport();
        ThingId thing = ThingId.of("nl.eindhoven.citizen:report-" + id);

        // what PATCH /api/v1/things/{id}/features/report/properties does, through the same twin service
        twin.merge(thing, JsonPointer.of("/features/report/properties"), JsonObject.of(
                "{\"status\":\"in_progress\",\"statusNotes\":\"Monteur is ingepland voor donderdag.\"}"),
                WriteCondition.any());
        JsonObject inProgress = JsonArray.of(get("requests/" + id + ".json").body()).get(0).orElseThrow().asObject();
        twin.merge(thing, JsonPointer.of("/features/report/properties"), JsonObject.of(
                "{\"status\":\"closed\",\"statusNotes\":\"Lamp vervangen.\"}"), WriteCondition.any());
        JsonObject closed = JsonArray.of(get("requests/" + id + ".json").body()).get(0).orElseThrow().asObject();

        assertThat(inProgress.getValue("status").orElseThrow().asString()).isEqualTo("open");
        assertThat(inProgress.getValue("status_notes").orElseThrow().asString())
                .isEqualTo("Monteur is ingepland voor donderdag.");
        assertThat(closed.getValue("status").orElseThrow().asString()).isEqualTo("closed");
        assertThat(closed.getValue("status_notes").orElseThrow().asString()).isEqualTo("Lamp vervangen.");
        assertThat(closed.getValue("updated_datetime").orElseThrow().asString())
                .isGreaterThanOrEqualTo(closed.getValue("requested_datetime").orElseThrow().asString());
    }

    @Test
    void requestsCanBeReadByIdInOneCall() throws Exception {
        String first = createReport();
        String second = createReport();

        HttpResponse<String> response = get("requests.json?service_request_id=" + first + ",unknown-id," + second);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray found = JsonArray.of(response.body());
        assertThat(found.stream().map(v -> v.asObject().getValue("service_request_id").orElseThrow().asString()))
                .containsExactly(first, second);
        assertThat(error(get("requests.json"), 400)).startsWith("service_request_id: give the ids");
    }

    @Test
    void theApiKeyIsRequiredAndComesFromTheFormOrAHeader() throws Exception {
        String form = "service_code=boom&lat=51.44&long=5.47";

        HttpResponse<String> none = post(form);
        assertThat(error(none, 401)).startsWith("api_key: an API key is required");
        assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        assertThat(error(post(form + "&api_key=guess"), 403)).startsWith("api_key: the API key is not valid");
        assertThat(error(post(form, "X-API-Key", "guess"), 403)).contains("not valid");
        // a reader may read reports but not submit one
        assertThat(error(post(form, "X-API-Key", READER_KEY), 403)).contains("needs role writer")
                .contains("'dashboard' has role reader");
        assertThat(post(form + "&api_key=" + KEY).statusCode()).isEqualTo(200);
        assertThat(post(form, "X-API-Key", KEY).statusCode()).isEqualTo(200);
        assertThat(post(form, "Authorization", "Bearer " + KEY).statusCode()).isEqualTo(200);
        assertThat(runtime.received).hasSize(3);
    }

    @Test
    void badRequestsAreAnsweredAtOnceNamingTheFieldAndNeverReachTheHub() throws Exception {
        String key = "&api_key=" + KEY;

        assertThat(error(post("lat=51.44&long=5.47" + key), 400)).startsWith("service_code: is missing");
        assertThat(error(post("service_code=potholes&lat=51.44&long=5.47" + key), 400))
                .startsWith("service_code: 'potholes' is not one of this hub's services");
        assertThat(error(post("service_code=boom&lat=151.44&long=5.47" + key), 400)).startsWith("lat: must be between");
        assertThat(error(post("service_code=boom&lat=51.44&long=5.47&email=nope" + key), 400))
                .startsWith("email: is not an e-mail address");
        assertThat(runtime.received).isEmpty();
    }

    @Test
    void onlyNamesAndTheApiKeyAreLeftOutOfWhatTheHubKeeps() throws Exception {
        createReport();

        InboundMessage message = runtime.received.get(0);
        assertThat(message.attribute(InboundMessage.HTTP_PATH)).isEqualTo("/requests.json");
        assertThat(message.origin()).contains("tester");
        assertThat(message.payloadAsString()).contains("service_code=lantaarnpaal-straatverlichting")
                .doesNotContain("api_key").doesNotContain(KEY).doesNotContain("first_name")
                .doesNotContain("last_name").doesNotContain("Jan&");
    }

    @Test
    void aRejectionByTheHubIsA422WithTheReason() throws Exception {
        runtime.rejectAll = true;

        String description = error(post("service_code=boom&lat=51.44&long=5.47&api_key=" + KEY), 422);

        assertThat(description).isEqualTo("the report was not accepted: adapter instance citizen-reports is stopped "
                + "(kept as dead letter dl-1)");
    }

    @Test
    void xmlIsRefusedWithAPointerToJson() throws Exception {
        assertThat(error(get("services.xml"), 400)).isEqualTo("format: this endpoint speaks JSON only; use "
                + "/ingest/open311/services.json");
        assertThat(error(get("requests/abc.xml"), 400)).contains("/ingest/open311/requests/abc.json");
    }

    @Test
    void unknownThingsAndPlacesAreNamed() throws Exception {
        assertThat(error(get("requests/0000000000zz.json"), 404)).isEqualTo("service_request_id: there is no "
                + "service request '0000000000zz'");
        assertThat(error(get("requests/Not%20An%20Id.json"), 400)).startsWith("service_request_id: 'Not An Id' is "
                + "not a service request id");
        assertThat(error(get("discovery.json"), 404)).contains("GET services.json, POST requests.json");
        assertThat(error(get("services/boom.json"), 404)).contains("has no service definition");
        HttpResponse<String> put = client().send(HttpRequest.newBuilder(URI.create(base + "services.json"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(error(put, 405)).isEqualTo("method not allowed here; use GET");
        assertThat(put.headers().firstValue("Allow")).contains("GET, HEAD");
    }

    @Test
    void formsOnlyAndNotTooLarge() throws Exception {
        HttpResponse<String> json = client().send(HttpRequest.newBuilder(URI.create(base + "requests.json"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(error(json, 415)).startsWith("Content-Type must be application/x-www-form-urlencoded");
        HttpResponse<String> multipart = client().send(HttpRequest.newBuilder(URI.create(base + "requests.json"))
                .header("Content-Type", "multipart/form-data; boundary=x").POST(HttpRequest.BodyPublishers
                        .ofString("--x--")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(error(multipart, 415)).contains("give its media_url");
        assertThat(error(post("service_code=boom&description=" + "x".repeat(Open311Servlet.MAX_BODY_BYTES)), 413))
                .contains("at most " + Open311Servlet.MAX_BODY_BYTES);
    }

    @Test
    void severalJurisdictionsAreAddressedByJurisdictionId() throws Exception {
        runtime.add((CitizenReportsAdapter) factory.create(CitizenReportsAdapterTest.configuration("helmond",
                Map.of("municipality", "helmond", "jurisdictionId", "helmond.nl", "serviceNotice",
                        "Volg uw melding met nummer {service_request_id}."))));

        assertThat(error(get("services.json"), 400)).isEqualTo("jurisdiction_id: is required, as this hub serves "
                + "several jurisdictions: eindhoven, helmond.nl");
        assertThat(error(get("services.json?jurisdiction_id=utrecht"), 404)).startsWith("jurisdiction_id: 'utrecht' "
                + "is not served here");
        assertThat(get("services.json?jurisdiction_id=helmond.nl").statusCode()).isEqualTo(200);
        HttpResponse<String> created = post("jurisdiction_id=helmond.nl&service_code=boom&lat=51.48&long=5.66"
                + "&api_key=" + KEY);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonObject answer = JsonArray.of(created.body()).get(0).orElseThrow().asObject();
        String id = answer.getValue("service_request_id").orElseThrow().asString();
        assertThat(answer.getValue("service_notice").orElseThrow().asString())
                .isEqualTo("Volg uw melding met nummer " + id + ".");
        assertThat(twin.retrieve(ThingId.of("nl.helmond.citizen:report-" + id))).isPresent();
        assertThat(get("requests/" + id + ".json?jurisdiction_id=helmond.nl").statusCode()).isEqualTo(200);
        assertThat(get("requests/" + id + ".json?jurisdiction_id=eindhoven").statusCode()).isEqualTo(404);
    }

    @Test
    void missingHubServicesAreA503() throws Exception {
        servlet.unsetAdmin(runtime);
        try {
            HttpResponse<String> response = post("service_code=boom&lat=51.44&long=5.47&api_key=" + KEY);
            assertThat(error(response, 503)).startsWith("the hub's adapter runtime is not running");
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        } finally {
            servlet.setAdmin(runtime);
        }
        TwinService broken = (TwinService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TwinService.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("store unreadable");
                });
        servlet.setTwin(broken);
        try {
            assertThat(error(get("requests/0000000000zz.json"), 503)).isEqualTo("the hub could not answer "
                    + "(IllegalStateException); try again later");
        } finally {
            servlet.unsetTwin(broken);
            servlet.setTwin(twin);
        }
        runtime.closeAll();
        assertThat(error(get("services.json"), 503)).startsWith("no citizen-reports adapter instance is running");
    }

    /**
     * Stands in for the adapter runtime: maps on the calling thread and applies the updates to the twin; a
     * rejection is kept as a "dead letter" with its reason.
     */
    private static final class InlineRuntime implements AdapterAdmin {
        final List<InboundMessage> received = Collections.synchronizedList(new ArrayList<>());
        final Map<String, CitizenReportsAdapter> adapters = new ConcurrentHashMap<>();
        volatile boolean rejectAll;

        void add(CitizenReportsAdapter adapter) {
            adapters.put(adapter.config().instanceId(), adapter);
        }

        void closeAll() {
            adapters.values().forEach(CitizenReportsAdapter::close);
            adapters.clear();
        }

        @Override
        public CompletionStage<IngestResult> ingest(String id, InboundMessage message) {
            CitizenReportsAdapter adapter = adapters.get(id);
            if (adapter == null) {
                throw new UnknownAdapterException(id);
            }
            received.add(message);
            if (rejectAll) {
                return CompletableFuture.completedFuture(new IngestResult(false, List.of(),
                        "adapter instance " + id + " is stopped", "dl-1"));
            }
            try {
                List<String> things = new ArrayList<>();
                for (ThingUpdate update : adapter.map(message)) {
                    twin.apply(update);
                    things.add(update.thingId().toString());
                }
                return CompletableFuture.completedFuture(new IngestResult(true, things, null, null));
            } catch (PayloadRejectedException e) {
                return CompletableFuture.completedFuture(new IngestResult(false, List.of(), e.getMessage(), "dl-2"));
            }
        }

        @Override
        public List<AdapterStatus> list() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<AdapterStatus> status(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<nl.lantaarn.adapter.admin.CommandCounters> commands(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stop(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void start(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<IngestResult> replay(String deadLetterId) {
            throw new UnsupportedOperationException();
        }
    }
}
