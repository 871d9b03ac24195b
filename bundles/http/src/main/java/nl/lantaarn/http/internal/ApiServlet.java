package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

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
 * The read side of {@code /api/v1}: things, health and dead letters. Errors are RFC 9457 problem documents whose
 * {@code detail} says what to change; every response carries {@code API-Version}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/*")
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String API_VERSION = "0.1.0";
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;

    private final transient TwinService twin;
    private final transient DeadLetterService deadLetters;
    private final transient Map<HealthContributor, Boolean> contributors = new ConcurrentHashMap<>();
    private final transient HistoryRoute historyRoute;
    private transient volatile HistoryService history;

    @Activate
    public ApiServlet(@Reference TwinService twin, @Reference DeadLetterService deadLetters) {
        this.twin = twin;
        this.deadLetters = deadLetters;
        this.historyRoute = new HistoryRoute(twin, () -> history, Clock.systemUTC());
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
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            problem(response, 405, "Method not allowed",
                    "This version of the API is read-only at " + path + "; use GET.");
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
            getThing(path.substring("/things/".length()), response);
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
        List<Thing> all = twin.list();
        var array = JsonArray.newBuilder();
        all.stream().skip(offset).limit(limit).forEach(thing -> array.add(thing.toJson()));
        response.setHeader("X-Total-Count", Integer.toString(all.size()));
        json(response, 200, array.build().toString());
    }

    private void getThing(String rawId, HttpServletResponse response) throws IOException {
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
        json(response, 200, thing.get().toJsonString());
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
