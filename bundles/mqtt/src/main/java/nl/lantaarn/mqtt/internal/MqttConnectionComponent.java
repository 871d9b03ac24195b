package nl.lantaarn.mqtt.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.TrustManagerFactory;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.runtime.api.HubHome;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.mqtt.api.EmbeddedBroker;
import nl.lantaarn.mqtt.api.MqttConnection;

/**
 * The hub's MQTT connection as a service. With {@code broker=embedded} it follows the {@link EmbeddedBroker}
 * service: it connects when the broker listens and disconnects when it goes. With {@code broker=external} it
 * connects to the configured host. {@link MqttConnection} is registered once the first connection is up and stays
 * registered through reconnects, so that users are not restarted whenever the network blinks; the
 * {@link HealthContributor} {@value #COMPONENT} tells the state at any time.
 */
// services are registered by hand: DS would publish the configuration, passwords included, as service properties
@Component(configurationPid = MqttConnectionComponent.PID, service = {}, immediate = true)
@Designate(ocd = MqttConnectionComponent.Config.class)
public final class MqttConnectionComponent implements HealthContributor {

    static final String PID = "nl.lantaarn.mqtt.client";
    static final String COMPONENT = "mqtt-connection";
    static final String CONFIG_FILE = "etc/" + PID + ".cfg";
    static final String EMBEDDED = "embedded";
    static final String EXTERNAL = "external";
    static final String EMBEDDED_CLIENT_ID = "lantaarn-hub";

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionComponent.class);

    @ObjectClassDefinition(name = "Lantaarn MQTT connection",
            description = "The hub's own connection to its MQTT broker: the embedded broker by default, or an"
                    + " external broker or cluster.")
    @interface Config {

        @AttributeDefinition(name = "Broker", options = {
            @Option(label = "The hub's embedded broker", value = EMBEDDED),
            @Option(label = "An external broker (host, port, credentials below)", value = EXTERNAL)
        })
        String broker() default EMBEDDED;

        @AttributeDefinition(name = "Host", required = false, description = "Host name or address of the external"
                + " broker.")
        String host() default "";

        @AttributeDefinition(name = "Port", min = "1", max = "65535", description = "Port of the external broker.")
        int port() default 1883;

        @AttributeDefinition(name = "TLS", description = "Connect to the external broker with TLS.")
        boolean tls() default false;

        @AttributeDefinition(name = "TLS trust store", required = false, description = "PEM file (.pem, .crt) or"
                + " key store (PKCS#12, JKS) of the certificates to trust, relative to the hub's home; empty: the"
                + " JVM's default trust store.")
        String tlsTrustStore() default "";

        @AttributeDefinition(name = "TLS trust store password", type = AttributeType.PASSWORD, required = false)
        String tlsTrustStorePassword() default "";

        @AttributeDefinition(name = "User name", required = false)
        String username() default "";

        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
        String password() default "";

        @AttributeDefinition(name = "Client id", required = false, description = "Empty: 'lantaarn-hub' with the"
                + " embedded broker, lantaarn-hub-<random> (new at each start) with an external one. Set a fixed id"
                + " to keep the persistent session on an external broker across restarts; it must be unique per"
                + " hub.")
        String clientId() default "";

        @AttributeDefinition(name = "MQTT version", description = "For the external broker; the embedded broker"
                + " always speaks 3.1.1.", options = {
                    @Option(label = "MQTT 5", value = "5"),
                    @Option(label = "MQTT 3.1.1", value = "3")
                })
        int mqttVersion() default 5;

        @AttributeDefinition(name = "Clean start", description = "Start a new session at every connect; false"
                + " keeps subscriptions and QoS 1/2 messages on the broker while the hub is away.")
        boolean cleanStart() default false;

        @AttributeDefinition(name = "Session expiry (s)", min = "0", max = "4294967295", description = "MQTT 5:"
                + " how long the broker keeps the session after a disconnect.")
        long sessionExpirySeconds() default 3600;

        @AttributeDefinition(name = "Keep alive (s)", min = "0", max = "65535")
        int keepAliveSeconds() default 60;

        @AttributeDefinition(name = "First reconnect delay (ms)", min = "1", description = "Doubles after each"
                + " failed attempt, up to the maximum below.")
        long reconnectInitialDelayMillis() default 1000;

        @AttributeDefinition(name = "Longest reconnect delay (s)", min = "1")
        int reconnectMaxDelaySeconds() default 30;

        @AttributeDefinition(name = "Most publishes waiting", min = "1", description = "Publishes waiting for the"
                + " broker (e.g. while reconnecting); more fail at once instead of filling the memory.")
        int maxPendingPublishes() default 10000;
    }

    private final BundleContext context;
    private final Config config;
    private final boolean embedded;
    private final ExecutorService registrations;
    private final ServiceRegistration<HealthContributor> healthRegistration;

    private volatile HiveMqConnection connection;
    private volatile ComponentHealth withoutConnection;
    private ServiceRegistration<MqttConnection> registration; // guarded by this
    private EmbeddedBroker broker; // guarded by this
    private boolean active = true; // guarded by this

    @Activate
    public MqttConnectionComponent(BundleContext context, Config config) {
        this.context = context;
        this.config = config;
        String mode = config.broker() == null ? "" : config.broker().trim().toLowerCase(Locale.ROOT);
        this.embedded = !EXTERNAL.equals(mode);
        // registering a service activates its users: never do that on the MQTT client's thread
        this.registrations = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lantaarn-mqtt-connection-registration");
            t.setDaemon(true);
            return t;
        });
        if (!EMBEDDED.equals(mode) && !EXTERNAL.equals(mode)) {
            fail("'broker' is '" + config.broker() + "'; use 'embedded' or 'external' in " + CONFIG_FILE);
        } else if (embedded) {
            withoutConnection = ComponentHealth.down("waiting for the embedded MQTT broker; is it enabled and"
                    + " started? (see the health of mqtt-broker)");
        } else {
            try {
                connect(external(config, HubHome.of(context)));
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
            }
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("component", COMPONENT);
        healthRegistration = context.registerService(HealthContributor.class, this, properties);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEmbeddedBroker(EmbeddedBroker embeddedBroker) {
        synchronized (this) {
            broker = embeddedBroker;
            if (!embedded || !active) {
                return;
            }
        }
        // a greedy replacement arrives before the old broker leaves: drop the old connection first
        disconnect();
        try {
            connect(embedded(config, embeddedBroker));
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
        }
    }

    void unbindEmbeddedBroker(EmbeddedBroker embeddedBroker) {
        synchronized (this) {
            if (broker != embeddedBroker) {
                return;
            }
            broker = null;
            if (!embedded) {
                return;
            }
        }
        disconnect();
        withoutConnection = ComponentHealth.down("the embedded MQTT broker stopped");
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            active = false;
        }
        unregister(healthRegistration);
        disconnect();
        registrations.shutdown();
    }

    @Override
    public String component() {
        return COMPONENT;
    }

    @Override
    public ComponentHealth health() {
        HiveMqConnection current = connection;
        return current != null ? current.health() : withoutConnection;
    }

    private void connect(ConnectionSettings settings) {
        HiveMqConnection created = new HiveMqConnection(settings,
                c -> registrations.execute(() -> register(c)));
        synchronized (this) {
            if (!active) {
                settings.forget();
                return;
            }
            connection = created;
        }
        LOG.debug("MQTT connection configured: {}", settings);
        created.start();
    }

    private void register(HiveMqConnection c) {
        synchronized (this) {
            if (connection != c || registration != null || !active) {
                return;
            }
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("broker", embedded ? EMBEDDED : EXTERNAL);
        properties.put("brokerDescription", c.brokerDescription());
        // registered outside the lock: users activated now may call back into this component
        ServiceRegistration<MqttConnection> created = context.registerService(MqttConnection.class, c, properties);
        boolean stale;
        synchronized (this) {
            stale = connection != c || !active;
            if (!stale) {
                registration = created;
            }
        }
        if (stale) {
            unregister(created);
        }
    }

    private void disconnect() {
        HiveMqConnection old;
        ServiceRegistration<MqttConnection> oldRegistration;
        synchronized (this) {
            old = connection;
            oldRegistration = registration;
            connection = null;
            registration = null;
        }
        // users go first, so that they stop publishing before the client closes
        unregister(oldRegistration);
        if (old != null) {
            withoutConnection = ComponentHealth.down("MQTT connection to " + old.brokerDescription() + " closed");
            old.close();
        }
    }

    private void fail(String sentence) {
        withoutConnection = ComponentHealth.down("MQTT connection not configured: " + sentence);
        LOG.error("MQTT connection not configured: {}", sentence);
    }

    private static void unregister(ServiceRegistration<?> r) {
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    /** Settings for the embedded broker: its address and the hub's internal user; MQTT 3.1.1 (Moquette). */
    static ConnectionSettings embedded(Config config, EmbeddedBroker broker) {
        String host = broker.host() == null ? "" : broker.host().trim();
        // the broker listens on every interface: talk to it over loopback
        if (host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host)) {
            host = "127.0.0.1";
        }
        char[] password = broker.internalPassword();
        // the broker is this hub's own, so a fixed id cannot clash with another hub; it lets a broker with
        // persistence=file hand the hub what arrived while it restarted, and leaves no orphaned sessions behind
        String clientId = config.clientId() == null || config.clientId().isBlank()
                ? EMBEDDED_CLIENT_ID : config.clientId();
        try {
            return common(ConnectionSettings.builder(ConnectionSettings.Mode.EMBEDDED, host, broker.port()), config)
                    .clientId(clientId)
                    .credentials(broker.internalUsername(), password)
                    .mqttVersion(3)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; fix it in " + CONFIG_FILE, e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Settings for an external broker from the configuration. */
    static ConnectionSettings external(Config config, Path home) {
        String host = config.host() == null ? "" : config.host().trim();
        if (host.isEmpty()) {
            throw new IllegalArgumentException("broker=external but 'host' is empty; set 'host' in " + CONFIG_FILE);
        }
        TrustManagerFactory trust = null;
        String store = config.tlsTrustStore() == null ? "" : config.tlsTrustStore().trim();
        if (config.tls() && !store.isEmpty()) {
            Path file = home.resolve(store);
            char[] storePassword = chars(config.tlsTrustStorePassword());
            try {
                trust = TrustStores.load(file, storePassword);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot read the TLS trust store " + file + " (" + e.getMessage()
                        + "); fix 'tlsTrustStore' or 'tlsTrustStorePassword' in " + CONFIG_FILE, e);
            } finally {
                Arrays.fill(storePassword, '\0');
            }
        }
        char[] password = chars(config.password());
        try {
            return common(ConnectionSettings.builder(ConnectionSettings.Mode.EXTERNAL, host, config.port()), config)
                    .tls(config.tls(), trust)
                    .credentials(config.username() == null ? "" : config.username().trim(), password)
                    .mqttVersion(config.mqttVersion())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; fix it in " + CONFIG_FILE, e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static ConnectionSettings.Builder common(ConnectionSettings.Builder builder, Config config) {
        return builder.clientId(config.clientId())
                .session(config.cleanStart(), config.sessionExpirySeconds())
                .keepAliveSeconds(config.keepAliveSeconds())
                .reconnect(config.reconnectInitialDelayMillis(), config.reconnectMaxDelaySeconds())
                .maxPendingPublishes(config.maxPendingPublishes());
    }

    private static char[] chars(String s) {
        return s == null ? new char[0] : s.toCharArray();
    }
}
