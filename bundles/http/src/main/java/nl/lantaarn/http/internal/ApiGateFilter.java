package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

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
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.api.AuditTrail;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;

/**
 * The gate every API request passes ({@code /api/v1}, search's included, the Ditto-compatible {@code /api/2} and
 * {@code /ws/2}, the webhooks under {@code /ingest}, and the public sensor register under {@code /register}): it
 * finds out once who is calling (the servlets of this bundle take the answer from the request, see {@link Authentication#CLIENT_ATTRIBUTE}), takes a token from that
 * client's {@link RateBucket} (or its remote address's, without a known key) and answers 429 with
 * {@code Retry-After} when there is none, and hands every request's outcome to the hub's {@link AuditTrail} as an
 * {@code api-access} entry (the trail only queues it). Health and the contract are audited only when refused (4xx):
 * they are anonymous reads that monitors poll. Without the audit bundle requests are served and counted as
 * unaudited (metrics), with one WARN.
 * <p>
 * Ranked below {@link ApiHeadersFilter}, so a 429 under {@code /api/v1} carries the security headers too. On the
 * path of every request: no lock, no logging, one small record for the audit queue.
 */
@Component(service = {Filter.class, MetricsSource.class}, configurationPid = ApiGateFilter.PID,
        property = "service.ranking:Integer=-10")
@Designate(ocd = ApiGateFilter.Config.class)
@HttpWhiteboardFilterPattern({"/api/v1/*", "/api/2/*", "/ws/2", "/ingest/*", "/register", "/register/*",
        "/register.csv", "/register.geojson"})
@HttpWhiteboardFilterAsyncSupported
public final class ApiGateFilter implements Filter, MetricsSource {

    static final String PID = "nl.lantaarn.http.ratelimit";

    @ObjectClassDefinition(name = "Lantaarn API rate limit",
            description = "Token buckets per API client and, for requests without a known key, per remote address.")
    public @interface Config {
        @AttributeDefinition(description = "Requests per second an API client may make on average (a decimal "
                + "number, e.g. 50 or 0.5); a client file's rateLimit overrides it for that client.")
        String requestsPerSecond() default "100";

        @AttributeDefinition(description = "Requests an API client may make at once after a quiet spell; a client "
                + "file's rateBurst overrides it for that client.")
        String burst() default "200";

        @AttributeDefinition(description = "Requests per second from one remote address (an IPv6 /64) without a "
                + "known API key: health, the contract, the Open311 reads, refused keys.")
        String anonymousRequestsPerSecond() default "10";

        @AttributeDefinition(description = "Requests at once from one remote address without a known API key.")
        String anonymousBurst() default "50";

        @AttributeDefinition(description = "Remote addresses whose buckets are kept; beyond it, new addresses share "
                + "one bucket until older ones are full again.", min = "1")
        int maxAnonymousAddresses() default 10_000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiGateFilter.class);
    static final RateLimit DEFAULT_CLIENT = new RateLimit(100, 200);
    static final RateLimit DEFAULT_ANONYMOUS = new RateLimit(10, 50);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Anonymous reads that monitors poll: audited only when refused. */
    private static final Set<String> QUIET = Set.of("/api/v1/health", "/api/v1/openapi.json",
            "/api/v1/openapi.yaml");
    /** The public sensor register (bundle nl.lantaarn.register): anonymous, rate limited, audited only when refused. */
    private static final String PUBLIC_REGISTER = "/register";

    static final String ANONYMOUS = "anonymous";
    /** A longer path is cut: the entry is to say what was asked for, not to keep whatever a client sends. */
    static final int MAX_RESOURCE = 2048;

    private final Authenticator authenticator;
    private volatile AuditTrail audit;
    private final LongAdder unaudited = new LongAdder();
    private volatile boolean warnedUnaudited;
    private final LongSupplier nanoTime;
    private final Map<ClientFile, Boolean> files = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> limited = new ConcurrentHashMap<>();
    private volatile RateLimiter limiter;

    @Activate
    public ApiGateFilter(@Reference Authenticator authenticator, Config config) {
        this(authenticator, null, System::nanoTime);
        modified(config);
    }

    /** For tests: {@code nanoTime} is the clock the buckets refill by; limits come with {@link #limits}. */
    ApiGateFilter(Authenticator authenticator, AuditTrail audit, LongSupplier nanoTime) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.nanoTime = nanoTime;
        this.limiter = new RateLimiter(DEFAULT_CLIENT, DEFAULT_ANONYMOUS, 10_000, nanoTime.getAsLong());
    }

    /** A changed configuration applies at once; every bucket starts full. */
    @Modified
    void modified(Config config) {
        limits(limit("requestsPerSecond", config.requestsPerSecond(), "burst", config.burst(), DEFAULT_CLIENT),
                limit("anonymousRequestsPerSecond", config.anonymousRequestsPerSecond(), "anonymousBurst",
                        config.anonymousBurst(), DEFAULT_ANONYMOUS),
                config.maxAnonymousAddresses());
    }

    /** A bad value falls back to the default: refusing to start would leave the API without any limit. */
    private static RateLimit limit(String rateName, String rate, String burstName, String burst, RateLimit fallback) {
        try {
            return fallback.with(RateLimit.perSecond(rateName, rate), RateLimit.burst(burstName, burst));
        } catch (IllegalArgumentException e) {
            LOG.error("{} in etc/{}.cfg; using {} = {} and {} = {} until it is fixed.", e.getMessage(), PID, rateName,
                    fallback.perSecond(), burstName, fallback.burst());
            return fallback;
        }
    }

    synchronized void limits(RateLimit clients, RateLimit anonymous, int maxAddresses) {
        RateLimiter next = new RateLimiter(clients, anonymous, Math.max(1, maxAddresses), nanoTime.getAsLong());
        next.overrides(overrides(clients));
        limiter = next;
        LOG.debug("API rate limit: {} per client, {} per address without a key", clients.describe(),
                anonymous.describe());
    }

    /** The hub's audit trail (bundle nl.lantaarn.audit): optional, so that the API serves while it restarts. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAudit(AuditTrail trail) {
        audit = trail;
    }

    void unsetAudit(AuditTrail trail) {
        if (audit == trail) {
            audit = null;
        }
    }

    /** A client file: its own rateLimit / rateBurst, if it has them, count from the next request. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addClientFile(ClientFile file) {
        files.put(file, Boolean.TRUE);
        refreshOverrides();
    }

    void removeClientFile(ClientFile file) {
        files.remove(file);
        refreshOverrides();
    }

    private synchronized void refreshOverrides() {
        RateLimiter current = limiter;
        current.overrides(overrides(current.clientDefault()));
    }

    private Map<String, RateLimit> overrides(RateLimit defaults) {
        Map<String, RateLimit> byClient = new HashMap<>();
        files.keySet().forEach(file -> file.entry().filter(entry -> file.hasRateLimit())
                .ifPresent(entry -> byClient.put(entry.client().name(), file.rateLimit(defaults))));
        return byClient;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        Optional<ApiClient> client = authenticator.authenticate(request.getHeader("Authorization"),
                request.getHeader("X-API-Key"));
        request.setAttribute(Authentication.CLIENT_ATTRIBUTE, client);
        String name = client.isPresent() ? client.get().name() : null;
        String purpose = client.isPresent() ? client.get().purpose() : null;
        String address = request.getRemoteAddr();
        RateLimiter current = limiter;
        long wait = name != null ? current.client(name, nanoTime.getAsLong())
                : current.anonymous(address, nanoTime.getAsLong());
        String uri = request.getRequestURI();
        if (wait > 0) {
            tooManyRequests(request, response, current, name, address, wait);
            audit(name, purpose, request.getMethod(), uri, 429, address);
            return;
        }
        boolean completed = false;
        try {
            chain.doFilter(request, response);
            completed = true;
        } finally {
            int status = completed || response.isCommitted() ? response.getStatus() : 500;
            String resource = resource(request, uri);
            if (status >= 400 || !(QUIET.contains(resource) || resource.startsWith(PUBLIC_REGISTER))) {
                audit(name, purpose, request.getMethod(), uri, status, address);
            }
        }
    }

    /** One {@code api-access} entry; the trail only queues it. Never a key, a header or the query string. */
    private void audit(String client, String purpose, String method, String uri, int status, String address) {
        AuditTrail trail = audit;
        if (trail == null) {
            unaudited.increment();
            if (!warnedUnaudited) {
                warnedUnaudited = true;
                LOG.warn("No audit trail (bundle nl.lantaarn.audit) is running: API requests are served but not "
                        + "audited; see lantaarn_api_requests_unaudited_total in /api/v1/metrics");
            }
            return;
        }
        String resource = uri.length() > MAX_RESOURCE ? uri.substring(0, MAX_RESOURCE) + "..." : uri;
        trail.record(new AuditEntry(AuditKind.API_ACCESS, client == null ? ANONYMOUS : client,
                client == null ? "" : purpose, method + " " + resource, thingId(resource), Integer.toString(status),
                "from " + address));
    }

    /** The thing a request is about ({@code /api/v1/things/{id}/...}, {@code /api/2/things/{id}/...}), or "". */
    static String thingId(String uri) {
        int at = uri.indexOf("/things/");
        if (at < 0 || !(uri.startsWith("/api/v1/") || uri.startsWith("/api/2/"))) {
            return "";
        }
        int start = at + "/things/".length();
        int end = uri.indexOf('/', start);
        String id = end < 0 ? uri.substring(start) : uri.substring(start, end);
        if (id.indexOf('%') >= 0) {
            try {
                id = java.net.URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return id.indexOf(':') > 0 ? id : "";
    }

    /** The path inside the servlet context (the whiteboard's is usually the root). */
    private static String resource(HttpServletRequest request, String uri) {
        String context = request.getContextPath();
        return context.isEmpty() || !uri.startsWith(context) ? uri : uri.substring(context.length());
    }

    private void tooManyRequests(HttpServletRequest request, HttpServletResponse response, RateLimiter current,
            String client, String address, long waitNanos) throws IOException {
        limited.computeIfAbsent(client == null ? ANONYMOUS : client, key -> new LongAdder()).increment();
        long seconds = Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        response.setHeader("Retry-After", Long.toString(seconds));
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            // the body is not read, so the connection is not reused
            response.setHeader("Connection", "close");
        }
        String detail;
        if (client != null) {
            detail = "API client '" + client + "' may make " + current.limitOf(client).describe()
                    + " and has made more. Retry after " + seconds + " s (Retry-After) and spread the requests out; "
                    + "a client that needs more asks the hub's operator for a higher rateLimit in its client file "
                    + "(etc/" + ClientFile.FACTORY_PID + "-" + client + ".cfg).";
        } else {
            detail = "Requests without a known API key may make " + current.anonymous().describe()
                    + (current.isShared(address)
                            ? " together from all addresses beyond the " + current.maxAddresses()
                                    + " the hub tracks at once"
                            : " from one address") + ", and " + address + " has made more. Retry after " + seconds
                    + " s (Retry-After), or send an API key: clients have a limit of their own.";
        }
        String resource = resource(request, request.getRequestURI());
        if (resource.startsWith("/api/2/") || resource.equals("/ws/2")) {
            dittoError(response, detail, seconds);
        } else {
            response.setHeader("API-Version", ApiServlet.API_VERSION);
            ApiServlet.problem(response, 429, "Too many requests", detail);
        }
    }

    /** The Ditto-compatible API answers in Ditto's error shape, with the error code of Ditto's gateway. */
    private static void dittoError(HttpServletResponse response, String detail, long seconds) throws IOException {
        byte[] body = JsonObject.newBuilder()
                .set("status", 429)
                .set("error", "gateway:too.many.requests")
                .set("message", detail)
                .set("description", "Retry after " + seconds + " s.")
                .build().toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(429);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Requests refused with 429, by client, for tests and metrics. */
    long limited(String client) {
        LongAdder count = limited.get(client);
        return count == null ? 0 : count.sum();
    }

    @Override
    public void appendMetrics(StringBuilder out) {
        out.append("# HELP lantaarn_api_rate_limited_total Requests refused with 429 by the rate limit, per API "
                + "client (anonymous: without a known key).\n")
                .append("# TYPE lantaarn_api_rate_limited_total counter\n");
        limited.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> out
                .append("lantaarn_api_rate_limited_total{client=\"").append(MetricsRoute.label(entry.getKey()))
                .append("\"} ").append(entry.getValue().sum()).append('\n'));
        out.append("# HELP lantaarn_api_requests_unaudited_total API requests served while no audit trail ran.\n")
                .append("# TYPE lantaarn_api_requests_unaudited_total counter\n")
                .append("lantaarn_api_requests_unaudited_total ").append(unaudited.sum()).append('\n');
    }
}
