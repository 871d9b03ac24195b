package nl.lantaarn.mqtt.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.mqtt.api.MqttMessageHandler;
import nl.lantaarn.mqtt.api.MqttSubscription;

/**
 * The hub's MQTT connection on the HiveMQ client (async API). The client reconnects by itself with exponential
 * backoff and restores the subscriptions when the broker lost the session; publishes made while reconnecting wait
 * for the connection, up to {@code maxPendingPublishes}. Plain Java: the DS component creates it, tests construct it
 * directly.
 */
final class HiveMqConnection implements MqttConnection {

    private static final Logger LOG = LoggerFactory.getLogger(HiveMqConnection.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    /** Where the connection is; only changes are logged at INFO. */
    enum State {
        NEW, CONNECTING, CONNECTED, RECONNECTING, CLOSED
    }

    private final ConnectionSettings settings;
    private final String description;
    private final Subscriptions subscriptions = new Subscriptions();
    private final AtomicInteger pendingPublishes = new AtomicInteger();
    private final ProtocolClient client;
    private final Consumer<HiveMqConnection> onFirstConnect;

    private final Object stateLock = new Object();
    private volatile State state = State.NEW;
    private volatile String lastProblem = "";
    private volatile boolean refused;
    private volatile boolean everConnected;

    /**
     * @param onFirstConnect called once, on the client's thread, when the first connection is up
     */
    HiveMqConnection(ConnectionSettings settings, Consumer<HiveMqConnection> onFirstConnect) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.description = settings.description();
        this.onFirstConnect = Objects.requireNonNull(onFirstConnect, "onFirstConnect");
        MqttClientBuilder builder = MqttClient.builder()
                .identifier(settings.clientId())
                .serverHost(settings.host())
                .serverPort(settings.port())
                .automaticReconnect()
                    .initialDelay(settings.reconnectInitialDelayMillis(), TimeUnit.MILLISECONDS)
                    .maxDelay(settings.reconnectMaxDelaySeconds(), TimeUnit.SECONDS)
                    .applyAutomaticReconnect()
                .addConnectedListener(context -> onConnected())
                .addDisconnectedListener(this::onDisconnected);
        if (settings.tls()) {
            builder = settings.trustManagers() == null
                    ? builder.sslWithDefaultConfig()
                    : builder.sslConfig().trustManagerFactory(settings.trustManagers()).applySslConfig();
        }
        this.client = settings.mqttVersion() == 5
                ? new Mqtt5ProtocolClient(builder, settings, subscriptions)
                : new Mqtt3ProtocolClient(builder, settings, subscriptions);
    }

    /** Starts connecting; returns at once. */
    void start() {
        synchronized (stateLock) {
            if (state != State.NEW) {
                return;
            }
            state = State.CONNECTING;
        }
        LOG.debug("MQTT connecting to {}", settings);
        // failures reach onDisconnected too, where the automatic reconnect takes over
        client.connect();
    }

    /** Disconnects, waiting a few seconds for the DISCONNECT to be sent, and forgets the password. */
    void close() {
        synchronized (stateLock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        try {
            client.disconnect().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // not connected at the moment: the disconnected listener stops the reconnect loop
            LOG.debug("MQTT disconnect from {}: {}", description, reason(e.getCause()));
        } catch (TimeoutException e) {
            LOG.debug("MQTT disconnect from {} timed out", description);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            settings.forget();
        }
        LOG.debug("MQTT connection to {} closed", description);
    }

    State state() {
        return state;
    }

    ComponentHealth health() {
        switch (state) {
            case CONNECTED:
                return ComponentHealth.up(description);
            case RECONNECTING:
                if (refused) {
                    return ComponentHealth.down(description + ": " + lastProblem + " (retrying)");
                }
                return everConnected
                        ? ComponentHealth.degraded("reconnecting to " + description + ": " + lastProblem)
                        : ComponentHealth.down("cannot connect to " + description + ": " + lastProblem
                                + " (retrying)");
            case CLOSED:
                return ComponentHealth.down("MQTT connection to " + description + " is closed");
            default:
                return ComponentHealth.down("connecting to " + description);
        }
    }

    private void onConnected() {
        boolean first;
        synchronized (stateLock) {
            if (state == State.CLOSED) {
                // connected while closing: do not stay connected
                client.disconnect();
                return;
            }
            state = State.CONNECTED;
            first = !everConnected;
            everConnected = true;
            refused = false;
            lastProblem = "";
        }
        LOG.info("MQTT connected to {}", description);
        if (first) {
            onFirstConnect.accept(this);
        }
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        State before;
        String problem = reason(context.getCause());
        synchronized (stateLock) {
            before = state;
            if (before == State.CLOSED || context.getSource() == MqttDisconnectSource.USER) {
                context.getReconnector().reconnect(false);
                return;
            }
            // a broker that lost the session (restarted in memory) gets the subscriptions and the publishes that
            // were waiting again: nothing the hub asked for is dropped by a reconnect
            context.getReconnector().resubscribeIfSessionExpired(true).republishIfSessionExpired(true);
            state = State.RECONNECTING;
            lastProblem = problem;
            refused = isRefusal(context.getCause());
        }
        if (before == State.CONNECTED) {
            LOG.info("MQTT connection to {} lost ({}); reconnecting", description, problem);
        } else if (before == State.CONNECTING) {
            LOG.info("MQTT cannot connect to {} ({}); retrying", description, problem);
        } else {
            LOG.debug("MQTT reconnect to {} failed: {}", description, problem);
        }
    }

    private static boolean isRefusal(Throwable cause) {
        return cause instanceof Mqtt5ConnAckException || cause instanceof Mqtt3ConnAckException;
    }

    /** A short reason for logs and health; never holds credentials (the client's exceptions do not carry them). */
    static String reason(Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof Mqtt5ConnAckException ack) {
            return "the broker refused the connection: " + ack.getMqttMessage().getReasonCode()
                    + "; check 'username', 'password' and 'clientId' in etc/" + MqttConnectionComponent.PID + ".cfg";
        }
        if (cause instanceof Mqtt3ConnAckException ack) {
            return "the broker refused the connection: " + ack.getMqttMessage().getReturnCode()
                    + "; check 'username', 'password' and 'clientId' in etc/" + MqttConnectionComponent.PID + ".cfg";
        }
        if (cause instanceof Mqtt5DisconnectException disconnect) {
            return "the broker disconnected: " + disconnect.getMqttMessage().getReasonCode();
        }
        if (cause instanceof Mqtt3DisconnectException) {
            return "the broker disconnected";
        }
        if (cause instanceof ConnectionFailedException && cause.getCause() != null) {
            return String.valueOf(cause.getCause().getMessage());
        }
        if (cause instanceof ConnectionClosedException) {
            return "the connection was closed";
        }
        return String.valueOf(cause.getMessage());
    }

    // --- MqttConnection

    @Override
    public CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        if (state == State.CLOSED) {
            return CompletableFuture.failedFuture(closed());
        }
        MqttQos mqttQos = MqttQos.fromCode(qos);
        if (mqttQos == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos));
        }
        if (pendingPublishes.incrementAndGet() > settings.maxPendingPublishes()) {
            pendingPublishes.decrementAndGet();
            return CompletableFuture.failedFuture(new RejectedExecutionException("MQTT publish to " + topic
                    + " refused: " + settings.maxPendingPublishes() + " publishes already wait for " + description
                    + " (" + (state == State.CONNECTED ? "the broker is slow" : "not connected") + "; see"
                    + " 'maxPendingPublishes' in etc/" + MqttConnectionComponent.PID + ".cfg)"));
        }
        CompletableFuture<Void> result;
        try {
            result = client.publish(topic, payload == null ? new byte[0] : payload, mqttQos, retain);
        } catch (RuntimeException e) {
            // the client's builders reject bad topics synchronously
            pendingPublishes.decrementAndGet();
            return CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((ok, failure) -> pendingPublishes.decrementAndGet());
    }

    @Override
    public MqttSubscription subscribe(String topicFilter, int qos, MqttMessageHandler handler) {
        Objects.requireNonNull(topicFilter, "topicFilter");
        Objects.requireNonNull(handler, "handler");
        MqttTopicFilter.of(topicFilter); // throws IllegalArgumentException with the client's reason
        if (MqttQos.fromCode(qos) == null) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos);
        }
        if (state == State.CLOSED) {
            throw closed();
        }
        Subscriptions.Handle handle = new Subscriptions.Handle(topicFilter, handler);
        Subscriptions.Change change = subscriptions.add(handle, qos);
        if (change.subscribe()) {
            client.subscribe(topicFilter, MqttQos.fromCode(change.qos())).whenComplete((ok, failure) -> {
                if (failure != null && state != State.CLOSED) {
                    LOG.warn("MQTT subscription to {} on {} failed: {}", topicFilter, description, reason(failure));
                } else if (failure == null) {
                    LOG.debug("MQTT subscribed to {} on {} with QoS {}", topicFilter, description, change.qos());
                }
            });
        }
        return new Subscription(handle);
    }

    @Override
    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    @Override
    public String brokerDescription() {
        return description;
    }

    /** Pending publishes, for tests. */
    int pendingPublishes() {
        return pendingPublishes.get();
    }

    private IllegalStateException closed() {
        return new IllegalStateException("MQTT connection to " + description + " is closed");
    }

    private final class Subscription implements MqttSubscription {

        private final Subscriptions.Handle handle;
        private final AtomicInteger closed = new AtomicInteger();

        Subscription(Subscriptions.Handle handle) {
            this.handle = handle;
        }

        @Override
        public String topicFilter() {
            return handle.filter;
        }

        @Override
        public void close() {
            if (closed.getAndIncrement() != 0) {
                return;
            }
            if (subscriptions.remove(handle) && state != State.CLOSED) {
                client.unsubscribe(handle.filter).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.debug("MQTT unsubscribe from {} on {}: {}", handle.filter, description, reason(failure));
                    }
                });
            }
        }

        @Override
        public String toString() {
            return "subscription to " + handle.filter + " on " + description;
        }
    }

    @Override
    public String toString() {
        return "MQTT connection to " + description;
    }
}
