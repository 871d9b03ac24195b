package nl.lantaarn.dpia.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.json.JsonObject;
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
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.notify.api.NotificationService;
import nl.lantaarn.routing.api.RouteAdmin;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.Role;

/**
 * {@code GET /api/v1/dpia}: the DPIA fact sheet of the running configuration, for operators. Markdown
 * ({@code text/markdown}) or printable HTML ({@code text/html}): {@code ?format=md|html} decides, else the
 * {@code Accept} header, else Markdown. Whatever is not running (adapter runtime, routing, notifications) is named
 * in the sheet's notes instead of failing the request.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/dpia")
public final class DpiaServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The same contract version as the rest of /api/v1 (bundles/http). */
    static final String API_VERSION = "0.1.0";
    static final String MARKDOWN = "text/markdown";
    static final String HTML = "text/html";

    private final transient Authenticator authenticator;
    private final transient Clock clock;
    private final transient Map<AdapterFactory, AdapterType> types = new ConcurrentHashMap<>();
    private transient volatile AdapterAdmin adapters;
    private transient volatile RouteAdmin routes;
    private transient volatile NotificationService notifications;

    @Activate
    public DpiaServlet(@Reference Authenticator authenticator) {
        this(authenticator, Clock.systemUTC());
    }

    DpiaServlet(Authenticator authenticator, Clock clock) {
        this.authenticator = authenticator;
        this.clock = clock;
    }

    /** Every adapter type present, also those without an instance; its type is read once, as the runtime does. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFactory(AdapterFactory factory) {
        try {
            types.put(factory, factory.type());
        } catch (RuntimeException e) {
            // an adapter whose type() throws is shown by its instances, as "bundle not present"
        }
    }

    void removeFactory(AdapterFactory factory) {
        types.remove(factory);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAdapters(AdapterAdmin service) {
        adapters = service;
    }

    void unsetAdapters(AdapterAdmin service) {
        if (adapters == service) {
            adapters = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setRoutes(RouteAdmin service) {
        routes = service;
    }

    void unsetRoutes(RouteAdmin service) {
        if (routes == service) {
            routes = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setNotifications(NotificationService service) {
        notifications = service;
    }

    void unsetNotifications(NotificationService service) {
        if (notifications == service) {
            notifications = null;
        }
    }

    /** The fact sheet of what runs now. */
    FactSheet factSheet() {
        AdapterAdmin adapterAdmin = adapters;
        RouteAdmin routeAdmin = routes;
        NotificationService notify = notifications;
        return FactSheetGenerator.generate(new FactSheetGenerator.Configuration(new ArrayList<>(types.values()),
                adapterAdmin == null ? null : adapterAdmin.list(), routeAdmin == null ? null : routeAdmin.list(),
                routeAdmin == null ? null : routeAdmin.outlines(), notify == null ? null : notify.channels()),
                clock.instant());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("API-Version", API_VERSION);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            problem(response, 405, "Method not allowed", "The DPIA fact sheet is read-only; use GET /api/v1/dpia.");
            return;
        }
        Optional<ApiClient> client = authenticator.authenticate(request.getHeader("Authorization"),
                request.getHeader("X-API-Key"));
        if (client.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"lantaarn\"");
            problem(response, 401, "Unauthorized", "The request has no API key, or one this hub does not know. The "
                    + "DPIA fact sheet needs an API key with role operator, sent as 'Authorization: Bearer <key>' or "
                    + "'X-API-Key: <key>'; create one with: ./lantaarn clients add <name> --role operator --purpose "
                    + "hub-operations. Without a key, ./lantaarn dpia writes the fact sheet from the configuration files.");
            return;
        }
        if (!client.get().may(Role.OPERATOR)) {
            problem(response, 403, "Forbidden", "The DPIA fact sheet needs role operator (or admin); API client '"
                    + client.get().name() + "' has " + (client.get().roles().isEmpty() ? "no role"
                            : "role " + client.get().roles().iterator().next().name().toLowerCase(Locale.ROOT))
                    + ". Use an operator's key, or add one: ./lantaarn clients add <name> --role operator "
                    + "--purpose <why>.");
            return;
        }
        String type;
        try {
            type = mediaType(request.getParameter("format"), request.getHeader("Accept"));
        } catch (NotAcceptable e) {
            problem(response, e.status, e.status == 400 ? "Bad request" : "Not acceptable", e.getMessage());
            return;
        }
        FactSheet sheet = factSheet();
        response.setHeader("Vary", "Accept");
        if (type.equals(HTML)) {
            // a static page: its own style, nothing else, in no frame
            response.setHeader("Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
            write(response, 200, HTML + ";charset=utf-8", HtmlFactSheet.render(sheet));
        } else {
            write(response, 200, MARKDOWN + ";charset=utf-8;variant=CommonMark", MarkdownFactSheet.render(sheet));
        }
    }

    static final class NotAcceptable extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        NotAcceptable(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /**
     * {@code format} ({@code md}, {@code markdown}, {@code html}) wins over {@code Accept}; of the media ranges in
     * {@code Accept} the one with the highest q that names Markdown or HTML (or {@code text/*}, {@code *}{@code /*}:
     * Markdown) decides; no {@code Accept}: Markdown.
     */
    static String mediaType(String format, String accept) throws NotAcceptable {
        if (format != null) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "md", "markdown" -> MARKDOWN;
                case "html" -> HTML;
                default -> throw new NotAcceptable(400, "Query parameter 'format' must be md (Markdown) or html "
                        + "(printable HTML); '" + shorten(format) + "' is neither.");
            };
        }
        if (accept == null || accept.isBlank()) {
            return MARKDOWN;
        }
        String best = null;
        double bestQ = 0;
        boolean bestWildcard = true;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String media = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip();
                if (parameter.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            String candidate = switch (media) {
                case MARKDOWN, "text/x-markdown" -> MARKDOWN;
                case HTML, "application/xhtml+xml" -> HTML;
                case "text/*", "*/*" -> MARKDOWN;
                default -> null;
            };
            boolean wildcard = media.endsWith("/*");
            // the highest q wins; at the same q a named type beats a wildcard
            if (candidate != null && q > 0 && (q > bestQ || q == bestQ && bestWildcard && !wildcard)) {
                best = candidate;
                bestQ = q;
                bestWildcard = wildcard;
            }
        }
        if (best == null) {
            throw new NotAcceptable(406, "The DPIA fact sheet is text/markdown or text/html; the Accept header '"
                    + shorten(accept) + "' takes neither. Send Accept: text/markdown or text/html, or use "
                    + "?format=md or ?format=html.");
        }
        return best;
    }

    private static String shorten(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    static void problem(HttpServletResponse response, int status, String title, String detail) throws IOException {
        JsonObject body = JsonObject.newBuilder().set("type", "about:blank").set("title", title).set("status", status)
                .set("detail", detail).build();
        write(response, status, "application/problem+json", body.toString());
    }

    private static void write(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
