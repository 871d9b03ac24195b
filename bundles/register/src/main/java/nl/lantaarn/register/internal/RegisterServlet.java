package nl.lantaarn.register.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.ditto.json.JsonObject;
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

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinService;

/**
 * The public sensor register, anonymous: {@code GET /register} (GeoJSON, or by {@code Accept} CSV or the HTML page),
 * {@code /register.geojson}, {@code /register.csv}, and the page at {@code /register/} (Dutch, or English by
 * {@code ?lang=en} or {@code Accept-Language}). Paged by {@code limit} and {@code offset}; public data, so cacheable,
 * with an {@code ETag} and {@code 304} for an unchanged page. Errors are problem+json naming what to change.
 */
@Component(service = Servlet.class, configurationPid = RegisterServlet.PID)
@Designate(ocd = RegisterServlet.Config.class)
@HttpWhiteboardServletPattern({"/register", "/register/*", "/register.csv", "/register.geojson"})
public final class RegisterServlet extends HttpServlet {

    static final String PID = "nl.lantaarn.register";
    static final String API_VERSION = "0.1.0";
    static final String GEOJSON = "application/geo+json";
    static final String CSV = "text/csv";
    static final String HTML = "text/html";
    static final int MAX_DATA_LIMIT = 10_000;
    static final int DEFAULT_DATA_LIMIT = 1_000;
    static final int MAX_PAGE_LIMIT = 1_000;
    static final int DEFAULT_PAGE_LIMIT = 100;
    private static final Set<String> PARAMETERS = Set.of("limit", "offset", "lang");
    private static final long serialVersionUID = 1L;

    @ObjectClassDefinition(name = "Lantaarn sensor register",
            description = "The public sensor register (/register) and the deactivation of sensors past activeUntil.")
    public @interface Config {
        @AttributeDefinition(description = "Shown after the page's title, e.g. the municipality: Gemeente Eindhoven. "
                + "Empty: none.")
        String heading() default "";

        @AttributeDefinition(description = "Seconds browsers and proxies may keep an answer (Cache-Control max-age).",
                min = "0")
        int maxAgeSeconds() default 300;

        @AttributeDefinition(description = "Seconds between the checks that mark sensors past activeUntil inactive "
                + "on their thing (attributes/register/active). Their data is refused from the first moment after "
                + "activeUntil whatever this says.", min = "10")
        int checkIntervalSeconds() default 300;
    }

    private final transient TwinService twin;
    private final transient Clock clock;
    private transient volatile ThingSearch search;
    private volatile String heading = "";
    private volatile int maxAgeSeconds = 300;
    private final byte[] css;

    @Activate
    public RegisterServlet(@Reference TwinService twin, Config config) {
        this(twin, Clock.systemDefaultZone());
        modified(config);
    }

    RegisterServlet(TwinService twin, Clock clock) {
        this.twin = twin;
        this.clock = clock;
        try (InputStream in = RegisterServlet.class.getResourceAsStream("register.css")) {
            this.css = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("register.css is missing from the bundle", e);
        }
    }

    @Modified
    void modified(Config config) {
        settings(config.heading() == null ? "" : config.heading().strip(), Math.max(0, config.maxAgeSeconds()));
    }

    void settings(String heading, int maxAgeSeconds) {
        this.heading = heading;
        this.maxAgeSeconds = maxAgeSeconds;
    }

    /** Zones: areas of sensors by location, and their display names. Optional: without it, zone ids show. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSearch(ThingSearch search) {
        this.search = search;
    }

    void unsetSearch(ThingSearch gone) {
        if (search == gone) {
            search = null;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        securityHeaders(request, response, false);
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            problem(response, 405, "Method not allowed", "The sensor register is read-only: use GET (or HEAD). "
                    + "Register a sensor in its adapter instance's configuration or on its thing (attributes/register).");
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String base = request.getContextPath() + "/register";
        try {
            switch (path) {
                case "/register" -> {
                    String type = negotiate(request.getHeader("Accept"));
                    if (type == null) {
                        problem(response, 406, "Not acceptable", "The register is available as " + GEOJSON + ", "
                                + "application/json, " + CSV + " and " + HTML + "; send one of them in Accept, or "
                                + "use /register.geojson, /register.csv or /register/.");
                        return;
                    }
                    response.setHeader("Vary", "Accept, Accept-Language");
                    answer(request, response, type, base);
                }
                case "/register.geojson" -> answer(request, response, GEOJSON, base);
                case "/register.csv" -> answer(request, response, CSV, base);
                case "/register/", "/register/index.html" -> {
                    response.setHeader("Vary", "Accept-Language");
                    answer(request, response, HTML, base);
                }
                case "/register/register.css" -> send(request, response, "text/css; charset=utf-8", css);
                default -> problem(response, 404, "Not found", "No such part of the sensor register: " + path
                        + ". The register is at /register, /register.geojson, /register.csv and /register/.");
            }
        } catch (BadParameter e) {
            problem(response, 400, "Bad request", e.getMessage());
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, String type, String base)
            throws IOException, BadParameter {
        boolean page = HTML.equals(type);
        for (String name : request.getParameterMap().keySet()) {
            if (!PARAMETERS.contains(name) || (!page && "lang".equals(name))) {
                throw new BadParameter("Query parameter '" + name + "' is not known here; the register takes "
                        + (page ? "limit, offset and lang" : "limit and offset") + ".");
            }
        }
        int limit = integer(request, "limit", page ? DEFAULT_PAGE_LIMIT : DEFAULT_DATA_LIMIT, 1,
                page ? MAX_PAGE_LIMIT : MAX_DATA_LIMIT);
        int offset = integer(request, "offset", 0, 0, Integer.MAX_VALUE);
        PageTexts texts;
        try {
            texts = PageTexts.choose(single(request, "lang"), request.getHeader("Accept-Language"));
        } catch (IllegalArgumentException e) {
            throw new BadParameter(e.getMessage() + ": the page is in Dutch (nl, the default) and English (en).");
        }
        String today = LocalDate.now(clock).toString();
        List<RegisterEntry> all = RegisterEntries.read(twin.list(), search, today);
        List<RegisterEntry> slice = offset >= all.size() ? List.of()
                : all.subList(offset, (int) Math.min((long) offset + limit, all.size()));
        response.setHeader("X-Total-Count", Integer.toString(all.size()));
        byte[] body;
        String contentType;
        if (page) {
            body = RegisterPage.render(slice, all.size(), offset, limit, texts, base, heading)
                    .getBytes(StandardCharsets.UTF_8);
            contentType = "text/html; charset=utf-8";
            response.setHeader("Content-Language", texts.code);
            securityHeaders(request, response, true);
        } else {
            links(response, request.getRequestURI(), offset, limit, all.size());
            response.setHeader("Access-Control-Allow-Origin", "*");
            if (CSV.equals(type)) {
                body = RegisterFormats.csv(slice).getBytes(StandardCharsets.UTF_8);
                contentType = "text/csv; charset=utf-8; header=present";
            } else {
                JsonObject json = RegisterFormats.geoJson(slice, all.size());
                body = json.toString().getBytes(StandardCharsets.UTF_8);
                contentType = "application/json".equals(type) ? "application/json" : GEOJSON;
            }
        }
        send(request, response, contentType, body);
    }

    /** RFC 8288 links to the previous and next page, when there are. */
    private static void links(HttpServletResponse response, String uri, int offset, int limit, int total) {
        StringBuilder links = new StringBuilder();
        if (offset + limit < total) {
            links.append('<').append(uri).append("?offset=").append(offset + limit).append("&limit=").append(limit)
                    .append(">; rel=\"next\"");
        }
        if (offset > 0) {
            links.append(links.isEmpty() ? "" : ", ").append('<').append(uri).append("?offset=")
                    .append(Math.max(0, offset - limit)).append("&limit=").append(limit).append(">; rel=\"prev\"");
        }
        if (!links.isEmpty()) {
            response.setHeader("Link", links.toString());
        }
    }

    /** With a strong ETag of the body; 304 when the client has it already. */
    private void send(HttpServletRequest request, HttpServletResponse response, String contentType, byte[] body)
            throws IOException {
        String etag = "\"" + HexFormat.of().formatHex(sha256(body), 0, 16) + "\"";
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "public, max-age=" + maxAgeSeconds);
        String known = request.getHeader("If-None-Match");
        if (known != null && (known.equals("*") || List.of(known.split("\\s*,\\s*")).contains(etag))) {
            response.setStatus(304);
            return;
        }
        response.setStatus(200);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The best of the register's media types for {@code Accept}: GeoJSON for none or {@code * / *}, {@code null} when
     * none is acceptable. Of equal weight, the more specific range wins, then the order GeoJSON, JSON, CSV, HTML.
     */
    static String negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return GEOJSON;
        }
        String best = null;
        double bestQ = 0;
        int bestSpecificity = -1;
        for (String part : accept.split(",")) {
            String[] pieces = part.trim().split(";");
            String range = pieces[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].trim();
                if (parameter.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (q <= 0) {
                continue;
            }
            int specificity = range.equals("*/*") ? 0 : range.endsWith("/*") ? 1 : 2;
            for (String type : List.of(GEOJSON, "application/json", CSV, HTML)) {
                boolean matches = range.equals("*/*") || range.equals(type)
                        || (range.endsWith("/*") && type.startsWith(range.substring(0, range.length() - 1)));
                if (matches && (q > bestQ || (q == bestQ && specificity > bestSpecificity))) {
                    best = type;
                    bestQ = q;
                    bestSpecificity = specificity;
                }
            }
        }
        return best;
    }

    private static String single(HttpServletRequest request, String name) throws BadParameter {
        String[] values = request.getParameterValues(name);
        if (values == null) {
            return null;
        }
        if (values.length > 1) {
            throw new BadParameter("Query parameter '" + name + "' is given " + values.length + " times; give it once.");
        }
        return values[0];
    }

    private static int integer(HttpServletRequest request, String name, int fallback, int min, int max)
            throws BadParameter {
        String value = single(request, name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new BadParameter("Query parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", was '" + value + "'.");
    }

    /**
     * The security headers of the Dutch API Design Rules, and for the page a content security policy that allows
     * only its own style sheet: no scripts, no frames, no forms.
     */
    private static void securityHeaders(HttpServletRequest request, HttpServletResponse response, boolean page) {
        response.setHeader("API-Version", API_VERSION);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", page
                ? "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
                        + "frame-ancestors 'none'"
                : "default-src 'none'; frame-ancestors 'none'");
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
    }

    private static void problem(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        byte[] body = JsonObject.newBuilder().set("type", "about:blank").set("title", title).set("status", status)
                .set("detail", detail).build().toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/problem+json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A query parameter that is not right; the message says what to change. */
    private static final class BadParameter extends Exception {
        private static final long serialVersionUID = 1L;

        BadParameter(String message) {
            super(message, null, false, false);
        }
    }
}
