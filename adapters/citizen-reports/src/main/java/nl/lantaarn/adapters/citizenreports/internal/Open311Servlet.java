package nl.lantaarn.adapters.citizenreports.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.admin.UnknownAdapterException;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.twin.api.TwinService;

/**
 * Open311 GeoReport v2 at {@code /ingest/open311/}: {@code GET services.json}, {@code POST requests.json} (with an API
 * key; handed to the citizen-reports instance through {@link AdapterAdmin#ingest}, so the hub's counters, inbox and
 * dead letters apply), {@code GET requests/{id}.json} and {@code GET requests.json?service_request_id=...} (read from
 * the twin). JSON only. Every error is GeoReport's list {@code [{"code":..,"description":".."}]} whose description
 * names the field and what is expected; every response carries {@code API-Version}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(Open311Servlet.PATTERN)
public final class Open311Servlet extends HttpServlet {

    static final String PATTERN = "/ingest/open311/*";
    static final String BASE = "/ingest/open311";
    /** The GeoReport version this endpoint speaks. */
    static final String API_VERSION = "2.0.0";
    /** A form is a few hundred bytes; a description at most 4000 characters. */
    static final int MAX_BODY_BYTES = 32 * 1024;
    static final long INGEST_TIMEOUT_SECONDS = 10;
    static final int MAX_IDS = 50;

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Open311Servlet.class);
    private static final String JSON = "application/json";
    private static final String ENDPOINTS = "GET services.json, POST requests.json, GET requests/{id}.json and "
            + "GET requests.json?service_request_id={id}[,{id}...]";

    private final transient ReportInstances instances;
    private final transient Clock clock;
    private transient volatile TwinService twin;
    private transient volatile AdapterAdmin admin;
    private transient volatile Authenticator authenticator;

    @Activate
    public Open311Servlet(@Reference(name = "instances") ReportInstances instances) {
        this(instances, Clock.systemUTC());
    }

    Open311Servlet(ReportInstances instances, Clock clock) {
        this.instances = instances;
        this.clock = clock;
    }

    /** Optional: without it, reading requests answers 503. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTwin(TwinService service) {
        twin = service;
    }

    void unsetTwin(TwinService service) {
        if (twin == service) {
            twin = null;
        }
    }

    /** Optional: without it, new requests answer 503. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAdmin(AdapterAdmin service) {
        admin = service;
    }

    void unsetAdmin(AdapterAdmin service) {
        if (admin == service) {
            admin = null;
        }
    }

    /** Optional: without it, new requests answer 503 (never accepted unauthenticated). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAuthenticator(Authenticator service) {
        authenticator = service;
    }

    void unsetAuthenticator(Authenticator service) {
        if (authenticator == service) {
            authenticator = null;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("API-Version", API_VERSION);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        String method = request.getMethod();
        try {
            if (path.endsWith(".xml")) {
                throw new Failure(400, "format: this endpoint speaks JSON only; use " + BASE
                        + path.substring(0, path.length() - ".xml".length()) + ".json");
            }
            boolean read = "GET".equals(method) || "HEAD".equals(method);
            if (path.equals("/services.json")) {
                requireMethod(read, "GET");
                services(request, response);
            } else if (path.startsWith("/services/") && path.endsWith(".json")) {
                requireMethod(read, "GET");
                serviceDefinition(path.substring("/services/".length(), path.length() - ".json".length()), request);
            } else if (path.equals("/requests.json")) {
                if ("POST".equals(method)) {
                    create(request, response);
                } else {
                    requireMethod(read, "GET, POST");
                    requestsById(request, response);
                }
            } else if (path.startsWith("/requests/") && path.endsWith(".json")) {
                requireMethod(read, "GET");
                oneRequest(path.substring("/requests/".length(), path.length() - ".json".length()), request,
                        response);
            } else {
                throw new Failure(404, "there is no resource at " + BASE + path + "; this endpoint offers "
                        + ENDPOINTS + " (Open311 GeoReport v2, JSON)");
            }
        } catch (Failure failure) {
            failure.headers.forEach(response::setHeader);
            write(response, failure.status, Open311Representation.error(failure.status, failure.getMessage()));
        } catch (RuntimeException e) {
            // e.g. a twin store that cannot be read; the request's fields are never part of the message
            LOG.warn("Open311 {} {} failed", method, path, e);
            response.setHeader("Retry-After", "30");
            write(response, 503, Open311Representation.error(503, "the hub could not answer (" + e.getClass()
                    .getSimpleName() + "); try again later"));
        }
    }

    private static void requireMethod(boolean allowed, String allow) {
        if (!allowed) {
            throw new Failure(405, "method not allowed here; use " + allow).header("Allow", allow + ", HEAD");
        }
    }

    private void services(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CitizenReportsAdapter adapter = instance(request.getParameter(Open311Parser.JURISDICTION_ID));
        write(response, 200, Open311Representation.services(adapter.config().services()));
    }

    /** None of the services has extra attributes ({@code metadata} is false), so no definition exists. */
    private void serviceDefinition(String code, HttpServletRequest request) {
        CitizenReportsAdapter adapter = instance(request.getParameter(Open311Parser.JURISDICTION_ID));
        if (adapter.config().services().service(code).isEmpty()) {
            throw new Failure(404, "service_code: '" + abbreviate(code) + "' is not one of this hub's services; "
                    + "GET services.json lists them");
        }
        throw new Failure(404, "service_code: '" + code + "' has no service definition: its metadata is false, "
                + "it takes no attributes beyond the standard fields");
    }

    private void create(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String contentType = Optional.ofNullable(request.getContentType()).orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith(FormBody.CONTENT_TYPE)) {
            throw new Failure(415, "Content-Type must be " + FormBody.CONTENT_TYPE + " (GeoReport v2 POST Service "
                    + "Request), was '" + abbreviate(contentType) + "'"
                    + (contentType.startsWith("multipart/") ? "; upload the photo elsewhere and give its media_url"
                            : ""));
        }
        Map<String, String> form;
        try {
            form = FormBody.parse(readBody(request));
        } catch (PayloadRejectedException e) {
            throw new Failure(400, e.getMessage());
        }
        ApiClient client = authenticate(request, form.get(Open311Parser.API_KEY));
        CitizenReportsAdapter adapter = instance(form.get(Open311Parser.JURISDICTION_ID));
        Instant now = clock.instant();
        try {
            // the same checks map() makes, answered now: a client's mistake never becomes a dead letter
            adapter.parseOpen311(form, now);
        } catch (PayloadRejectedException e) {
            throw new Failure(400, e.getMessage());
        }
        AdapterAdmin runtime = admin;
        if (runtime == null) {
            throw unavailable("the hub's adapter runtime is not running");
        }
        InboundMessage message = new InboundMessage("POST " + BASE + "/requests.json by " + client.name(),
                FormBody.encode(form, Open311Parser.NOT_PASSED_ON), now,
                Map.of(InboundMessage.HTTP_METHOD, "POST", InboundMessage.HTTP_PATH, CitizenReportsAdapter.OPEN311_PATH,
                        InboundMessage.CONTENT_TYPE, FormBody.CONTENT_TYPE));
        IngestResult result = ingest(runtime, adapter.config().instanceId(), message);
        if (!result.accepted()) {
            throw new Failure(422, "the report was not accepted: " + result.reason()
                    + (result.deadLetterId() == null ? "" : " (kept as dead letter " + result.deadLetterId() + ")"));
        }
        String requestId = result.thingIds().stream().map(adapter::reportId).flatMap(Optional::stream).findFirst()
                .orElseThrow(() -> new Failure(500, "the report was stored but its thing is not known; "
                        + "GET /api/v1/things lists the things of namespace " + adapter.config().namespace()));
        LOG.debug("Open311 request {} from client {} stored in {}", requestId, client.name(),
                adapter.config().instanceId());
        JsonObject answer = JsonObject.newBuilder()
                .set("service_request_id", requestId)
                .set("service_notice", adapter.config().serviceNotice().replace("{service_request_id}", requestId))
                .set("account_id", JsonValue.nullLiteral())
                .build();
        write(response, 200, JsonArray.of(answer));
    }

    private static IngestResult ingest(AdapterAdmin runtime, String instanceId, InboundMessage message) {
        try {
            return runtime.ingest(instanceId, message).toCompletableFuture()
                    .get(INGEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (UnknownAdapterException e) {
            throw unavailable("adapter instance " + instanceId + " is not configured in the hub");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownAdapterException) {
                throw unavailable("adapter instance " + instanceId + " is not configured in the hub");
            }
            throw unavailable("the hub could not take the report (" + e.getCause().getClass().getSimpleName() + ")");
        } catch (TimeoutException e) {
            throw unavailable("the hub did not confirm the report within " + INGEST_TIMEOUT_SECONDS + " s; it may "
                    + "still be recorded, so wait a minute before sending it again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while the hub took the report");
        }
    }

    private ApiClient authenticate(HttpServletRequest request, String formKey) {
        Authenticator auth = authenticator;
        if (auth == null) {
            throw unavailable("the hub's authentication service is not running, so no report can be accepted");
        }
        String authorization = request.getHeader("Authorization");
        String apiKeyHeader = request.getHeader("X-API-Key");
        if (apiKeyHeader == null && authorization == null && formKey != null && !formKey.isBlank()) {
            apiKeyHeader = formKey.strip();
        }
        if (authorization == null && (apiKeyHeader == null || apiKeyHeader.isBlank())) {
            throw new Failure(401, "api_key: an API key is required to submit a service request; send it as the "
                    + "api_key form field, an X-API-Key header or Authorization: Bearer <key> (the hub's operator "
                    + "issues keys)").header("WWW-Authenticate", "Bearer realm=\"lantaarn\"");
        }
        ApiClient client = auth.authenticate(authorization, apiKeyHeader).orElseThrow(() -> new Failure(403,
                "api_key: the API key is not valid for this hub; ask the hub's operator for a key (./lantaarn clients "
                        + "add <name> --role writer --purpose <why>)"));
        if (!client.may(Role.WRITER)) {
            throw new Failure(403, "api_key: submitting a service request needs role writer (or operator, admin); "
                    + "API client '" + client.name() + "' has " + (client.roles().isEmpty() ? "no role"
                    : "role " + client.roles().stream().map(Role::id).collect(Collectors.joining(", ")))
                    + "; ask the hub's operator for a key with role writer");
        }
        return client;
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge(declared);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge(body.length);
            }
            return body;
        }
    }

    private static Failure tooLarge(long size) {
        return new Failure(413, "the form is " + (size > MAX_BODY_BYTES ? "more than " + MAX_BODY_BYTES : size)
                + " bytes; at most " + MAX_BODY_BYTES + " are accepted (description: at most "
                + Open311Parser.MAX_DESCRIPTION + " characters)");
    }

    private void oneRequest(String id, HttpServletRequest request, HttpServletResponse response) throws IOException {
        CitizenReportsAdapter adapter = instance(request.getParameter(Open311Parser.JURISDICTION_ID));
        TwinService things = requireTwin();
        ThingId thingId = adapter.thingId(id).orElseThrow(() -> new Failure(400, "service_request_id: '"
                + abbreviate(id) + "' is not a service request id; they are lower-case letters, digits and dashes, "
                + "as POST requests.json returned them"));
        Thing thing = things.retrieve(thingId).orElseThrow(() -> new Failure(404, "service_request_id: there is no "
                + "service request '" + id + "'"));
        write(response, 200, JsonArray.of(Open311Representation.serviceRequest(id, thing,
                adapter.config().services())));
    }

    /** GeoReport's "GET Service Requests", by id only: listing every request is not offered. */
    private void requestsById(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CitizenReportsAdapter adapter = instance(request.getParameter(Open311Parser.JURISDICTION_ID));
        String ids = request.getParameter("service_request_id");
        if (ids == null || ids.isBlank()) {
            throw new Failure(400, "service_request_id: give the ids of the requests to read, separated by commas "
                    + "(at most " + MAX_IDS + "); listing every request is not offered");
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String id : ids.split(",")) {
            if (!id.isBlank()) {
                wanted.add(id.strip());
            }
        }
        if (wanted.size() > MAX_IDS) {
            throw new Failure(400, "service_request_id: at most " + MAX_IDS + " ids at once, was " + wanted.size());
        }
        TwinService things = requireTwin();
        List<JsonValue> found = new ArrayList<>();
        for (String id : wanted) {
            adapter.thingId(id).flatMap(things::retrieve).ifPresent(thing -> found.add(
                    Open311Representation.serviceRequest(id, thing, adapter.config().services())));
        }
        write(response, 200, JsonArray.of(found));
    }

    private TwinService requireTwin() {
        TwinService things = twin;
        if (things == null) {
            throw unavailable("the hub's twin service is not running");
        }
        return things;
    }

    /**
     * The instance of {@code jurisdiction_id}; without one, the only instance.
     */
    private CitizenReportsAdapter instance(String jurisdiction) {
        List<CitizenReportsAdapter> all = instances.all();
        if (all.isEmpty()) {
            throw unavailable("no citizen-reports adapter instance is running; configure one in "
                    + "etc/nl.lantaarn.adapter.citizen-reports~<name>.cfg");
        }
        if (jurisdiction == null || jurisdiction.isBlank()) {
            if (all.size() == 1) {
                return all.get(0);
            }
            throw new Failure(400, "jurisdiction_id: is required, as this hub serves several jurisdictions: "
                    + jurisdictions(all));
        }
        return instances.byJurisdiction(jurisdiction.strip()).orElseThrow(() -> new Failure(404, "jurisdiction_id: '"
                + abbreviate(jurisdiction) + "' is not served here; this hub serves " + jurisdictions(all)));
    }

    private static String jurisdictions(List<CitizenReportsAdapter> all) {
        return all.stream().map(adapter -> adapter.config().jurisdictionId()).collect(Collectors.joining(", "));
    }

    private static Failure unavailable(String why) {
        return new Failure(503, why + "; try again later").header("Retry-After", "30");
    }

    private static void write(HttpServletResponse response, int status, JsonArray body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(JSON);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    /** A request that ends in an error answer: status, description, extra headers. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final transient Map<String, String> headers = new LinkedHashMap<>();

        Failure(int status, String description) {
            super(description, null, false, false);
            this.status = status;
        }

        Failure header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }
}
