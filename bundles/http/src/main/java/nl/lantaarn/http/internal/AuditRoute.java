package nl.lantaarn.http.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.api.AuditLog;
import nl.lantaarn.audit.api.AuditPage;
import nl.lantaarn.audit.api.AuditQuery;
import nl.lantaarn.audit.api.AuditRecord;
import nl.lantaarn.security.api.Role;

/**
 * {@code GET /api/v1/audit}: the audit trail, newest first, filtered by time, actor, thing, purpose and kind, paged
 * with a cursor (the sequence number below which the next page starts). Needs role admin: the trail says what every
 * client did and from which address, operators' own actions included.
 */
final class AuditRoute {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRoute.class);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> PARAMETERS = Set.of("from", "to", "actor", "thing", "purpose", "kind", "limit",
            "cursor");

    private final Authentication authentication;
    private final Supplier<AuditLog> log;

    AuditRoute(Authentication authentication, Supplier<AuditLog> log) {
        this.authentication = authentication;
        this.log = log;
    }

    static boolean matches(String path) {
        return path.equals("/audit") || path.startsWith("/audit/");
    }

    void handle(String method, String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (authentication.require(request, response, Role.ADMIN, "Reading the audit trail needs").isEmpty()) {
            return;
        }
        if (!path.equals("/audit")) {
            ApiServlet.problem(response, 404, "Not found", "There is no resource at /api/v1" + path
                    + "; the audit trail is read at /api/v1/audit (filters and paging as query parameters).");
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            ApiServlet.problem(response, 405, "Method not allowed", "The audit trail is append-only and read-only "
                    + "through the API; use GET.");
            return;
        }
        AuditQuery query;
        try {
            query = query(request);
        } catch (Params.BadParameter e) {
            ApiServlet.problem(response, 400, "Bad request", e.getMessage());
            return;
        }
        AuditLog current = log.get();
        if (current == null) {
            response.setHeader("Retry-After", "10");
            ApiServlet.problem(response, 503, "Service unavailable", "The audit trail (bundle nl.lantaarn.audit) is "
                    + "not running; check /api/v1/health and the hub's log.");
            return;
        }
        AuditPage page;
        try {
            page = current.query(query);
        } catch (IOException e) {
            LOG.warn("Cannot read the audit trail: {}", e.toString());
            response.setHeader("Retry-After", "10");
            ApiServlet.problem(response, 503, "Service unavailable", "The audit trail's files cannot be read ("
                    + e.getMessage() + "); check the folder's permissions and the disk.");
            return;
        }
        var entries = JsonArray.newBuilder();
        for (AuditRecord record : page.records()) {
            entries.add(render(record));
        }
        var body = JsonObject.newBuilder().set("entries", entries.build());
        if (page.next().isPresent()) {
            String next = nextLink(request, page.next().getAsLong());
            body.set("next", next);
            response.setHeader("Link", "<" + next + ">; rel=\"next\"");
        }
        ApiServlet.json(response, 200, body.build().toString());
    }

    static JsonObject render(AuditRecord record) {
        AuditEntry entry = record.entry();
        return JsonObject.newBuilder()
                .set("sequence", record.sequence())
                .set("time", record.time().toString())
                .set("kind", entry.kind().id())
                .set("actor", entry.actor())
                .set("purpose", entry.purpose())
                .set("resource", entry.resource())
                .set("thingId", entry.thingId())
                .set("outcome", entry.outcome())
                .set("detail", entry.detail())
                .build();
    }

    private static AuditQuery query(HttpServletRequest request) {
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            if (!PARAMETERS.contains(parameter.getKey())) {
                throw new Params.BadParameter("Unknown query parameter '" + parameter.getKey() + "'; the audit "
                        + "trail is filtered with " + String.join(", ", PARAMETERS.stream().sorted().toList()) + ".");
            }
            if (parameter.getValue().length > 1 && !parameter.getKey().equals("kind")) {
                throw new Params.BadParameter("Query parameter '" + parameter.getKey() + "' may be given once; only "
                        + "'kind' may be repeated.");
            }
        }
        Instant from = Params.instant(request, "from");
        Instant to = Params.instant(request, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new Params.BadParameter("Query parameter 'from' (" + from + ") must be before 'to' (" + to + ").");
        }
        EnumSet<AuditKind> kinds = EnumSet.noneOf(AuditKind.class);
        String[] kindValues = request.getParameterValues("kind");
        if (kindValues != null) {
            for (String value : kindValues) {
                for (String one : value.split(",")) {
                    kinds.add(AuditKind.of(one.trim()).orElseThrow(() -> new Params.BadParameter("Query parameter "
                            + "'kind' must be one of " + Arrays.stream(AuditKind.values()).map(AuditKind::id)
                                    .collect(Collectors.joining(", ")) + ", was '" + one.trim() + "'.")));
                }
            }
        }
        int limit = Params.integer(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        long cursor = 0;
        String cursorText = request.getParameter("cursor");
        if (cursorText != null) {
            try {
                cursor = Long.parseLong(cursorText.trim());
            } catch (NumberFormatException e) {
                cursor = -1;
            }
            if (cursor < 1) {
                throw new Params.BadParameter("Query parameter 'cursor' must be the 'next' cursor of a previous page "
                        + "(a positive whole number), was '" + cursorText + "'.");
            }
        }
        return new AuditQuery(from, to, Params.text(request, "actor", 200), Params.text(request, "thing", 512),
                Params.text(request, "purpose", 500), kinds, cursor, limit);
    }

    /** The same request with the cursor of the next page. */
    private static String nextLink(HttpServletRequest request, long cursor) {
        StringBuilder link = new StringBuilder(request.getRequestURI()).append('?');
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            if (parameter.getKey().equals("cursor")) {
                continue;
            }
            for (String value : parameter.getValue()) {
                link.append(encode(parameter.getKey())).append('=').append(encode(value)).append('&');
            }
        }
        return link.append("cursor=").append(cursor).toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
