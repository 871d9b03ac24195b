package nl.lantaarn.adapter.runtime.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.CommandCounters;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.runtime.api.HubHome;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.TwinService;

/**
 * The adapter runtime as a component: follows the {@link AdapterFactory} services and the ConfigAdmin configurations
 * of factory PID {@code nl.lantaarn.adapter.<type>} (files {@code etc/nl.lantaarn.adapter.<type>~<name>.cfg}), and
 * offers {@link AdapterAdmin} and the {@code adapters} health. The work is done by {@link AdapterRegistry}.
 * <p>
 * The MQTT connection is optional and dynamic: webhook, polling and folder instances run without it, and MQTT
 * instances subscribe again when it is replaced, without losing what they queued.
 */
@Component(service = {AdapterAdmin.class, HealthContributor.class, ConfigurationListener.class}, immediate = true,
        configurationPid = AdapterRuntime.PID)
@Designate(ocd = AdapterRuntime.Config.class)
public final class AdapterRuntime implements AdapterAdmin, HealthContributor, ConfigurationListener {

    static final String PID = InstanceConfig.RUNTIME_PID;

    @ObjectClassDefinition(name = "Lantaarn adapter runtime")
    public @interface Config {
        @AttributeDefinition(name = "Inbox capacity", description = "Payloads queued per adapter instance before new "
                + "ones become dead letters; applies to instances made after a change.", min = "1")
        int inboxCapacity() default 10_000;

        @AttributeDefinition(name = "Maximum payload size", description = "Bytes; larger payloads become dead "
                + "letters before they are queued or parsed.", min = "1")
        int maxPayloadBytes() default 256 * 1024;

        @AttributeDefinition(name = "Stuck after", description = "Seconds a single map call may run before its "
                + "instance is shown DEGRADED.", min = "1")
        int stuckAfterSeconds() default 5;

        @AttributeDefinition(name = "Inbox wait", description = "Seconds an MQTT message waits for room in a full "
                + "inbox before it becomes a dead letter. Meanwhile the hub takes no more MQTT messages (back-pressure: "
                + "the broker keeps them). 0: a full inbox dead-letters at once.", min = "0")
        int inboxWaitSeconds() default 10;

        @AttributeDefinition(name = "Upgrade grace", description = "Seconds an instance keeps its subscription and "
                + "inbox after its adapter bundle went away, waiting for a new version.", min = "0")
        int upgradeGraceSeconds() default 30;

        @AttributeDefinition(name = "Command timeout", description = "Seconds a command sent to a vendor waits for "
                + "its acknowledgement before it is sent again.", min = "1")
        int commandTimeoutSeconds() default 10;

        @AttributeDefinition(name = "Command retries", description = "How often an unacknowledged command is sent "
                + "again before it is reported failed.", min = "0")
        int commandRetries() default 2;

        @AttributeDefinition(name = "Quarantine unregistered sensors", description = "When true, data for a thing "
                + "that is not in the sensor register (no attributes/register, and no register.* fields in its "
                + "adapter instance's configuration) becomes a dead letter naming the reason instead of being "
                + "stored. Instances with register.exempt are not affected.")
        boolean quarantineUnregistered() default false;
    }

    private static final Logger LOG = LoggerFactory.getLogger(AdapterRuntime.class);
    private static final String FILTER = "(|(service.pid=" + InstanceConfig.PREFIX + "*)(service.factoryPid="
            + InstanceConfig.PREFIX + "*))";

    private final ConfigurationAdmin configurationAdmin;
    private final AdapterRegistry registry;
    private final ServiceRegistration<TwinEventListener> commandListener;

    @Activate
    public AdapterRuntime(BundleContext context, @Reference TwinService twin,
            @Reference DeadLetterService deadLetters, @Reference ConfigurationAdmin configurationAdmin,
            Config config) {
        this.configurationAdmin = configurationAdmin;
        this.registry = new AdapterRegistry(twin, deadLetters, HubHome.of(context), settings(config));
        registry.configurationsLoaded(readAll());
        // a configuration changed between the listing above and the registration of this listener would be missed:
        // list once more when the component is surely registered
        registry.later(() -> registry.configurationsLoaded(readAll()), Duration.ofSeconds(2));
        // desired properties of adapters' things become commands; registered by hand rather than as a service of
        // this component, which would make a reference cycle with the twin service it uses
        TwinEventListener listener = registry::onTwinEvent;
        this.commandListener = context.registerService(TwinEventListener.class, listener, null);
    }

    static RuntimeSettings settings(Config config) {
        return new RuntimeSettings(config.inboxCapacity(), config.maxPayloadBytes(),
                Duration.ofSeconds(config.stuckAfterSeconds()), Duration.ofSeconds(config.upgradeGraceSeconds()),
                Duration.ofSeconds(config.commandTimeoutSeconds()), config.commandRetries(),
                config.quarantineUnregistered(), Duration.ofSeconds(config.inboxWaitSeconds()));
    }

    @Modified
    void modified(Config config) {
        registry.settingsChanged(settings(config));
    }

    @Deactivate
    void deactivate() {
        try {
            commandListener.unregister();
        } catch (IllegalStateException e) {
            // unregistered already with the bundle
        }
        registry.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMqtt(MqttConnection connection) {
        registry.mqttAdded(connection);
    }

    void unbindMqtt(MqttConnection connection) {
        registry.mqttRemoved(connection);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindFactory(ServiceReference<AdapterFactory> reference, AdapterFactory factory) {
        Bundle bundle = reference.getBundle();
        registry.factoryAdded(reference, factory,
                bundle == null ? "an unknown bundle" : bundle.getSymbolicName() + " " + bundle.getVersion());
    }

    void unbindFactory(ServiceReference<AdapterFactory> reference, AdapterFactory factory) {
        registry.factoryRemoved(reference);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        String factoryPid = event.getFactoryPid();
        if (!pid.startsWith(InstanceConfig.PREFIX)
                && (factoryPid == null || !factoryPid.startsWith(InstanceConfig.PREFIX))) {
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            registry.configurationDeleted(pid);
        } else if (event.getType() == ConfigurationEvent.CM_UPDATED) {
            read(pid).ifPresentOrElse(registry::configurationChanged, () -> registry.configurationDeleted(pid));
        }
    }

    private List<InstanceConfig> readAll() {
        return list(FILTER);
    }

    private Optional<InstanceConfig> read(String pid) {
        List<InstanceConfig> found = list("(service.pid=" + escape(pid) + ")");
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private List<InstanceConfig> list(String filter) {
        List<InstanceConfig> result = new ArrayList<>();
        Configuration[] found;
        try {
            found = configurationAdmin.listConfigurations(filter);
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot list adapter configurations ({}): {}", filter, e.toString());
            return result;
        }
        if (found != null) {
            for (Configuration configuration : found) {
                Dictionary<String, Object> properties = configuration.getProperties();
                if (properties != null) {
                    InstanceConfig.parse(configuration.getPid(), configuration.getFactoryPid(), toMap(properties))
                            .ifPresent(result::add);
                }
            }
        }
        return result;
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            map.put(key, properties.get(key));
        }
        return map;
    }

    /** Escapes the characters that are special in an LDAP filter value. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    @Override
    public List<AdapterStatus> list() {
        return registry.list();
    }

    @Override
    public Optional<AdapterStatus> status(String id) {
        return registry.status(id);
    }

    @Override
    public Optional<CommandCounters> commands(String id) {
        return registry.commands(id);
    }

    @Override
    public void stop(String id) {
        registry.stop(id);
    }

    @Override
    public void start(String id) {
        registry.start(id);
    }

    @Override
    public CompletionStage<IngestResult> ingest(String id, InboundMessage message) {
        return registry.ingest(id, message);
    }

    @Override
    public CompletionStage<IngestResult> replay(String deadLetterId) {
        return registry.replay(deadLetterId);
    }

    @Override
    public String component() {
        return "adapters";
    }

    @Override
    public ComponentHealth health() {
        return registry.health();
    }
}
