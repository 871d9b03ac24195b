package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.routing.api.PendingAction;
import nl.lantaarn.routing.api.RouteAdmin;
import nl.lantaarn.routing.api.RouteStatus;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/**
 * {@code /routes}: the Camel routes with their metadata and counters, and the actions routes parked for an operator
 * ({@code hub:confirm}): listed, confirmed and rejected. Every request needs an API key; without the routing
 * component every request is 503.
 */
final class RoutesRoute {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesRoute.class);

    static final int MAX_REJECT_BODY_BYTES = 4096;
    static final int MAX_REASON_CHARS = 500;

    private final Authentication authentication;
    private final Supplier<RouteAdmin> admin;

    RoutesRoute(Authentication authentication, Supplier<RouteAdmin> admin) {
        this.authentication = authentication;
        this.admin = admin;
    }

    /** Whether this route serves {@code path} (below /api/v1). */
    static boolean matches(String path) {
        return path.equals("/routes") || path.startsWith("/routes/");
    }

    void handle(String method, String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String rest = path.substring("/routes".length());
        String[] parts = rest.isEmpty() || rest.equals("/") ? new String[0] : rest.substring(1).split("/", -1);
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (parts.length == 0 || parts.length == 1 && !parts[0].isEmpty()) {
            if (allowed(read, response, "GET, HEAD")) {
                withAdmin(request, response, (client, routes) -> {
                    if (parts.length == 0) {
                        list(routes, response);
                    } else if (parts[0].equals("pending")) {
                        pending(routes, response);
                    } else {
                        one(routes, parts[0], response);
                    }
                });
            }
        } else if (parts.length == 3 && parts[0].equals("pending") && !parts[1].isEmpty()
                && (parts[2].equals("confirm") || parts[2].equals("reject"))) {
            if (allowed(method.equals("POST"), response, "POST")) {
                withAdmin(request, response, (client, routes) -> decide(client, routes, parts[1],
                        parts[2].equals("confirm"), request, response));
            }
        } else {
            ApiServlet.problem(response, 404, "Not found", "There is no resource at /api/v1" + path
                    + "; the resources are /routes, /routes/{routeId}, /routes/pending, "
                    + "/routes/pending/{id}/confirm and /routes/pending/{id}/reject.");
        }
    }

    private interface Action {
        void run(ApiClient client, RouteAdmin routes) throws IOException;
    }

    private void withAdmin(HttpServletRequest request, HttpServletResponse response, Action action)
            throws IOException {
        Optional<ApiClient> client = authentication.require(request, response, Role.OPERATOR,
                "The routes API needs");
        if (client.isEmpty()) {
            return;
        }
        RouteAdmin current = admin.get();
        if (current == null) {
            response.setHeader("Retry-After", "10");
            ApiServlet.problem(response, 503, "Routing not available", "The routing component (bundle "
                    + "nl.lantaarn.routing) is not running, so there are no routes and no pending actions; "
                    + "/api/v1/health says why.");
            return;
        }
        action.run(client.get(), current);
    }

    private static boolean allowed(boolean ok, HttpServletResponse response, String allow) throws IOException {
        if (!ok) {
            response.setHeader("Allow", allow);
            ApiServlet.problem(response, 405, "Method not allowed", "Use " + allow + " here.");
        }
        return ok;
    }

    private static void list(RouteAdmin routes, HttpServletResponse response) throws IOException {
        var array = JsonArray.newBuilder();
        routes.list().forEach(status -> array.add(route(status)));
        ApiServlet.json(response, 200, array.build().toString());
    }

    private static void one(RouteAdmin routes, String id, HttpServletResponse response) throws IOException {
        List<RouteStatus> all = routes.list();
        Optional<RouteStatus> status = all.stream().filter(s -> s.id().equals(id)).findFirst();
        if (status.isEmpty()) {
            List<String> ids = all.stream().map(RouteStatus::id).toList();
            ApiServlet.problem(response, 404, "Route not found", "There is no route '" + AdapterFiles.shorten(id)
                    + "'; " + (ids.isEmpty() ? "no route is loaded" : "the routes are " + String.join(", ", ids))
                    + ". Routes are the YAML files in the hub's routes folder.");
            return;
        }
        ApiServlet.json(response, 200, route(status.get()).toString());
    }

    private static void pending(RouteAdmin routes, HttpServletResponse response) throws IOException {
        var array = JsonArray.newBuilder();
        routes.pending().forEach(action -> array.add(action(action)));
        ApiServlet.json(response, 200, array.build().toString());
    }

    private static void decide(ApiClient client, RouteAdmin routes, String id, boolean confirm,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<PendingAction> decided;
        String reason = null;
        if (confirm) {
            decided = routes.confirm(id, client.name());
        } else {
            try {
                reason = reason(request);
            } catch (Params.BadParameter e) {
                ApiServlet.problem(response, 400, "Bad request", e.getMessage());
                return;
            }
            decided = routes.reject(id, client.name(), reason);
        }
        if (decided.isEmpty()) {
            LOG.info("{} could not {} pending action {}: there is no such pending action", client.name(),
                    confirm ? "confirm" : "reject", AdapterFiles.shorten(id));
            ApiServlet.problem(response, 404, "Pending action not found", "There is no pending action '"
                    + AdapterFiles.shorten(id) + "': it may have been confirmed, rejected or expired already. "
                    + "GET /api/v1/routes/pending lists the actions that wait.");
            return;
        }
        JsonObject body = JsonObject.newBuilder()
                .set("outcome", confirm ? "confirmed" : "rejected")
                .set("decidedBy", client.name())
                .set("reason", reason == null ? JsonValue.nullLiteral() : JsonValue.of(reason))
                .set("action", action(decided.get()))
                .build();
        ApiServlet.json(response, 200, body.toString());
    }

    /** The optional reason of a rejection: a JSON body {@code {"reason":"..."}}, or none. */
    private static String reason(HttpServletRequest request) throws IOException {
        byte[] bytes;
        try {
            bytes = Bodies.read(request, MAX_REJECT_BODY_BYTES);
        } catch (Bodies.TooLarge e) {
            throw new Params.BadParameter("A rejection's body is at most " + Bodies.size(MAX_REJECT_BODY_BYTES)
                    + ": {\"reason\":\"...\"}.");
        }
        String text = new String(bytes, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return null;
        }
        Optional<JsonValue> reason;
        try {
            reason = JsonObject.of(text).getValue("reason");
        } catch (RuntimeException e) {
            throw new Params.BadParameter("A rejection's body must be empty or a JSON object such as "
                    + "{\"reason\":\"false alarm\"}; it is not (" + e.getMessage() + ").");
        }
        if (reason.isEmpty() || reason.get().isNull()) {
            return null;
        }
        if (!reason.get().isString() || reason.get().asString().length() > MAX_REASON_CHARS) {
            throw new Params.BadParameter("'reason' must be a string of at most " + MAX_REASON_CHARS
                    + " characters.");
        }
        return reason.get().asString().isBlank() ? null : reason.get().asString().trim();
    }

    static JsonObject route(RouteStatus status) {
        return JsonObject.newBuilder()
                .set("id", status.id())
                .set("file", status.file())
                .set("description", text(status.description()))
                .set("purpose", text(status.purpose()))
                .set("legalBasis", text(status.legalBasis()))
                .set("owner", text(status.owner()))
                .set("state", status.state())
                .set("counters", JsonObject.newBuilder()
                        .set("in", status.in())
                        .set("out", status.out())
                        .set("failed", status.failed())
                        .set("retried", status.retried())
                        .set("deadLettered", status.deadLettered())
                        .set("suppressed", status.suppressed())
                        .set("confirmed", status.confirmed())
                        .set("rejected", status.rejected())
                        .set("expired", status.expired())
                        .build())
                .build();
    }

    static JsonObject action(PendingAction action) {
        return JsonObject.newBuilder()
                .set("id", action.id())
                .set("route", action.route())
                .set("thing", text(action.thing()))
                .set("action", action.action())
                .set("bodySummary", action.bodySummary())
                .set("created", action.created().toString())
                .set("expires", action.expires().toString())
                .build();
    }

    private static JsonValue text(String value) {
        return value == null ? JsonValue.nullLiteral() : JsonValue.of(value);
    }
}
