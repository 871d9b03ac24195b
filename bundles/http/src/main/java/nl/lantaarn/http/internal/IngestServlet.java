package nl.lantaarn.http.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.admin.UnknownAdapterException;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.security.api.Authenticator;

/**
 * {@code POST|PUT /ingest/{name}/...}: the webhook inbound of adapter instances. The body goes to the instance whose
 * inbound is {@code webhook:{name}}, through the adapter runtime; the caller learns which things it touched (202), or
 * why it was rejected and which dead letter keeps it (422). A servlet an adapter bundle registers for a more specific
 * pattern (e.g. {@code /ingest/open311/*}) takes precedence under the whiteboard's matching rules.
 */
@Component(service = Servlet.class, configurationPid = IngestServlet.PID)
@Designate(ocd = IngestServlet.Config.class)
@HttpWhiteboardServletPattern("/ingest/*")
public final class IngestServlet extends HttpServlet {

    static final String PID = "nl.lantaarn.http.ingest";

    @ObjectClassDefinition(name = "Lantaarn webhook ingest")
    public @interface Config {
        @AttributeDefinition(description = "Largest request body accepted, in bytes; keep it at or below the adapter "
                + "runtime's maxPayloadBytes, which dead-letters larger payloads.", min = "1")
        int maxBodyBytes() default 256 * 1024;

        @AttributeDefinition(description = "Seconds to wait for the adapter's answer; after that the caller gets 202 "
                + "with accepted=pending (the payload is in the adapter's inbox).", min = "0")
        int waitSeconds() default 5;
    }

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IngestServlet.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final String WEBHOOK = "webhook:";

    private final transient Authentication authentication;
    private transient volatile AdapterAdmin admin;
    private transient volatile int maxBodyBytes;
    private transient volatile Duration wait;

    @Activate
    public IngestServlet(@Reference Authenticator authenticator, Config config) {
        this(authenticator, config.maxBodyBytes(), Duration.ofSeconds(config.waitSeconds()));
    }

    IngestServlet(Authenticator authenticator, int maxBodyBytes, Duration wait) {
        this.authentication = new Authentication(authenticator);
        this.maxBodyBytes = maxBodyBytes;
        this.wait = wait;
    }

    @Modified
    void modified(Config config) {
        maxBodyBytes = config.maxBodyBytes();
        wait = Duration.ofSeconds(config.waitSeconds());
    }

    /** Optional: without the adapter runtime every webhook is answered 503. */
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

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("API-Version", ApiServlet.API_VERSION);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        String method = request.getMethod();
        if (!method.equals("POST") && !method.equals("PUT")) {
            response.setHeader("Allow", "POST, PUT");
            ApiServlet.problem(response, 405, "Method not allowed", "A webhook takes the payload as the body of a POST "
                    + "or PUT to /ingest/{name}/...; " + method + " is not supported.");
            return;
        }
        Optional<ApiClient> client = authentication.require(request, response, Role.WRITER,
                "Sending to a webhook needs");
        if (client.isEmpty()) {
            return;
        }
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        int slash = path.indexOf('/', 1);
        String name = slash < 0 ? path.substring(1) : path.substring(1, slash);
        String below = slash < 0 ? "/" : path.substring(slash);
        AdapterAdmin runtime = admin;
        if (runtime == null) {
            response.setHeader("Retry-After", "10");
            refuse(response, 503, "Adapter runtime not available", "The adapter runtime (bundle "
                    + "nl.lantaarn.adapter.runtime) is not running, so no adapter can take the payload; "
                    + "/api/v1/health says why. Send it again later.");
            return;
        }
        List<AdapterStatus> adapters = runtime.list();
        Optional<AdapterStatus> target = NAME.matcher(name).matches()
                ? adapters.stream().filter(status -> (WEBHOOK + name).equals(status.inbound())).findFirst()
                : Optional.empty();
        if (target.isEmpty()) {
            List<String> names = adapters.stream().map(AdapterStatus::inbound)
                    .filter(inbound -> inbound != null && inbound.startsWith(WEBHOOK))
                    .map(inbound -> "/ingest/" + inbound.substring(WEBHOOK.length())).sorted().toList();
            refuse(response, 404, "No such webhook", "No adapter instance receives webhooks named '"
                    + AdapterFiles.shorten(name) + "' (/ingest/" + AdapterFiles.shorten(name) + "); "
                    + (names.isEmpty() ? "no instance has a webhook inbound" : "the webhooks are "
                            + String.join(", ", names)) + ".");
            return;
        }
        String id = target.get().id();
        byte[] body;
        try {
            body = Bodies.read(request, maxBodyBytes);
        } catch (Bodies.TooLarge e) {
            refuse(response, 413, "Content too large", "The body is larger than " + Bodies.size(e.limit)
                    + ", the most adapter instance " + id + " takes; split the payload, or raise maxBodyBytes in "
                    + "etc/" + PID + ".cfg together with maxPayloadBytes in etc/nl.lantaarn.adapter.runtime.cfg.");
            return;
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(InboundMessage.HTTP_METHOD, method);
        attributes.put(InboundMessage.HTTP_PATH, below);
        if (request.getContentType() != null) {
            attributes.put(InboundMessage.CONTENT_TYPE, request.getContentType());
        }
        InboundMessage message = new InboundMessage(request.getRequestURI(), body, Instant.now(), attributes);
        IngestResult result;
        try {
            result = runtime.ingest(id, message).toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the payload is in the adapter's inbox: it is mapped, or becomes a dead letter, after this answer
            ApiServlet.json(response, 202, JsonObject.newBuilder().set("accepted", "pending").build().toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(response, 503, "Interrupted", "The hub is stopping; send the payload again later.");
            return;
        } catch (ExecutionException | CompletionException | UnknownAdapterException e) {
            Throwable cause = e instanceof UnknownAdapterException || e.getCause() == null ? e : e.getCause();
            if (cause instanceof UnknownAdapterException) {
                refuse(response, 404, "No such webhook", "Adapter instance " + id + " for /ingest/" + name
                        + " was removed just now; send the payload again when it is configured.");
                return;
            }
            LOG.debug("Ingest to {} failed", id, cause);
            refuse(response, 500, "Ingest failed", "Adapter instance " + id + " could not take the payload: " + cause
                    + ". GET /api/v1/dead-letters?source=" + id + " shows whether it was kept.");
            return;
        }
        if (result.accepted()) {
            ApiServlet.json(response, 202, JsonObject.newBuilder()
                    .set("accepted", true)
                    .set("thingIds", AdapterJson.strings(result.thingIds() == null ? List.of() : result.thingIds()))
                    .build().toString());
            return;
        }
        String kept = result.deadLetterId() == null ? ""
                : " It is kept as dead letter " + result.deadLetterId() + " (GET /api/v1/dead-letters/"
                        + result.deadLetterId() + "); after a fix, POST /api/v1/dead-letters/" + result.deadLetterId()
                        + "/replay hands it to the adapter again.";
        ApiServlet.problem(response, 422, "Payload rejected", "Adapter instance " + id + " rejected the payload: "
                + sentence(result.reason()) + kept, JsonObject.newBuilder()
                        .set("adapter", id)
                        .set("reason", AdapterJson.text(result.reason()))
                        .set("deadLetterId", AdapterJson.text(result.deadLetterId()))
                        .build());
    }

    private static String sentence(String text) {
        if (text == null || text.isBlank()) {
            return "(no reason given).";
        }
        String trimmed = text.trim();
        return trimmed.endsWith(".") ? trimmed : trimmed + ".";
    }

    /** A refusal; the body may be unread, so the connection is not reused. */
    private static void refuse(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        response.setHeader("Connection", "close");
        ApiServlet.problem(response, status, title, detail);
    }
}
