package nl.lantaarn.routing.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.eclipse.ditto.json.JsonValue;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.audit.api.AuditTrail;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.durable.OutboxPersonalData;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.notify.api.NotificationService;
import nl.lantaarn.personaldata.api.DataSubject;
import nl.lantaarn.personaldata.api.PersonalDataStore;
import nl.lantaarn.personaldata.api.RetentionRules;
import nl.lantaarn.routing.api.PendingAction;
import nl.lantaarn.routing.api.RouteAdmin;
import nl.lantaarn.routing.api.RouteOutline;
import nl.lantaarn.routing.api.RouteStatus;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.TwinService;

/**
 * Runs the hub's Camel context: receives every twin event (whiteboard {@link TwinEventListener}) for the
 * {@code hub:events} routes, publishes through the hub's {@link MqttConnection}, loads the route files and the routes of
 * {@link RouteBuilder} services of other bundles (whiteboard), and reports health as {@code routing}.
 */
@Component(name = RoutingComponent.PID, configurationPid = RoutingComponent.PID,
        service = {TwinEventListener.class, HealthContributor.class, RouteAdmin.class, PersonalDataStore.class},
        immediate = true)
@Designate(ocd = RoutingComponent.Config.class)
public final class RoutingComponent implements TwinEventListener, HealthContributor, RouteAdmin, PersonalDataStore {

    static final String PID = "nl.lantaarn.routing";
    /** Framework or system property naming the hub's home folder; default: the working directory. */
    static final String HOME_PROPERTY = "lantaarn.home";

    @ObjectClassDefinition(name = "Lantaarn routing",
            description = "Camel routes between domains: YAML route files and the hub/mqtt components.")
    @interface Config {

        @AttributeDefinition(name = "Routes directory", description = "Folder of the YAML route files (*.yaml, "
                + "*.yml). Empty: <lantaarn.home>/routes. A relative path is resolved against lantaarn.home.")
        String routesDirectory() default "";

        @AttributeDefinition(name = "Scan interval (ms)", min = "0", description = "How often the folder is checked "
                + "for new, changed and deleted files. 0 turns hot reload off.")
        long scanIntervalMillis() default 1000;

        @AttributeDefinition(name = "Event queue capacity", min = "1", description = "Twin events queued per "
                + "hub:events route; when it is full the twin's event thread waits (see Event queue wait).")
        int eventQueueCapacity() default 10_000;

        @AttributeDefinition(name = "Event queue wait (s)", min = "0", description = "How long a full route queue "
                + "holds the twin's event thread (back-pressure), again and again while the route takes events. A "
                + "route that took none during a whole wait is stuck: its events go to the dead letters at once until "
                + "it takes one again. 0: a full queue dead-letters at once.")
        int eventQueueWaitSeconds() default 10;

        @AttributeDefinition(name = "Shutdown timeout (s)", min = "1", description = "How long stopping a route "
                + "(reload, shutdown) waits for its messages in flight.")
        int shutdownTimeoutSeconds() default 10;
    }

    // dynamic, so a new MQTT connection or dead-letter service is used without restarting the routes; dynamic
    // references are set by field before activate() runs, which constructor injection could not guarantee
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MqttConnection mqtt;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeadLetterService deadLetters;

    // optional: without them hub:alert and hub:command fail their exchanges, everything else runs
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NotificationService notifications;

    // Not DS references: the twin calls this component as a TwinEventListener, so the twin may be activating
    // this component while it is itself being activated, and getting the twin (or the search, whose index needs the
    // twin) then fails with "ServiceFactory.getService() resulted in a cycle", leaving the reference unbound for
    // good. They are looked up when a route first needs them (hub:command, a zone), after start-up.
    private volatile LazyService<TwinService> twin;
    private volatile LazyService<ThingSearch> search;

    private volatile RoutingRuntime runtime;

    /** Purpose binding of the routes: the adapters' manifests and the audit trail, kept across restarts. */
    private final RoutePurposes purposes = new RoutePurposes();

    // the manifests decide which routes may receive personal data (function-creep guard); dynamic, so an adapter
    // bundle that comes or goes does not restart the routes
    @Reference(name = "adapterFactories", service = AdapterFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeAdapterFactory")
    void addAdapterFactory(AdapterFactory factory) {
        purposes.addFactory(factory);
    }

    void removeAdapterFactory(AdapterFactory factory) {
        purposes.removeFactory(factory);
    }

    // optional: refusals and deliveries of personal data are audited when the audit bundle runs
    @Reference(name = "audit", service = AuditTrail.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetAudit")
    void setAudit(AuditTrail trail) {
        purposes.setAudit(trail);
    }

    void unsetAudit(AuditTrail trail) {
        purposes.unsetAudit(trail);
    }

    /** A RouteBuilder service of another bundle. */
    private record Builder(String bundle, RoutesBuilder routes) {
    }

    /**
     * RouteBuilder services by service id, also those bound before activation. Guarded by itself; {@link #runtime}
     * changes under the same lock, so a builder is added exactly once, to the runtime that runs.
     */
    private final Map<Long, Builder> builders = new LinkedHashMap<>();

    // Whiteboard: bundles contribute Java DSL routes as RouteBuilder (or RoutesBuilder) services. Two references
    // because a service registered under only one of the two names is not found by the other; a service under both
    // is bound twice and added once (by service id).
    @Reference(name = "routesBuilders", service = RoutesBuilder.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeRoutesBuilder")
    void addRoutesBuilder(ServiceReference<RoutesBuilder> reference, RoutesBuilder builder) {
        addBuilder(reference, builder);
    }

    void removeRoutesBuilder(ServiceReference<RoutesBuilder> reference) {
        removeBuilder(reference);
    }

    @Reference(name = "routeBuilders", service = RouteBuilder.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeRouteBuilder")
    void addRouteBuilder(ServiceReference<RouteBuilder> reference, RouteBuilder builder) {
        addBuilder(reference, builder);
    }

    void removeRouteBuilder(ServiceReference<RouteBuilder> reference) {
        removeBuilder(reference);
    }

    private void addBuilder(ServiceReference<?> reference, RoutesBuilder routes) {
        Long id = (Long) reference.getProperty(Constants.SERVICE_ID);
        Bundle bundle = reference.getBundle();
        Builder builder = new Builder(bundle == null ? "unknown" : bundle.getSymbolicName(), routes);
        synchronized (builders) {
            if (builders.putIfAbsent(id, builder) != null) {
                return;
            }
            RoutingRuntime current = runtime;
            if (current != null) {
                current.addBuilder(id, builder.bundle(), routes);
            }
        }
    }

    private void removeBuilder(ServiceReference<?> reference) {
        Long id = (Long) reference.getProperty(Constants.SERVICE_ID);
        synchronized (builders) {
            if (builders.remove(id) == null) {
                return;
            }
            RoutingRuntime current = runtime;
            if (current != null) {
                current.removeBuilder(id);
            }
        }
    }

    /** The routes' outbox for retention, erasure and export: the twin events waiting for a route. */
    private final OutboxPersonalData outboxData = new OutboxPersonalData("outbox:routing", () -> {
        RoutingRuntime current = runtime;
        return current == null ? null : current.outbox().store();
    }, bytes -> {
        try {
            return OutboxEvent.read(bytes).thingId();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }, bytes -> {
        try {
            OutboxEvent event = OutboxEvent.read(bytes);
            return "{\"thingId\":" + JsonValue.of(event.thingId()) + ",\"thing\":" + event.thingJsonText() + "}";
        } catch (IllegalArgumentException e) {
            return "{\"unreadable\":" + JsonValue.of(e.getMessage()) + "}";
        }
    });

    @Override
    public String name() {
        return outboxData.name();
    }

    @Override
    public long expire(RetentionRules rules, Instant now) {
        return outboxData.expire(rules, now);
    }

    @Override
    public List<String> export(DataSubject subject) {
        return outboxData.export(subject);
    }

    @Override
    public long erase(DataSubject subject) {
        return outboxData.erase(subject);
    }

    @Activate
    void activate(BundleContext bundleContext, Config config) {
        Path directory = routesDirectory(bundleContext.getProperty(HOME_PROPERTY), config.routesDirectory());
        RoutingRuntime.Settings settings = new RoutingRuntime.Settings(directory,
                Math.max(0, config.scanIntervalMillis()), Math.max(1, config.eventQueueCapacity()),
                Math.max(1, config.shutdownTimeoutSeconds()), "routesDirectory in configuration " + PID,
                RoutingRuntime.outboxFile(bundleContext.getProperty(HOME_PROPERTY)),
                RoutingRuntime.pendingFile(bundleContext.getProperty(HOME_PROPERTY)),
                Duration.ofSeconds(config.eventQueueWaitSeconds()));
        LazyService<TwinService> twinService = new LazyService<>(bundleContext, TwinService.class);
        LazyService<ThingSearch> searchService = new LazyService<>(bundleContext, ThingSearch.class);
        twin = twinService;
        search = searchService;
        HubServices services = new HubServices(() -> notifications, twinService, searchService, Clock.systemUTC(),
                new RouteCounters(), purposes);
        RoutingRuntime started = new RoutingRuntime(settings, () -> mqtt, () -> deadLetters, services,
                RoutingComponent.class.getClassLoader());
        started.start();
        synchronized (builders) {
            runtime = started;
            // after the route files: a builder's route id that a file uses is refused
            builders.forEach((id, builder) -> started.addBuilder(id, builder.bundle(), builder.routes()));
        }
    }

    @Deactivate
    void deactivate() {
        RoutingRuntime current;
        synchronized (builders) {
            current = runtime;
            runtime = null;
        }
        if (current != null) {
            current.close();
        }
        for (LazyService<?> service : new LazyService<?>[] {twin, search}) {
            if (service != null) {
                service.close();
            }
        }
        twin = null;
        search = null;
    }

    /** {@code <home>/routes} unless configured; relative paths are resolved against the home folder. */
    static Path routesDirectory(String home, String configured) {
        Path base = Path.of(home == null || home.isBlank() ? System.getProperty("user.dir") : home);
        if (configured == null || configured.isBlank()) {
            return base.resolve("routes").toAbsolutePath().normalize();
        }
        return base.resolve(configured.trim()).toAbsolutePath().normalize();
    }

    @Override
    public void onTwinEvent(TwinEvent event) {
        RoutingRuntime current = runtime;
        if (current != null) {
            current.onTwinEvent(event);
        }
    }

    @Override
    public List<RouteStatus> list() {
        RoutingRuntime current = runtime;
        return current == null ? List.of() : current.routeStatus();
    }

    @Override
    public List<RouteOutline> outlines() {
        RoutingRuntime current = runtime;
        return current == null ? List.of() : current.outlines();
    }

    @Override
    public List<PendingAction> pending() {
        RoutingRuntime current = runtime;
        return current == null ? List.of() : current.pendingActions().list();
    }

    @Override
    public Optional<PendingAction> confirm(String id, String client) {
        RoutingRuntime current = runtime;
        return current == null ? Optional.empty() : current.pendingActions().confirm(id, client);
    }

    @Override
    public Optional<PendingAction> reject(String id, String client, String reason) {
        RoutingRuntime current = runtime;
        return current == null ? Optional.empty() : current.pendingActions().reject(id, client, reason);
    }

    @Override
    public String component() {
        return "routing";
    }

    @Override
    public ComponentHealth health() {
        RoutingRuntime current = runtime;
        return current == null ? ComponentHealth.down("the routing component is not active") : current.health();
    }
}
