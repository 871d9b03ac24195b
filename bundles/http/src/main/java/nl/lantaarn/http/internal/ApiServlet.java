package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonParseOptions;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.history.api.HistoryService;
import nl.lantaarn.twin.api.TwinService;

/**
 * {@code /api/v1}: things (read anonymously, written with an API key), health and dead letters. Errors are RFC 9457
 * problem documents whose {@code detail} says what to change; every response carries {@code API-Version}.
 */
@Component(service = Servlet.class, configurationPid = ApiServlet.AUTH_PID)
@Designate(ocd = ApiServlet.AuthConfig.class)
@HttpWhiteboardServletPattern("/api/v1/*")
public final class ApiServlet extends HttpServlet {

    static final String AUTH_PID = "nl.lantaarn.http.auth";

    @ObjectClassDefinition(name = "Lantaarn HTTP API authentication")
    public @interface AuthConfig {
        @AttributeDefinition(description = "SHA-256 hashes of the API keys that may write: sha256:<hex> or "
                + "<name>:sha256:<hex>; several separated by commas. Empty: every write is refused.")
        String[] apiKeyHashes() default {};
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    private static final long serialVersionUID = 1L;
    static final String API_VERSION = "0.1.0";
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;

    private final transient TwinService twin;
    private final transient DeadLetterService deadLetters;
    private final transient Map<HealthContributor, Boolean> contributors = new ConcurrentHashMap<>();
    private final transient HistoryRoute historyRoute;
    private final transient ThingWriteRoute writeRoute;
    private transient volatile HistoryService history;
    private transient volatile ApiKeys keys;

    @Activate
    public ApiServlet(@Reference TwinService twin, @Reference DeadLetterService deadLetters, AuthConfig config) {
        this(twin, deadLetters, keys(config));
    }

    ApiServlet(TwinService twin, DeadLetterService deadLetters, ApiKeys keys) {
        this.twin = twin;
        this.deadLetters = deadLetters;
        this.keys = keys;
        this.historyRoute = new HistoryRoute(twin, () -> history, Clock.systemUTC());
        this.writeRoute = new ThingWriteRoute(twin, () -> this.keys);
    }

    /** New keys apply to the next request; the servlet stays registered. */
    @Modified
    void modified(AuthConfig config) {
        keys = keys(config);
    }

    private static ApiKeys keys(AuthConfig config) {
        ApiKeys parsed = ApiKeys.parse(config.apiKeyHashes());
        // the hashes are not secret, but are not logged either: the entry number is enough to find one
        parsed.problems().forEach(problem -> LOG.warn("{} (in {}); that entry is ignored.", problem, AUTH_PID));
        if (parsed.isEmpty()) {
            LOG.debug("No API keys configured in {}: writes are refused", AUTH_PID);
        } else {
            LOG.debug("{} API keys configured", parsed.size());
        }
        return parsed;
    }

    /** Optional: without it, history requests get 503. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setHistory(HistoryService service) {
        history = service;
    }

    void unsetHistory(HistoryService service) {
        if (history == service) {
            history = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addContributor(HealthContributor contributor) {
        contributors.put(contributor, Boolean.TRUE);
    }

    void removeContributor(HealthContributor contributor) {
        contributors.remove(contributor);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("API-Version", API_VERSION);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        String method = request.getMethod();
        boolean thing = path.startsWith("/things/") && path.length() > "/things/".length();
        if (thing && ("PUT".equals(method) || "PATCH".equals(method) || "DELETE".equals(method))) {
            writeRoute.handle(method, path.substring("/things/".length()), request, response);
            return;
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", thing ? "GET, HEAD, PUT, PATCH, DELETE" : "GET, HEAD");
            problem(response, 405, "Method not allowed", thing
                    ? "Use GET to read, PUT to replace, PATCH (application/merge-patch+json) to merge or DELETE."
                    : "This resource is read-only at " + path + "; use GET.");
            return;
        }
        try {
            route(path, request, response);
        } catch (BadRequest e) {
            problem(response, 400, "Bad request", e.getMessage());
        }
    }

    private void route(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (path.equals("/things") || path.equals("/things/")) {
            listThings(request, response);
        } else if (HistoryRoute.matches(path)) {
            historyRoute.handle(path, request, response);
        } else if (path.startsWith("/things/")) {
            getThing(path.substring("/things/".length()), request, response);
        } else if (path.equals("/health")) {
            health(response);
        } else if (path.equals("/dead-letters")) {
            listDeadLetters(request, response);
        } else {
            problem(response, 404, "Not found", "There is no resource at /api/v1" + path
                    + "; the resources are /things, /things/{thingId}, "
                    + "/things/{thingId}/features/{feature}/properties/{propertyPath}/history, /dead-letters and /health.");
        }
    }

    private void listThings(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int limit = intParameter(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = intParameter(request, "offset", 0, 0, Integer.MAX_VALUE);
        Optional<JsonFieldSelector> fields = fields(request);
        List<Thing> all = twin.list();
        var array = JsonArray.newBuilder();
        all.stream().skip(offset).limit(limit).forEach(thing -> array.add(render(thing, fields)));
        response.setHeader("X-Total-Count", Integer.toString(all.size()));
        json(response, 200, array.build().toString());
    }

    private void getThing(String rest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Optional<JsonFieldSelector> fields = fields(request);
        int slash = rest.indexOf('/');
        String rawId = slash < 0 ? rest : rest.substring(0, slash);
        String part = slash < 0 || slash == rest.length() - 1 ? "" : rest.substring(slash);
        ThingId id;
        try {
            id = ThingId.of(rawId);
        } catch (RuntimeException e) {
            problem(response, 400, "Invalid thing id", "'" + rawId
                    + "' is not a thing id; use <namespace>:<name>, e.g. nl.demo.safety:noise-n-7.");
            return;
        }
        Optional<Thing> thing = twin.retrieve(id);
        if (thing.isEmpty()) {
            problem(response, 404, "Thing not found", "No thing with id '" + id
                    + "' exists; GET /api/v1/things lists the existing ones.");
            return;
        }
        thing.get().getRevision().ifPresent(revision -> response.setHeader("ETag", "\"" + revision + "\""));
        if (!part.isEmpty()) {
            Optional<JsonValue> value;
            try {
                value = thing.get().toJson().getValue(JsonPointer.of(part));
            } catch (RuntimeException e) {
                value = Optional.empty();
            }
            if (value.isEmpty()) {
                problem(response, 404, "Not found", "Thing '" + id + "' has nothing at " + part
                        + "; GET /api/v1/things/" + id + " shows what it holds.");
            } else {
                json(response, 200, value.get().toString());
            }
            return;
        }
        json(response, 200, render(thing.get(), fields).toString());
    }

    /** Ditto's {@code fields} selection, e.g. {@code thingId,features/noise/properties/laeq,_revision}. */
    private static Optional<JsonFieldSelector> fields(HttpServletRequest request) {
        String fields = request.getParameter("fields");
        if (fields == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonFactory.newFieldSelector(fields, JsonParseOptions.newBuilder()
                    .withoutUrlDecoding().build()));
        } catch (RuntimeException e) {
            throw new BadRequest("Query parameter 'fields' must be a comma-separated list of JSON pointers such as "
                    + "thingId,attributes/location,features/noise/properties/laeq; '" + fields + "' is not ("
                    + e.getMessage() + ").");
        }
    }

    private static JsonObject render(Thing thing, Optional<JsonFieldSelector> fields) {
        return fields.map(selector -> thing.toJson(JsonSchemaVersion.LATEST, selector))
                .orElseGet(thing::toJson);
    }

    private void health(HttpServletResponse response) throws IOException {
        JsonObjectBuilder components = JsonObject.newBuilder();
        ComponentHealth.Status overall = ComponentHealth.Status.UP;
        for (HealthContributor contributor : contributors.keySet()) {
            ComponentHealth health;
            try {
                health = contributor.health();
            } catch (RuntimeException e) {
                health = ComponentHealth.down("health check failed: " + e);
            }
            if (health.status().compareTo(overall) > 0) {
                overall = health.status();
            }
            components.set(contributor.component(), JsonObject.newBuilder()
                    .set("status", health.status().name())
                    .set("detail", health.detail())
                    .build());
        }
        JsonObject body = JsonObject.newBuilder()
                .set("status", overall.name())
                .set("components", components.build())
                .build();
        json(response, overall == ComponentHealth.Status.DOWN ? 503 : 200, body.toString());
    }

    private void listDeadLetters(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int limit = intParameter(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String source = request.getParameter("source");
        var array = JsonArray.newBuilder();
        for (DeadLetter letter : deadLetters.list(source, limit)) {
            array.add(JsonObject.newBuilder()
                    .set("id", letter.id())
                    .set("source", letter.source())
                    .set("origin", letter.origin())
                    .set("reason", letter.reason())
                    .set("receivedAt", letter.receivedAt().toString())
                    .set("payloadSize", letter.payloadSize())
                    .set("payload", letter.payloadAsString())
                    .build());
        }
        response.setHeader("X-Total-Count", Long.toString(deadLetters.count()));
        json(response, 200, array.build().toString());
    }

    private static int intParameter(HttpServletRequest request, String name, int fallback, int min, int max) {
        String value = request.getParameter(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequest("Query parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", was '" + value + "'.");
    }

    static void json(HttpServletResponse response, int status, String body) throws IOException {
        write(response, status, "application/json", body);
    }

    static void problem(HttpServletResponse response, int status, String title, String detail) throws IOException {
        JsonObject body = JsonObject.newBuilder()
                .set("type", "about:blank")
                .set("title", title)
                .set("status", status)
                .set("detail", detail)
                .build();
        write(response, status, "application/problem+json", body.toString());
    }

    private static void write(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** A request parameter the caller must fix. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
