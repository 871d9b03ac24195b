package nl.lantaarn.adapter.runtime.internal;

import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.twin.api.TwinService;

/**
 * Runs every {@link SensorAdapter} service: one {@link AdapterWorker} per adapter, started when the adapter's service
 * appears and stopped when it goes, so adapter bundles come and go while the hub runs.
 */
@Component(service = HealthContributor.class, immediate = true, configurationPid = "nl.lantaarn.adapter.runtime")
@Designate(ocd = AdapterRuntime.Config.class)
public final class AdapterRuntime implements HealthContributor {

    @ObjectClassDefinition(name = "Lantaarn adapter runtime")
    public @interface Config {
        @AttributeDefinition(name = "Inbox capacity", description = "Payloads queued per adapter before new ones go to dead letters.", min = "1")
        int inboxCapacity() default 10_000;

        @AttributeDefinition(name = "Maximum payload size", description = "Bytes; larger payloads are dead-lettered before parsing.", min = "1")
        int maxPayloadBytes() default 256 * 1024;
    }

    private static final Logger LOG = LoggerFactory.getLogger(AdapterRuntime.class);

    private final MqttConnection mqtt;
    private final TwinService twin;
    private final DeadLetterService deadLetters;
    private final Config config;
    private final Map<SensorAdapter, AdapterWorker> workers = new ConcurrentHashMap<>();

    @Activate
    public AdapterRuntime(@Reference MqttConnection mqtt, @Reference TwinService twin,
            @Reference DeadLetterService deadLetters, Config config) {
        this.mqtt = mqtt;
        this.twin = twin;
        this.deadLetters = deadLetters;
        this.config = config;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAdapter(SensorAdapter adapter) {
        AdapterWorker worker;
        try {
            worker = new AdapterWorker(adapter, twin, deadLetters, config.inboxCapacity(), config.maxPayloadBytes());
        } catch (RuntimeException e) {
            LOG.error("Adapter {} cannot be started: {}", adapter.getClass().getName(), e.getMessage());
            return;
        }
        AdapterWorker previous = workers.put(adapter, worker);
        if (previous != null) {
            previous.stop();
        }
        worker.start(mqtt);
        LOG.debug("Adapter {} started: {}", worker.id(), worker.inbound());
    }

    void removeAdapter(SensorAdapter adapter) {
        AdapterWorker worker = workers.remove(adapter);
        if (worker != null) {
            worker.stop();
            LOG.debug("Adapter {} stopped", worker.id());
        }
    }

    @Deactivate
    void deactivate() {
        workers.values().forEach(AdapterWorker::stop);
        workers.clear();
    }

    @Override
    public String component() {
        return "adapters";
    }

    @Override
    public ComponentHealth health() {
        if (workers.isEmpty()) {
            return ComponentHealth.up("no adapters installed");
        }
        StringJoiner detail = new StringJoiner("; ");
        boolean degraded = false;
        for (AdapterWorker worker : workers.values()) {
            detail.add(worker.describe());
            degraded |= worker.lastFailure() != null;
        }
        return degraded ? ComponentHealth.degraded(detail.toString()) : ComponentHealth.up(detail.toString());
    }
}
