package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonCollectors;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonParseOptions;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
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
import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.audit.api.AuditLog;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.history.api.HistoryService;
import nl.lantaarn.personaldata.api.PersonalDataRights;
import nl.lantaarn.routing.api.RouteAdmin;
import nl.lantaarn.runtime.api.HubHome;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.security.api.ThingAccess;
import nl.lantaarn.twin.api.TwinService;

/**
 * {@code /api/v1}: things (read with any role, written by a writer), health and the contract that describes it all
 * ({@code /openapi.json}, {@code /openapi.yaml}; both anonymous), dead letters, adapters, routes and their pending
 * actions, and metrics (operators; installing adapter bundles: admins). Errors are RFC 9457 problem documents whose
 * {@code detail} says what to change; every response carries {@code API-Version}, and {@link ApiHeadersFilter} adds
 * the security headers.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/*")
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String API_VERSION = "0.1.0";
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;
    /** How long a replay waits for the adapter before answering 202 pending. */
    static final Duration REPLAY_WAIT = Duration.ofSeconds(5);

    private final transient TwinService twin;
    private final transient Map<HealthContributor, Boolean> contributors = new ConcurrentHashMap<>();
    private final transient Map<MetricsSource, Boolean> metricsSources = new ConcurrentHashMap<>();
    private final transient HistoryRoute historyRoute;
    private final transient ThingWriteRoute writeRoute;
    private final transient AdapterRoute adapterRoute;
    private final transient DeadLetterRoute deadLetterRoute;
    private final transient MetricsRoute metricsRoute;
    private final transient RoutesRoute routesRoute;
    private final transient AuditRoute auditRoute;
    private final transient PrivacyRoute privacyRoute;
    private final transient Authentication authentication;
    private final transient ThingAccess access;
    private final transient PurposeGuard purposes;
    private final transient OpenApiDocument contract = OpenApiDocument.load();
    private transient volatile HistoryService history;
    private transient volatile AdapterAdmin admin;
    private transient volatile RouteAdmin routeAdmin;
    private transient volatile AuditLog auditLog;
    private transient volatile PersonalDataRights personalData;

    @Activate
    public ApiServlet(BundleContext context, @Reference TwinService twin, @Reference DeadLetterService deadLetters,
            @Reference Authenticator authenticator, @Reference ThingAccess access) {
        this(twin, deadLetters, authenticator, access,
                new AdapterFiles(HubHome.of(context), installedBundles(context)));
    }

    /** With the built-in default policy (readers read, writers write). */
    ApiServlet(TwinService twin, DeadLetterService deadLetters, Authenticator authenticator, AdapterFiles files) {
        this(twin, deadLetters, authenticator, ThingPolicies.builtInDefault(), files);
    }

    ApiServlet(TwinService twin, DeadLetterService deadLetters, Authenticator authenticator, ThingAccess access,
            AdapterFiles files) {
        this.twin = twin;
        this.access = access;
        // the refusals are explained by the guard the access service decides with
        this.purposes = access instanceof ThingPolicies policies ? policies.purposeGuard() : new PurposeGuard();
        this.authentication = new Authentication(authenticator);
        this.historyRoute = new HistoryRoute(twin, () -> history, Clock.systemUTC());
        this.writeRoute = new ThingWriteRoute(twin, authentication, access);
        this.adapterRoute = new AdapterRoute(authentication, () -> admin, files);
        this.deadLetterRoute = new DeadLetterRoute(deadLetters, () -> admin, authentication, REPLAY_WAIT);
        this.metricsRoute = new MetricsRoute(() -> admin, () -> routeAdmin, deadLetters, twin,
                metricsSources.keySet());
        this.routesRoute = new RoutesRoute(authentication, () -> routeAdmin);
        this.auditRoute = new AuditRoute(authentication, () -> auditLog);
        this.privacyRoute = new PrivacyRoute(authentication, () -> personalData);
    }

    private static AdapterFiles.InstalledBundles installedBundles(BundleContext context) {
        return symbolicName -> Arrays.stream(context.getBundles())
                .filter(bundle -> symbolicName.equals(bundle.getSymbolicName()))
                .map(bundle -> new AdapterFiles.InstalledBundles.Installed(bundle.getVersion().toString(),
                        bundle.getLocation(), state(bundle.getState())))
                .toList();
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.INSTALLED -> "INSTALLED";
            default -> "UNINSTALLED";
        };
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

    /** Optional: without it, adapter status, stop, start and replay get 503; metrics hold no adapters. */
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

    /** Optional: without it, every /routes request gets 503. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setRouteAdmin(RouteAdmin service) {
        routeAdmin = service;
    }

    void unsetRouteAdmin(RouteAdmin service) {
        if (routeAdmin == service) {
            routeAdmin = null;
        }
    }

    /** Optional: without it, /audit gets 503. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAuditLog(AuditLog service) {
        auditLog = service;
    }

    void unsetAuditLog(AuditLog service) {
        if (auditLog == service) {
            auditLog = null;
        }
    }

    /** Optional: without it, /privacy requests get 503. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPersonalDataRights(PersonalDataRights service) {
        personalData = service;
    }

    void unsetPersonalDataRights(PersonalDataRights service) {
        if (personalData == service) {
            personalData = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addContributor(HealthContributor contributor) {
        contributors.put(contributor, Boolean.TRUE);
    }

    void removeContributor(HealthContributor contributor) {
        contributors.remove(contributor);
    }

    /** More metrics of this bundle: the request audit's and the rate limit's. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMetricsSource(MetricsSource source) {
        metricsSources.put(source, Boolean.TRUE);
    }

    void removeMetricsSource(MetricsSource source) {
        metricsSources.remove(source);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("API-Version", API_VERSION);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        String method = request.getMethod();
        if (!Params.decodableQuery(request, response)) {
            return;
        }
        if (path.equals("/adapters") || path.startsWith("/adapters/")) {
            adapterRoute.handle(method, path.substring("/adapters".length()), request, response);
            return;
        }
        if (RoutesRoute.matches(path)) {
            routesRoute.handle(method, path, request, response);
            return;
        }
        if (AuditRoute.matches(path)) {
            auditRoute.handle(method, path, request, response);
            return;
        }
        if (DeadLetterRoute.matches(path)) {
            deadLetterRoute.handle(method, path, request, response);
            return;
        }
        if (PrivacyRoute.matches(path)) {
            privacyRoute.handle(method, path, request, response);
            return;
        }
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
        ApiClient client = null;
        if (!ANONYMOUS_READS.contains(path) && !path.equals("/metrics")) {
            client = authentication.require(request, response, Role.READER, "Reading " + path + " needs").orElse(null);
            if (client == null) {
                return;
            }
        }
        try {
            route(path, client, request, response);
        } catch (Params.BadParameter e) {
            problem(response, 400, "Bad request", e.getMessage());
        } catch (PurposeGuard.RefusedException e) {
            purposes.audit(client, request.getRequestURI(), e.refusal);
            problem(response, 403, "Purpose not allowed", e.refusal.detail(client.name()), JsonObject.newBuilder()
                    .set("clientPurpose", e.refusal.clientPurpose())
                    .set("allowedPurposes", e.refusal.allowed().stream().sorted().map(JsonValue::of)
                            .collect(JsonCollectors.valuesToArray()))
                    .build());
        }
    }

    /** What anyone may read: the hub's health and its contract (ADR: the OpenAPI document is public). */
    private static final java.util.Set<String> ANONYMOUS_READS = java.util.Set.of("/health", "/openapi.json",
            "/openapi.yaml");

    /** {@code client} is null for the anonymous reads. */
    private void route(String path, ApiClient client, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (path.equals("/things") || path.equals("/things/")) {
            listThings(client, request, response);
        } else if (HistoryRoute.matches(path)) {
            historyRoute.handle(path, (thing, property) -> access.readsEverything(client)
                    || twin.retrieve(thing).map(found -> {
                        JsonObject json = found.toJson();
                        // a personal property's history is refused with a 403 that names the purposes
                        if (access.readable(client, json).isPresent()) {
                            purposes.check(client, json, property);
                        }
                        return access.mayRead(client, json, property);
                    }).orElse(true), request, response);
        } else if (path.startsWith("/things/")) {
            getThing(client, path.substring("/things/".length()), request, response);
        } else if (path.equals("/health")) {
            health(response);
        } else if (path.equals("/openapi.json")) {
            write(response, 200, "application/json", contract.json());
        } else if (path.equals("/openapi.yaml")) {
            write(response, 200, "application/yaml", contract.yaml());
        } else if (path.equals("/metrics")) {
            if (authentication.require(request, response, Role.OPERATOR, "Metrics need").isPresent()) {
                metricsRoute.handle(response);
            }
        } else {
            problem(response, 404, "Not found", "There is no resource at /api/v1" + path
                    + "; the resources are /things, /things/{thingId}, "
                    + "/things/{thingId}/features/{feature}/properties/{propertyPath}/history, /dead-letters, "
                    + "/audit, /adapters, /routes, /events, /metrics, /health, /openapi.json and /openapi.yaml.");
        }
    }

    private void listThings(ApiClient client, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        int limit = Params.integer(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = Params.integer(request, "offset", 0, 0, Integer.MAX_VALUE);
        Optional<JsonFieldSelector> fields = fields(request);
        List<Thing> all = twin.list();
        var array = JsonArray.newBuilder();
        if (access.readsEverything(client)) {
            // a sub-list, not skip(): the twin parses a listed thing when it is read, so skipping would parse them all
            int from = Math.min(offset, all.size());
            all.subList(from, (int) Math.min((long) from + limit, all.size()))
                    .forEach(thing -> array.add(render(thing, fields)));
            response.setHeader("X-Total-Count", Integer.toString(all.size()));
        } else {
            // the total counts only what the client may see, so it reveals nothing about hidden things
            List<JsonObject> visible = all.stream().map(thing -> access.readable(client, fields.isPresent()
                    ? thing.toJson(JsonSchemaVersion.LATEST, FieldType.regularOrSpecial()) : thing.toJson()))
                    .flatMap(Optional::stream).toList();
            visible.stream().skip(offset).limit(limit).forEach(view -> array.add(select(view, fields)));
            response.setHeader("X-Total-Count", Integer.toString(visible.size()));
        }
        json(response, 200, array.build().toString());
    }

    private static JsonObject select(JsonObject view, Optional<JsonFieldSelector> fields) {
        return fields.map(view::get).orElse(view);
    }

    private void getThing(ApiClient client, String rest, HttpServletRequest request, HttpServletResponse response)
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
        Optional<Thing> found = twin.retrieve(id);
        boolean everything = access.readsEverything(client);
        // a field selection may ask for _revision or _modified: the restricted view is then cut from the JSON with them
        Optional<JsonObject> view = found.isEmpty() || everything ? Optional.empty()
                : access.readable(client, fields.isPresent()
                        ? found.get().toJson(JsonSchemaVersion.LATEST, FieldType.regularOrSpecial())
                        : found.get().toJson());
        // a thing the client may not see is answered as one that does not exist
        Optional<Thing> thing = everything || view.isPresent() ? found : Optional.empty();
        if (thing.isEmpty()) {
            problem(response, 404, "Thing not found", "No thing with id '" + id
                    + "' exists; GET /api/v1/things lists the existing ones.");
            return;
        }
        thing.get().getRevision().ifPresent(revision -> response.setHeader("ETag", "\"" + revision + "\""));
        if (!part.isEmpty()) {
            // a personal part the client's purpose does not allow: 403 naming the purposes (a whole thing leaves it out)
            purposes.check(client, thing.get().toJson(), JsonPointer.of(part));
            Optional<JsonValue> value;
            try {
                value = view.orElseGet(() -> thing.get().toJson()).getValue(JsonPointer.of(part));
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
        json(response, 200, (view.isPresent() ? select(view.get(), fields) : render(thing.get(), fields)).toString());
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
            throw new Params.BadParameter("Query parameter 'fields' must be a comma-separated list of JSON pointers such as "
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

    static void json(HttpServletResponse response, int status, String body) throws IOException {
        write(response, status, "application/json", body);
    }

    static void problem(HttpServletResponse response, int status, String title, String detail) throws IOException {
        problem(response, status, title, detail, JsonObject.empty());
    }

    /** A problem document with extension members, e.g. the dead letter a rejected payload became. */
    static void problem(HttpServletResponse response, int status, String title, String detail, JsonObject extensions)
            throws IOException {
        JsonObject body = JsonObject.newBuilder()
                .set("type", "about:blank")
                .set("title", title)
                .set("status", status)
                .set("detail", detail)
                .setAll(extensions)
                .build();
        write(response, status, "application/problem+json", body.toString());
    }

    private static void write(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        write(response, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(HttpServletResponse response, int status, String contentType, byte[] bytes)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
