package nl.lantaarn.ditto.api.internal;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServerContainer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.ThingAccess;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.TwinService;

/**
 * {@code /ws/2}: Eclipse Ditto's WebSocket endpoint. The upgrade needs an API key ({@code Authorization: Bearer <key>},
 * what the Ditto client's access-token authentication sends, or {@code X-API-Key}); without one the answer is 401.
 * The connection keeps the key's {@link ApiClient}: its role and the hub's access policies ({@link ThingAccess}) decide
 * what each command, search and event may carry (see {@link ProtocolSession}). The WebSocket container is Jetty's, installed into the whiteboard's servlet context by Felix HTTP when the framework
 * property {@code org.apache.felix.jetty.websocket.enable} is {@code true}.
 * <p>
 * Also the {@link TwinEventListener} that fans twin events out to the connected sessions: each event is turned into
 * its Ditto protocol JSON once and queued to every session that asked for it, without blocking.
 */
@Component(service = { Servlet.class, TwinEventListener.class }, configurationPid = DittoWebSocketServlet.PID)
@HttpWhiteboardServletPattern(DittoWebSocketServlet.PATH)
@Designate(ocd = DittoWebSocketServlet.Limits.class)
public final class DittoWebSocketServlet extends HttpServlet implements TwinEventListener {

    private static final long serialVersionUID = 1L;
    static final String PID = "nl.lantaarn.ditto.api";
    static final String PATH = "/ws/2";
    private static final Logger LOG = LoggerFactory.getLogger(DittoWebSocketServlet.class);
    private static final DittoProtocolAdapter ADAPTER = DittoProtocolAdapter.newInstance();

    @ObjectClassDefinition(name = "Lantaarn Ditto-compatible API")
    public @interface Limits {
        @AttributeDefinition(description = "Largest text message a client may send on /ws/2, in bytes; a larger one "
                + "closes the connection with status 1009.", min = "1024")
        int maxMessageBytes() default 262_144;

        @AttributeDefinition(description = "Messages that may wait to be sent to one client; a client that lets "
                + "more pile up is disconnected with status 1008 (slow consumer).", min = "1")
        int maxQueuedMessages() default 1_000;

        @AttributeDefinition(description = "Seconds without any frame (the Ditto client pings) after which a "
                + "connection is closed.", min = "10")
        int idleTimeoutSeconds() default 300;

        @AttributeDefinition(description = "Search subscriptions one connection may have open at once.", min = "1")
        int maxSearchSubscriptions() default 16;
    }

    private final transient TwinService twin;
    private final transient Authenticator authenticator;
    private final transient Enforcement enforcement;
    private final transient Limits limits;
    private final transient Set<ProtocolSession> sessions = ConcurrentHashMap.newKeySet();
    private transient volatile ThingSearch search;
    private transient volatile JettyWebSocketServerContainer container;

    @Activate
    public DittoWebSocketServlet(@Reference TwinService twin, @Reference Authenticator authenticator,
            @Reference ThingAccess access, Limits limits) {
        this.twin = twin;
        this.authenticator = authenticator;
        this.enforcement = new Enforcement(access);
        this.limits = limits;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setSearch(ThingSearch search) {
        this.search = search;
    }

    void unsetSearch(ThingSearch gone) {
        if (search == gone) {
            search = null;
        }
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        container = JettyWebSocketServerContainer.getContainer(getServletContext());
        if (container == null) {
            LOG.error("{} cannot serve WebSockets: the servlet context has no Jetty WebSocket container. Set the "
                    + "framework property org.apache.felix.jetty.websocket.enable=true and install the Jetty "
                    + "WebSocket bundles (see bundles/ditto-api/README.md).", PATH);
        }
    }

    /** Jetty's creator for an upgrade request: an endpoint for a known client, otherwise a 401 and no upgrade. */
    private Object upgrade(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response)
            throws IOException {
        Optional<ApiClient> client = authenticator.authenticate(request.getHeader("Authorization"),
                request.getHeader("X-API-Key"));
        if (client.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"lantaarn\"");
            response.sendError(401, Unauthorized.MESSAGE);
            return null;
        }
        ApiClient caller = client.get();
        return new DittoWebSocketEndpoint(caller.name(), limits, out -> new ProtocolSession(caller, enforcement,
                new TwinCommands(twin, enforcement),
                new SearchSubscriptions(twin, enforcement, () -> search, limits.maxSearchSubscriptions()),
                authenticator, limits.maxMessageBytes(), out), new DittoWebSocketEndpoint.SessionRegistry() {
                    @Override
                    public void opened(ProtocolSession session) {
                        sessions.add(session);
                    }

                    @Override
                    public void closed(ProtocolSession session) {
                        sessions.remove(session);
                    }
                });
    }

    /**
     * The handshake is upgraded here, in the servlet, rather than by a mapping of Jetty's upgrade filter, so that it
     * passes the whiteboard's filters like every other API request (the hub's rate limit and request audit). A
     * request without a known key is a 401; one that is not a WebSocket handshake a 426.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (authenticator.authenticate(request.getHeader("Authorization"), request.getHeader("X-API-Key"))
                .isEmpty()) {
            Unauthorized.answer(response);
            return;
        }
        JettyWebSocketServerContainer webSockets = container;
        if (webSockets != null && webSockets.upgrade(this::upgrade, request, response)) {
            return;
        }
        DittoHttpErrors.write(response, HttpStatus.UPGRADE_REQUIRED, "lantaarn:websocket.required",
                PATH + " speaks the Ditto protocol over WebSocket only.",
                "Open a WebSocket (Upgrade: websocket), e.g. with the Eclipse Ditto client; for HTTP use /api/2.");
    }

    @Override
    public void onTwinEvent(TwinEvent event) {
        if (sessions.isEmpty()) {
            return;
        }
        Adaptable adaptable;
        String json;
        try {
            adaptable = ADAPTER.toAdaptable(event.event());
            json = ProtocolSession.toJson(adaptable);
        } catch (RuntimeException e) {
            LOG.warn("Twin event {} has no Ditto protocol form; not sent to Ditto clients", event, e);
            return;
        }
        for (ProtocolSession session : sessions) {
            if (session.receivesEvents()) {
                try {
                    session.onEvent(event, adaptable, json);
                } catch (RuntimeException e) {
                    // one session's failure must not keep the event from the others (this is the twin's thread)
                    LOG.warn("Twin event {} not sent to a Ditto client: {}", event, e.toString(), e);
                }
            }
        }
    }

    int connectedSessions() {
        return sessions.size();
    }
}
