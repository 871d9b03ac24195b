package nl.lantaarn.adapter.runtime.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.CommandCounters;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.admin.UnknownAdapterException;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.ThingCommand;
import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinService;

/**
 * The adapter instances of the hub, kept in line with the adapter factories that are registered and the adapter
 * configurations that exist: one instance per configuration of a present type, a {@code default} instance for a type
 * that asks for one while it has no configuration, and instances in WAITING for configurations whose type is absent.
 * <p>
 * Everything that changes instances runs under this object's lock (factory and configuration events, operator
 * commands, the grace timer); reading status and handing in payloads do not take it. Independent of OSGi, so that the
 * whole lifecycle can be tested in plain JUnit; {@link AdapterRuntime} connects it to the framework.
 */
final class AdapterRegistry implements AdapterAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterRegistry.class);

    /** The factories registered for one type id, in registration order (the first is used), and its grace timer. */
    private static final class TypeEntry {
        final List<Registration> factories = new ArrayList<>();
        ScheduledFuture<?> grace;
    }

    private record Registration(Object key, FactoryHolder holder) {
    }

    private final RuntimeContext context;
    private final Map<String, AdapterInstance> instances = new ConcurrentHashMap<>();
    private final Map<String, InstanceConfig> configs = new HashMap<>();
    private final Map<String, TypeEntry> types = new HashMap<>();
    private final Map<String, AdapterState> watchedStates = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> watchdog;
    private boolean closed;

    AdapterRegistry(TwinService twin, DeadLetterService deadLetters, Path home, RuntimeSettings settings) {
        this.context = new RuntimeContext(twin, deadLetters, home, settings, instances);
        this.watchdog = context.scheduler.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- factories

    /**
     * An adapter factory service appeared.
     *
     * @param key    tells this registration apart when it goes away
     * @param bundle symbolic name and version of the bundle that registered it
     */
    synchronized void factoryAdded(Object key, AdapterFactory factory, String bundle) {
        if (closed) {
            return;
        }
        AdapterType type;
        try {
            type = factory.type();
            if (type == null) {
                throw new IllegalStateException("type() returned null");
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("The adapter factory of {} is ignored: {}", bundle, e.toString());
            return;
        }
        if (InstanceConfig.RUNTIME_PID.equals(type.factoryPid())) {
            LOG.warn("The adapter factory of {} is ignored: type id 'runtime' is taken by the adapter runtime's own "
                    + "configuration; choose another id", bundle);
            return;
        }
        TypeEntry entry = types.computeIfAbsent(type.id(), id -> new TypeEntry());
        if (entry.grace != null) {
            entry.grace.cancel(false);
            entry.grace = null;
        }
        entry.factories.add(new Registration(key, new FactoryHolder(factory, type, bundle)));
        if (entry.factories.size() > 1) {
            LOG.warn("Adapter type {} is registered by {} and by {}; the first is used while it is there",
                    type.id(), entry.factories.get(0).holder().bundle(), bundle);
            return;
        }
        LOG.debug("Adapter type {} from {}", type.id(), bundle);
        reconcile(type.id());
    }

    /**
     * An adapter factory service went away. Its instances keep their transport and inbox for the upgrade grace period
     * (a new version of the bundle registers again within it), then their queued payloads become dead letters. A call
     * to the adapter that is in flight is finished before this returns, so the bundle can stop.
     */
    synchronized void factoryRemoved(Object key) {
        if (closed) {
            return;
        }
        for (Map.Entry<String, TypeEntry> type : types.entrySet()) {
            TypeEntry entry = type.getValue();
            int index = indexOf(entry, key);
            if (index < 0) {
                continue;
            }
            String typeId = type.getKey();
            entry.factories.remove(index);
            if (index > 0) {
                return; // a spare registration: nothing used it
            }
            Duration grace = context.settings.upgradeGrace();
            if (entry.factories.isEmpty() && !grace.isZero()) {
                entry.grace = context.scheduler.schedule(() -> graceExpired(typeId, entry), grace.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            reconcile(typeId);
            if (entry.factories.isEmpty() && entry.grace == null) {
                types.remove(typeId);
            }
            return;
        }
    }

    private static int indexOf(TypeEntry entry, Object key) {
        for (int i = 0; i < entry.factories.size(); i++) {
            if (entry.factories.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private synchronized void graceExpired(String typeId, TypeEntry entry) {
        if (closed || types.get(typeId) != entry || !entry.factories.isEmpty()) {
            return;
        }
        entry.grace = null;
        types.remove(typeId);
        LOG.info("Adapter type {} did not come back within upgradeGraceSeconds ({} s); its queued payloads become "
                + "dead letters", typeId, context.settings.upgradeGrace().toSeconds());
        reconcile(typeId);
    }

    // ---------------------------------------------------------------- configurations

    /** A configuration was made or changed. */
    synchronized void configurationChanged(InstanceConfig config) {
        if (closed) {
            return;
        }
        InstanceConfig old = configs.put(config.pid(), config);
        if (config.sameAs(old) && old.typeId().equals(config.typeId())) {
            return; // seen already, e.g. in the listing at start and then as an event
        }
        if (old != null && !old.typeId().equals(config.typeId())) {
            reconcile(old.typeId());
        }
        reconcile(config.typeId());
    }

    /** A configuration was deleted. */
    synchronized void configurationDeleted(String pid) {
        InstanceConfig old = configs.remove(pid);
        if (old != null && !closed) {
            reconcile(old.typeId());
        }
    }

    /** Every adapter configuration there is: the ones not listed are gone. */
    synchronized void configurationsLoaded(Collection<InstanceConfig> all) {
        Set<String> listed = all.stream().map(InstanceConfig::pid).collect(Collectors.toSet());
        for (String pid : new HashSet<>(configs.keySet())) {
            if (!listed.contains(pid)) {
                configurationDeleted(pid);
            }
        }
        all.forEach(this::configurationChanged);
    }

    // ---------------------------------------------------------------- the one place that decides

    /** Makes the instances of one type match its configurations and its factory. */
    private void reconcile(String typeId) {
        if (closed) {
            return;
        }
        TypeEntry entry = types.get(typeId);
        FactoryHolder active = entry == null || entry.factories.isEmpty() ? null : entry.factories.get(0).holder();
        boolean inGrace = entry != null && entry.grace != null;

        Map<String, InstanceConfig> desired = new LinkedHashMap<>();
        configs.values().stream().filter(c -> c.typeId().equals(typeId))
                .sorted(Comparator.comparing(InstanceConfig::pid)).forEach(config -> {
                    InstanceConfig first = desired.putIfAbsent(config.instanceId(), config);
                    if (first != null) {
                        LOG.warn("Configurations {} and {} both configure adapter instance {}; {} is used",
                                first.pid(), config.pid(), config.instanceId(), first.pid());
                    }
                });
        if (desired.isEmpty()) {
            AdapterInstance current = instances.get(typeId);
            if (active != null && active.type().defaultInstance()) {
                desired.put(typeId, InstanceConfig.defaultFor(typeId));
            } else if (active == null && inGrace && current != null && current.config() != null
                    && current.config().implicit()) {
                desired.put(typeId, current.config()); // a default instance waiting for the new version
            }
        }

        for (AdapterInstance instance : List.copyOf(instances.values())) {
            if (instance.typeId.equals(typeId) && !desired.containsKey(instance.id)) {
                instances.remove(instance.id);
                instance.remove(removalReason(instance, active));
                LOG.debug("Adapter instance {} removed", instance.id);
            }
        }
        for (Map.Entry<String, InstanceConfig> want : desired.entrySet()) {
            AdapterInstance instance = instances.computeIfAbsent(want.getKey(),
                    id -> new AdapterInstance(id, typeId, context));
            configure(instance, want.getValue(), active, inGrace);
        }
    }

    private void configure(AdapterInstance instance, InstanceConfig config, FactoryHolder active, boolean inGrace) {
        boolean changed = !config.sameAs(instance.config());
        if (instance.operatorStopped()) {
            instance.remember(config);
            return;
        }
        if (active == null) {
            instance.remember(config);
            switch (instance.kind()) {
                case RUNNING -> {
                    if (inGrace) {
                        instance.pauseForUpgrade(context.settings.upgradeGrace());
                    } else {
                        instance.becomeAbsent(removedReason(instance.typeId));
                    }
                }
                case UPGRADING -> {
                    if (!inGrace) {
                        instance.becomeAbsent(removedReason(instance.typeId));
                    }
                }
                case FAILED -> {
                    if (!inGrace) {
                        instance.becomeAbsent("adapter type " + instance.typeId + " is not installed");
                    }
                }
                default -> {
                    // ABSENT: waits for its type
                }
            }
            return;
        }
        AdapterInstance.Kind kind = instance.kind();
        if (changed || active != instance.holder() || kind == AdapterInstance.Kind.ABSENT
                || kind == AdapterInstance.Kind.UPGRADING) {
            instance.startWith(active, config);
        }
    }

    private static String removedReason(String typeId) {
        return "adapter type " + typeId + " was removed";
    }

    private static String removalReason(AdapterInstance instance, FactoryHolder active) {
        InstanceConfig config = instance.config();
        if (config == null || config.implicit()) {
            return active == null ? removedReason(instance.typeId)
                    : "adapter instance " + instance.id + " was replaced by the configured instances of type "
                            + instance.typeId;
        }
        return "adapter instance " + instance.id + " was removed: its configuration " + config.pid()
                + " was deleted";
    }

    // ---------------------------------------------------------------- runtime

    synchronized void mqttAdded(MqttConnection connection) {
        context.mqtt = connection;
        instances.values().forEach(AdapterInstance::mqttChanged);
    }

    synchronized void mqttRemoved(MqttConnection connection) {
        if (context.mqtt == connection) {
            context.mqtt = null;
            instances.values().forEach(AdapterInstance::mqttChanged);
        }
    }

    /** Runs {@code task} once after {@code delay} on the runtime's timer; not after {@link #close()}. */
    void later(Runnable task, Duration delay) {
        try {
            context.scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed already
        }
    }

    /** New settings; the inbox capacity applies to instances made from now on. */
    void settingsChanged(RuntimeSettings settings) {
        context.settings = settings;
    }

    /** Stops every instance: transports closed, queues mapped for a few seconds, the rest kept as dead letters. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watchdog.cancel(false);
        types.values().stream().filter(t -> t.grace != null).forEach(t -> t.grace.cancel(false));
        List<AdapterInstance> all = List.copyOf(instances.values());
        all.forEach(i -> i.beginRemoval("the adapter runtime stopped before this payload was mapped"));
        long deadline = System.nanoTime() + AdapterInstance.DRAIN_TIME.toNanos();
        all.forEach(i -> i.drainByProcessing(deadline));
        all.forEach(AdapterInstance::finishRemoval);
        instances.clear();
        context.shutdown();
    }

    // ---------------------------------------------------------------- commands

    /**
     * A twin change, on the twin listener's thread: new desired properties of a feature of a thing whose attribute
     * {@code adapter} names one of the instances become a command to that instance (one per feature, each with a new
     * correlation id). Things of other adapters, and changes that are no desired properties, are left alone. Cheap for
     * the common case (reported state): no lock, a look at the event's path first.
     */
    void onTwinEvent(TwinEvent event) {
        if (closed || event.isThingDeleted()) {
            return;
        }
        JsonPointer path = event.event().getResourcePath();
        if (!DesiredChanges.mayHold(path)) {
            return;
        }
        JsonValue value = event.event().getEntity().orElse(null);
        if (value == null) {
            return; // a deletion
        }
        List<DesiredChanges.Desired> changes = DesiredChanges.of(path, value);
        if (changes.isEmpty()) {
            return;
        }
        AdapterInstance instance = adapterOf(event.thing());
        if (instance == null) {
            return;
        }
        for (DesiredChanges.Desired change : changes) {
            instance.command(ThingCommand.desired(UUID.randomUUID().toString(), event.thingId(), change.feature(),
                    change.properties()));
        }
    }

    private AdapterInstance adapterOf(Thing thing) {
        return thing.getAttributes().flatMap(a -> a.getValue(HubConventions.ADAPTER)).filter(JsonValue::isString)
                .map(JsonValue::asString).map(instances::get).orElse(null);
    }

    /** The command counters of one instance, e.g. {@code commands sent 3, acknowledged 2, ...}. */
    Optional<String> commandSummary(String id) {
        return Optional.ofNullable(instances.get(id)).map(AdapterInstance::commandSummary);
    }

    // ---------------------------------------------------------------- AdapterAdmin

    @Override
    public List<AdapterStatus> list() {
        return instances.values().stream().map(AdapterInstance::status)
                .sorted(Comparator.comparing(AdapterStatus::id)).collect(Collectors.toList());
    }

    @Override
    public Optional<AdapterStatus> status(String id) {
        return Optional.ofNullable(instances.get(id)).map(AdapterInstance::status);
    }

    @Override
    public Optional<CommandCounters> commands(String id) {
        return Optional.ofNullable(instances.get(id)).map(AdapterInstance::commandCounters);
    }

    @Override
    public synchronized void stop(String id) {
        AdapterInstance instance = require(id);
        if (!instance.operatorStopped()) {
            instance.stop();
            LOG.info("Adapter instance {} stopped by an operator", id);
        }
    }

    @Override
    public synchronized void start(String id) {
        AdapterInstance instance = require(id);
        AdapterInstance.Kind kind = instance.kind();
        if (kind != AdapterInstance.Kind.STOPPED && kind != AdapterInstance.Kind.FAILED) {
            return;
        }
        instance.clearStop();
        TypeEntry entry = types.get(instance.typeId);
        FactoryHolder active = entry == null || entry.factories.isEmpty() ? null : entry.factories.get(0).holder();
        if (active == null) {
            instance.becomeAbsent("adapter type " + instance.typeId + " is not installed");
        } else {
            instance.startWith(active, instance.config());
        }
    }

    @Override
    public CompletionStage<IngestResult> ingest(String id, InboundMessage message) {
        return require(id).submit(message, null);
    }

    @Override
    public CompletionStage<IngestResult> replay(String deadLetterId) {
        DeadLetter letter = context.deadLetters.get(deadLetterId)
                .orElseThrow(() -> new NoSuchElementException("no dead letter '" + deadLetterId + "'"));
        AdapterInstance instance = instances.get(letter.source());
        if (instance == null) {
            throw new UnknownAdapterException(letter.source());
        }
        return instance.submit(new InboundMessage(letter.origin(), letter.payload(), letter.receivedAt()),
                letter.id());
    }

    private AdapterInstance require(String id) {
        AdapterInstance instance = instances.get(id);
        if (instance == null) {
            throw new UnknownAdapterException(id);
        }
        return instance;
    }

    // ---------------------------------------------------------------- health and watchdog

    /**
     * UP while every instance runs (or was stopped on purpose, or waits for a new version of its bundle during an
     * upgrade); DEGRADED when one is DEGRADED, FAILED, or configured for an adapter type that is not installed.
     */
    ComponentHealth health() {
        List<AdapterInstance> all = instances.values().stream().sorted(Comparator.comparing(i -> i.id))
                .collect(Collectors.toList());
        if (all.isEmpty()) {
            return ComponentHealth.up("no adapter instances");
        }
        StringJoiner detail = new StringJoiner("; ");
        boolean degraded = false;
        for (AdapterInstance instance : all) {
            AdapterStatus status = instance.status();
            detail.add(status.id() + " " + status.state() + (status.reason() == null ? "" : " (" + status.reason()
                    + ")") + ": received " + status.received() + ", thing updates " + status.thingUpdates()
                    + ", dead-lettered " + status.deadLettered()
                    + (instance.hadCommands() ? ", " + instance.commandSummary() : ""));
            degraded |= status.state() == AdapterState.DEGRADED || status.state() == AdapterState.FAILED
                    || instance.kind() == AdapterInstance.Kind.ABSENT;
        }
        return degraded ? ComponentHealth.degraded(detail.toString()) : ComponentHealth.up(detail.toString());
    }

    /** Every second: logs an instance that became DEGRADED (stuck, throwing, inbox filling up) once, at WARN. */
    private void watch() {
        try {
            for (AdapterInstance instance : instances.values()) {
                AdapterStatus status = instance.status();
                AdapterState previous = watchedStates.put(instance.id, status.state());
                if (status.state() == AdapterState.DEGRADED && previous != AdapterState.DEGRADED) {
                    LOG.warn("Adapter instance {} is DEGRADED: {}", status.id(), status.reason());
                } else if (previous == AdapterState.DEGRADED && status.state() == AdapterState.RUNNING) {
                    LOG.info("Adapter instance {} is RUNNING again", status.id());
                }
            }
            watchedStates.keySet().retainAll(instances.keySet());
        } catch (RuntimeException e) {
            LOG.warn("Adapter watchdog: {}", e.toString());
        }
    }
}
