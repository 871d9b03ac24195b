package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * The hub held to its contract: the distribution's hub runs as a process (outside any framework, like
 * {@link LauncherScenarioIT}, because the validator and its parser are not OSGi bundles), and every exchange below,
 * request and answer, is validated against {@code api/openapi.yaml} with the Atlassian OpenAPI validator. An answer
 * that drifts from the contract (a member, status, header or content type the contract does not describe) fails it.
 * Requests made wrong on purpose (for a 400 or 401) have only their answer validated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiContractIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String API = "/api/v1";
    private static final String THING = "nl.test.contract:lamp-1";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String key = "contract-" + UUID.randomUUID();
    private final String readerKey = "reader-" + UUID.randomUUID();
    private final List<String> violations = new ArrayList<>();
    private OpenApiInteractionValidator validator;
    private LauncherProcess.Runs runs;
    private int httpPort;

    /** One request and its answer. */
    private record Exchange(String method, String path, String requestBody, String requestContentType,
            Map<String, String> requestHeaders, int status, String contentType, String body,
            Map<String, List<String>> headers) {

        Exchange withAnswer(int newStatus, String newBody, Map<String, List<String>> newHeaders) {
            return new Exchange(method, path, requestBody, requestContentType, requestHeaders, newStatus, contentType,
                    newBody, newHeaders);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        JsonValue json() {
            return JsonFactory.readFrom(body);
        }

        @Override
        public String toString() {
            return method + " " + path + " -> " + status + " " + contentType + " " + body;
        }
    }

    @BeforeAll
    void startHub() throws Exception {
        runs = LauncherProcess.Runs.of(ApiContractIT.class, "contract", PATIENCE);
        runs.assertDistributionFresh();
        Path repository = runs.repository();
        validator = OpenApiInteractionValidator
                .createForSpecificationUrl(repository.resolve("api/openapi.yaml").toUri().toString())
                .withBasePathOverride(API)
                .build();

        Path home = runs.work().resolve("home");
        for (String folder : List.of("etc", "routes")) {
            Files.createDirectories(home.resolve(folder));
            try (Stream<Path> files = Files.list(repository.resolve(folder))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, home.resolve(folder).resolve(file.getFileName()));
                }
            }
        }
        Files.writeString(home.resolve("etc/nl.lantaarn.http.auth.cfg"),
                "apiKeyHashes = contract:sha256:" + HubHome.sha256(key) + "\n");
        // a client that may only read, as ./lantaarn clients add writes it
        Files.writeString(home.resolve("etc/nl.lantaarn.http.client-partner.cfg"), """
                name = partner
                roles = reader
                purpose = contract test
                keyHash = sha256:%s
                """.formatted(HubHome.sha256(readerKey)));

        httpPort = HubTestOptions.freePort();
        LauncherProcess hub = runs.launchHub("hub", home, httpPort, HubTestOptions.freePort(), "start");
        hub.awaitReadyLine();
        await("the hub's API at port " + httpPort + " (see " + runs.work() + ")").atMost(PATIENCE)
                .pollInterval(POLL).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    assertThat(hub.process().isAlive()).as("the hub is running: %s", hub.describe()).isTrue();
                    return call("GET", "/adapters", null, null, Map.of()).status() == 200
                            && call("GET", "/routes", null, null, Map.of()).status() == 200;
                });
    }

    @AfterAll
    void stopHub() {
        if (runs != null) {
            assertThat(runs.stopAll(Duration.ofSeconds(60))).as("processes that outlived the test").isEmpty();
        }
    }

    @Test
    void everyExchangeMatchesTheContract() throws Exception {
        // the contract itself, served by the hub
        Exchange json = valid("GET", "/openapi.json", null, null, Map.of(), 200);
        assertThat(json.json().asObject().getValue("info/version").map(JsonValue::asString))
                .contains(json.header("API-Version"));
        valid("GET", "/openapi.yaml", null, null, Map.of(), 200);
        valid("GET", "/health", null, null, Map.of(), 200);

        // things: create, read (whole, fields, parts), conditional writes, merge patch, delete
        String thing = """
                {"thingId":"%s","attributes":{"location":{"type":"Point","coordinates":[5.4787,51.4418]},
                 "zone":"stratumseind","vendor":"contract-test"},
                 "features":{"noise":{"properties":{"laeq":61.5}}}}""".formatted(THING);
        Exchange created = valid("PUT", "/things/" + THING, thing, "application/json", Map.of("If-None-Match", "*"), 201);
        assertThat(created.header("Location")).isEqualTo(API + "/things/" + THING);
        Exchange read = valid("GET", "/things/" + THING, null, null, Map.of(), 200);
        String etag = read.header("ETag");
        assertThat(etag).isEqualTo(created.header("ETag"));
        valid("GET", "/things?limit=10&offset=0", null, null, Map.of(), 200);
        valid("GET", "/things/" + THING + "?fields=" + q("thingId,_revision,_modified,features/noise/properties/laeq"),
                null, null, Map.of(), 200);
        valid("GET", "/things/" + THING + "/attributes", null, null, Map.of(), 200);
        valid("GET", "/things/" + THING + "/attributes/zone", null, null, Map.of(), 200);
        valid("GET", "/things/" + THING + "/features/noise", null, null, Map.of(), 200);
        valid("GET", "/things/" + THING + "/features/noise/properties", null, null, Map.of(), 200);
        valid("GET", "/things/" + THING + "/features/noise/properties/laeq", null, null, Map.of(), 200);
        Exchange patched = valid("PATCH", "/things/" + THING + "/features/noise/properties", "{\"laeq\":74.5}",
                "application/merge-patch+json", Map.of("If-Match", etag), 204);
        assertThat(patched.header("ETag")).isNotEqualTo(etag);
        Exchange stale = valid("PUT", "/things/" + THING + "/attributes/zone", "\"markt\"", "application/json",
                Map.of("If-Match", etag), 412);
        assertThat(stale.header("ETag")).isEqualTo(patched.header("ETag"));
        valid("PUT", "/things/" + THING + "/attributes/model", "\"LP-3\"", "application/json", Map.of(), 201);
        valid("PUT", "/things/" + THING + "/features/noise/desiredProperties", "{\"alarm\":false}", "application/json",
                Map.of(), 201);
        valid("PUT", "/things/" + THING + "/attributes/model", "\"LP-4\"", "application/json", Map.of(), 204);
        valid("DELETE", "/things/" + THING + "/attributes/model", null, null, Map.of(), 204);
        valid("GET", "/things/nl.test.contract:nobody", null, null, Map.of(), 404);
        valid("GET", "/things/" + THING + "/features/missing", null, null, Map.of(), 404);
        answerValid("GET", "/things?limit=0", null, null, Map.of(), 400);
        answerValid("PUT", "/things/" + THING + "/attributes/zone", "{\"unclosed\":", "application/json", Map.of(), 400);
        answerValid("PUT", "/things/" + THING + "/attributes/zone", "\"x\"", "text/plain", Map.of(), 415);
        Exchange anonymous = answerValid("DELETE", "/things/" + THING, null, null, Map.of("X-API-Key", ""), 401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        answerValid("GET", "/things/" + THING, null, null, Map.of("X-API-Key", ""), 401);
        valid("GET", "/things/" + THING, null, null, Map.of("X-API-Key", readerKey), 200);
        Exchange forbidden = answerValid("PUT", "/things/" + THING + "/attributes/zone", "\"markt\"",
                "application/json", Map.of("X-API-Key", readerKey), 403);
        assertThat(forbidden.json().asObject().getValue("detail").map(JsonValue::asString).orElseThrow())
                .contains("writer");

        // the event stream: a reader's stream answers 200 text/event-stream with API-Version, and a write arrives
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base() + API + "/events?thing="
                + q(THING))).header("X-API-Key", readerKey).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
            assertThat(stream.headers().firstValue("API-Version")).isPresent();
            assertThat(lines.readLine()).isEqualTo(": connected");
            // the answer so far (the stream does not end) against the contract
            Exchange opened = new Exchange("GET", "/events", null, null, Map.of(), 200,
                    stream.headers().firstValue("Content-Type").orElse(""), ": connected\n\n",
                    stream.headers().map());
            ValidationReport report = report(opened, false);
            if (report.hasErrors()) {
                violations.add(opened + "\n" + SimpleValidationReportFormat.getInstance().apply(report));
            }
            valid("PUT", "/things/" + THING + "/attributes/model", "\"LP-5\"", "application/json", Map.of(), 201);
            String data = lines.lines().filter(line -> line.startsWith("data:")).findFirst().orElseThrow();
            assertThat(data).contains(THING).contains("\"path\":\"/attributes/model\"").contains("LP-5");
        }
        answerValid("GET", "/events?domain=9x", null, null, Map.of("X-API-Key", readerKey), 400);
        answerValid("GET", "/events", null, null, Map.of("X-API-Key", ""), 401);

        // history of the property the writes above changed
        String history = "/things/" + THING + "/features/noise/properties/laeq/history";
        await("two points in " + history).atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> assertThat(
                valid("GET", history, null, null, Map.of(), 200).json().asObject().getValue("points")
                        .map(points -> points.asArray().getSize())).contains(2));
        valid("GET", history + "?step=1h&limit=10", null, null, Map.of(), 200);
        answerValid("GET", history + "?step=5m", null, null, Map.of(), 400);

        // search
        String mine = q("like(thingId,\"nl.test.contract:*\")");
        await("the thing in search").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> assertThat(valid("GET",
                "/search/things?filter=" + mine + "&fields=" + q("thingId,attributes/zone"), null, null, Map.of(), 200)
                .json().asObject().getValue("items").map(items -> items.asArray().getSize())).contains(1));
        valid("GET", "/search/things?filter=" + mine + "&near=51.4418,5.4787,50&size=5&sort="
                + q("-features/noise/properties/laeq"), null, null, Map.of(), 200);
        valid("GET", "/search/things/count?filter=" + mine, null, null, Map.of(), 200);
        valid("GET", "/search/zones", null, null, Map.of(), 200);
        answerValid("GET", "/search/things?filter=" + q("gt(features/noise/properties/laeq,7O)"), null, null, Map.of(),
                400);
        answerValid("GET", "/search/things?zone=nowhere", null, null, Map.of(), 400);

        // dead letters: a Signalen webhook call the citizen-reports adapter refuses becomes one
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base() + "/ingest/citizen-reports/signalen"))
                .timeout(Duration.ofSeconds(20)).header("X-API-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"not\":\"a report\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as("%s", refused.body()).isEqualTo(422);
        Exchange letters = valid("GET", "/dead-letters?source=citizen-reports&limit=10", null, null, Map.of(), 200);
        JsonArray list = letters.json().asArray();
        assertThat(list.getSize()).as("%s", letters).isEqualTo(1);
        String letter = list.get(0).orElseThrow().asObject().getValue("id").orElseThrow().asString();
        valid("GET", "/dead-letters/" + letter, null, null, Map.of(), 200);
        valid("POST", "/dead-letters/" + letter + "/replay", null, null, Map.of(), 200);
        valid("POST", "/dead-letters/replay?source=citizen-reports&limit=5", null, null, Map.of(), 200);
        valid("GET", "/dead-letters/no-such-letter", null, null, Map.of(), 404);
        answerValid("GET", "/dead-letters?since=yesterday", null, null, Map.of(), 400);

        // adapters
        Exchange adapters = valid("GET", "/adapters", null, null, Map.of(), 200);
        String adapter = adapters.json().asArray().get(0).orElseThrow().asObject().getValue("id").orElseThrow()
                .asString();
        valid("GET", "/adapters/" + adapter, null, null, Map.of(), 200);
        valid("GET", "/adapters/no-such-adapter", null, null, Map.of(), 404);
        valid("GET", "/adapters/bundles", null, null, Map.of(), 200);
        valid("POST", "/adapters/no-such-adapter/stop", null, null, Map.of(), 404);

        // routes and pending actions
        Exchange routes = valid("GET", "/routes", null, null, Map.of(), 200);
        assertThat(routes.json().asArray().getSize()).as("%s", routes).isPositive();
        valid("GET", "/routes/" + routes.json().asArray().get(0).orElseThrow().asObject().getValue("id").orElseThrow()
                .asString(), null, null, Map.of(), 200);
        valid("GET", "/routes/no-such-route", null, null, Map.of(), 404);
        valid("GET", "/routes/pending", null, null, Map.of(), 200);
        valid("POST", "/routes/pending/no-such-action/confirm", null, null, Map.of(), 404);
        valid("POST", "/routes/pending/no-such-action/reject", "{\"reason\":\"false alarm\"}", "application/json",
                Map.of(), 404);

        valid("GET", "/metrics", null, null, Map.of(), 200);

        // the DPIA fact sheet: Markdown, HTML, a bad format, an Accept it cannot serve
        valid("GET", "/dpia", null, null, Map.of(), 200);
        valid("GET", "/dpia", null, null, Map.of("Accept", "text/html"), 200);
        answerValid("GET", "/dpia?format=pdf", null, null, Map.of(), 400);
        answerValid("GET", "/dpia", null, null, Map.of("Accept", "application/json"), 406);
        // the audit trail and the data subject rights (the contract's client is an admin)
        valid("GET", "/audit?kind=api-access&limit=10", null, null, Map.of(), 200);
        answerValid("GET", "/audit?from=yesterday", null, null, Map.of(), 400);
        valid("GET", "/privacy/exports?thingId=" + THING, null, null, Map.of(), 200);
        valid("POST", "/privacy/erasures", "{\"thingId\":\"nl.contract.test:never-created\"}", "application/json",
                Map.of(), 200);
        valid("DELETE", "/things/" + THING, null, null, Map.of(), 204);

        assertThat(violations).as("exchanges that break api/openapi.yaml").isEmpty();
    }

    /** The validator really checks: a real answer with a member, or without a header, the contract lacks fails. */
    @Test
    void theValidatorCatchesDrift() throws Exception {
        Exchange health = call("GET", "/health", null, null, Map.of());
        assertThat(report(health, true).hasErrors()).as("%s", health).isFalse();
        Exchange extraMember = health.withAnswer(health.status(),
                health.json().asObject().setValue("uptime", 5).toString(), health.headers());
        assertThat(report(extraMember, true).hasErrors()).as("a member the contract does not have").isTrue();
        Map<String, List<String>> withoutVersion = new LinkedHashMap<>(health.headers());
        withoutVersion.keySet().removeIf(name -> name.equalsIgnoreCase("API-Version"));
        Exchange noVersion = health.withAnswer(health.status(), health.body(), withoutVersion);
        assertThat(report(noVersion, true).hasErrors()).as("an answer without API-Version").isTrue();
        Exchange wrongStatus = health.withAnswer(418, health.body(), health.headers());
        assertThat(report(wrongStatus, true).hasErrors()).as("a status the contract does not list").isTrue();
    }

    /** Sends the request, checks the status, and validates request and answer against the contract. */
    private Exchange valid(String method, String path, String body, String contentType, Map<String, String> headers,
            int expectedStatus) throws Exception {
        return checked(method, path, body, contentType, headers, expectedStatus, true);
    }

    /** As {@link #valid}, for a request that is wrong on purpose: only the answer is validated. */
    private Exchange answerValid(String method, String path, String body, String contentType,
            Map<String, String> headers, int expectedStatus) throws Exception {
        return checked(method, path, body, contentType, headers, expectedStatus, false);
    }

    private Exchange checked(String method, String path, String body, String contentType, Map<String, String> headers,
            int expectedStatus, boolean validateRequest) throws Exception {
        Exchange exchange = call(method, path, body, contentType, headers);
        assertThat(exchange.status()).as("%s", exchange).isEqualTo(expectedStatus);
        ValidationReport report = report(exchange, validateRequest);
        if (report.hasErrors()) {
            violations.add(exchange + "\n" + SimpleValidationReportFormat.getInstance().apply(report));
        }
        return exchange;
    }

    private ValidationReport report(Exchange exchange, boolean validateRequest) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status()).withBody(exchange.body());
        exchange.headers().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                response.withHeader(name, values);
            }
        });
        String path = exchange.path().split("\\?", 2)[0];
        if (!validateRequest) {
            return validator.validateResponse(API + path, Request.Method.valueOf(exchange.method()), response.build());
        }
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), API + path);
        if (exchange.path().contains("?")) {
            for (String pair : exchange.path().split("\\?", 2)[1].split("&")) {
                String[] nameValue = pair.split("=", 2);
                request.withQueryParam(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(nameValue.length > 1 ? nameValue[1] : "", StandardCharsets.UTF_8));
            }
        }
        request.withHeader("X-API-Key", key);
        exchange.requestHeaders().forEach((name, value) -> {
            if (!value.isEmpty()) {
                request.withHeader(name, value);
            }
        });
        if (exchange.requestBody() != null) {
            request.withBody(exchange.requestBody());
            request.withContentType(exchange.requestContentType());
        }
        return validator.validate(request.build(), response.build());
    }

    /** Sends the request with the test's API key (unless {@code headers} give an empty {@code X-API-Key}). */
    private Exchange call(String method, String path, String body, String contentType, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + API + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (!headers.containsKey("X-API-Key")) {
            request.header("X-API-Key", key);
        }
        headers.forEach((name, value) -> {
            if (!value.isEmpty()) {
                request.header(name, value);
            }
        });
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        // a client per request: the hub closes a connection after refusing a body it did not read
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Exchange(method, path, body, contentType, headers, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body(), response.headers().map());
    }

    private String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

}
