package nl.lantaarn.mqtt.broker.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.mqtt.api.EmbeddedBroker;

/**
 * Runs the embedded MQTT broker. It registers its {@link HealthContributor} at once and the {@link EmbeddedBroker}
 * service only while the broker listens, so that the hub's MQTT connection waits for it. A broker that cannot start
 * does not fail the component: the rest of the hub keeps running and the health report says what to change.
 */
@Component(configurationPid = MqttBrokerComponent.PID, service = {}, immediate = true)
@Designate(ocd = MqttBrokerComponent.Config.class)
public final class MqttBrokerComponent {

    static final String PID = "nl.lantaarn.mqtt.broker";

    private static final Logger LOG = LoggerFactory.getLogger(MqttBrokerComponent.class);

    @ObjectClassDefinition(name = "Lantaarn embedded MQTT broker",
            description = "The MQTT broker inside the hub (MQTT 3.1.1). Devices log in with a user of the users file;"
                    + " the hub itself with an internal user whose password changes at every start.")
    @interface Config {

        @AttributeDefinition(name = "Enabled",
                description = "Run the embedded broker. Switch it off when the hub uses an external broker.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Host",
                description = "Address to listen on: 0.0.0.0 for all interfaces, 127.0.0.1 for this machine only.")
        String host() default "0.0.0.0";

        @AttributeDefinition(name = "Port", min = "0", max = "65535",
                description = "TCP port; 0 picks a free one. The environment variable LANTAARN_MQTT_PORT overrides"
                        + " it.")
        int port() default 1883;

        @AttributeDefinition(name = "Users file",
                description = "File of 'username:sha256-hex-of-password' lines, relative to the hub's home; re-read"
                        + " when it changes. Created with a user 'devices' when missing.")
        String usersFile() default "etc/mqtt-users.passwd";

        @AttributeDefinition(name = "Persistence",
                description = "Where sessions, subscriptions and retained messages are kept.",
                options = {
                    @Option(label = "In memory (lost when the hub stops)", value = "memory"),
                    @Option(label = "Files under <home>/data/mqtt (needs the H2 MVStore bundle)", value = "file")
                })
        String persistence() default "memory";

        @AttributeDefinition(name = "Largest message (bytes)", min = "1024", max = "268435455",
                description = "Larger MQTT packets are refused and their connection closed.")
        int maxMessageSize() default 262144;

        @AttributeDefinition(name = "Session expiry",
                description = "How long the broker keeps the session of a persistent client that went away, as a"
                        + " number and a unit s, m, h, d, w, M or y (e.g. 7d).")
        String sessionExpiry() default "7d";
    }

    private final MqttBroker broker;
    private final ServiceRegistration<HealthContributor> healthRegistration;
    private final ServiceRegistration<EmbeddedBroker> brokerRegistration;

    @Activate
    public MqttBrokerComponent(BundleContext context, Config config) {
        if (!config.enabled()) {
            LOG.debug("MQTT broker disabled by 'enabled=false' in {}", BrokerSettings.CONFIG_FILE);
            broker = null;
            healthRegistration = null;
            brokerRegistration = null;
            return;
        }
        BrokerSettings settings;
        try {
            settings = BrokerSettings.resolve(config, System.getenv(),
                    BrokerSettings.home(context.getProperty(BrokerSettings.HOME_PROPERTY)));
        } catch (IllegalArgumentException e) {
            String sentence = "MQTT broker not started: " + e.getMessage();
            LOG.error(sentence);
            broker = null;
            healthRegistration = context.registerService(HealthContributor.class,
                    new FixedHealth(MqttBroker.COMPONENT, ComponentHealth.down(sentence)), healthProperties());
            brokerRegistration = null;
            return;
        }
        broker = new MqttBroker(settings);
        healthRegistration = context.registerService(HealthContributor.class, broker, healthProperties());
        if (broker.start()) {
            EmbeddedBroker running = broker.embeddedBroker().orElseThrow();
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("host", running.host());
            properties.put("port", running.port());
            brokerRegistration = context.registerService(EmbeddedBroker.class, running, properties);
        } else {
            brokerRegistration = null;
        }
    }

    @Deactivate
    void deactivate() {
        // withdraw the broker first so that the hub's connection disconnects before the socket closes
        unregister(brokerRegistration);
        if (broker != null) {
            broker.stop();
        }
        unregister(healthRegistration);
    }

    private static Dictionary<String, Object> healthProperties() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("component", MqttBroker.COMPONENT);
        return properties;
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    /** Health of a broker that never got as far as starting. */
    private record FixedHealth(String component, ComponentHealth health) implements HealthContributor {
    }
}
