package nl.lantaarn.ditto.api.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Ditto client's WebSocket: Jetty calls it, it hands text to its {@link ProtocolSession} and sends what that
 * writes. Sending never blocks: messages wait in Jetty's outgoing queue, at most {@code maxQueuedMessages} of them; a
 * client that lets more pile up is disconnected with status 1008 and a reason, so that a slow reader never slows the
 * hub or makes it hold unbounded memory. Public because Jetty calls it through public method handles.
 */
public final class DittoWebSocketEndpoint implements Session.Listener.AutoDemanding, Outbound {

    private static final Logger LOG = LoggerFactory.getLogger(DittoWebSocketEndpoint.class);

    private final String client;
    private final DittoWebSocketServlet.Limits limits;
    private final Function<Outbound, ProtocolSession> sessions;
    private final SessionRegistry registry;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Session socket;
    private volatile ProtocolSession protocol;

    /** The open sessions, so that twin events reach them. */
    interface SessionRegistry {
        void opened(ProtocolSession session);

        void closed(ProtocolSession session);
    }

    DittoWebSocketEndpoint(String client, DittoWebSocketServlet.Limits limits,
            Function<Outbound, ProtocolSession> sessions, SessionRegistry registry) {
        this.client = client;
        this.limits = limits;
        this.sessions = sessions;
        this.registry = registry;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        session.setMaxTextMessageSize(limits.maxMessageBytes());
        session.setMaxBinaryMessageSize(1024);
        session.setIdleTimeout(Duration.ofSeconds(limits.idleTimeoutSeconds()));
        socket = session;
        protocol = sessions.apply(this);
        registry.opened(protocol);
        LOG.debug("Ditto client {} connected from {}", client, session.getRemoteSocketAddress());
    }

    @Override
    public void onWebSocketText(String message) {
        ProtocolSession session = protocol;
        if (session != null) {
            session.onText(message);
        }
    }

    @Override
    public void onWebSocketBinary(java.nio.ByteBuffer payload, Callback callback) {
        callback.succeed();
        close(StatusCode.BAD_DATA, "The Ditto protocol is sent as text messages, not binary ones.");
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        ProtocolSession session = protocol;
        if (session != null) {
            registry.closed(session);
        }
        LOG.debug("Ditto client {} disconnected: {} {}", client, statusCode, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("Ditto client {}: WebSocket error", client, cause);
    }

    @Override
    public void send(String text) {
        Session session = socket;
        if (session == null || !session.isOpen() || closing.get()) {
            return;
        }
        if (queued.incrementAndGet() > limits.maxQueuedMessages()) {
            queued.decrementAndGet();
            LOG.warn("Ditto client {} reads too slowly: {} messages wait to be sent; disconnecting it", client,
                    limits.maxQueuedMessages());
            close(StatusCode.POLICY_VIOLATION, "Slow consumer: more than " + limits.maxQueuedMessages()
                    + " messages were waiting to be sent to this client. Read faster or filter the events "
                    + "(START-SEND-EVENTS?filter=...&namespaces=...), then connect again.");
            return;
        }
        session.sendText(text, Callback.from(queued::decrementAndGet, failure -> queued.decrementAndGet()));
    }

    @Override
    public void close(int statusCode, String reason) {
        Session session = socket;
        if (session != null && closing.compareAndSet(false, true)) {
            // a close reason is at most 123 bytes in a WebSocket close frame
            String shortened = reason.length() > 120 ? reason.substring(0, 117) + "..." : reason;
            session.close(statusCode, shortened, Callback.NOOP);
        }
    }

    int queuedMessages() {
        return queued.get();
    }
}
