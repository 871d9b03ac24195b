package nl.lantaarn.routing.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.routing.api.PendingAction;
import nl.lantaarn.routing.api.RouteOutline;
import nl.lantaarn.routing.api.RouteStatus;
import nl.lantaarn.runtime.api.HubHome;
import nl.lantaarn.twin.api.TwinEvent;

/**
 * The hub's Camel context "lantaarn" with the {@code hub} and {@code mqtt} components and the routes of the routes
 * folder. Plain Java, so tests run it without OSGi; {@link RoutingComponent} runs it as a DS component.
 */
final class RoutingRuntime implements AutoCloseable {

    static final String CONTEXT_NAME = "lantaarn";
    /** The most actions hub:confirm keeps waiting; beyond it hub:confirm fails the exchange. */
    static final int MAX_PENDING_ACTIONS = 1000;
    /** How often pending actions are checked for expiry. */
    static final long EXPIRY_CHECK_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RoutingRuntime.class);
    /** The routes' outbox, relative to the hub's home. */
    static final String OUTBOX_FILE = "data/routing/outbox.mv";

    /** The pending actions of hub:confirm, relative to the hub's home. */
    static final String PENDING_FILE = "data/routing/pending.mv";

    /** {@value #PENDING_FILE} under the home folder named by {@code lantaarn.home} (blank: the working directory). */
    static Path pendingFile(String home) {
        return HubHome.of(home).resolve(PENDING_FILE).toAbsolutePath().normalize();
    }

    /** {@value #OUTBOX_FILE} under the home folder named by {@code lantaarn.home} (blank: the working directory). */
    static Path outboxFile(String home) {
        return HubHome.of(home).resolve(OUTBOX_FILE).toAbsolutePath().normalize();
    }

    /**
     * @param routesDirectory      the folder of YAML route files
     * @param scanIntervalMillis   how often the folder is checked for changes; 0: never (no hot reload)
     * @param eventQueueCapacity   twin events queued per hub:events route
     * @param shutdownTimeoutSeconds how long stopping a route waits for its exchanges in flight
     * @param settingHint          names the configuration to change, for messages
     * @param outboxFile           the routes' outbox (an H2 MVStore file), or {@code null}: twin events are queued in
     *                             memory only and a crash loses those not yet processed
     * @param pendingFile          the pending actions of hub:confirm (an H2 MVStore file), or {@code null}: they are
     *                             kept in memory only and a restart drops them
     * @param eventQueueWait       how long the twin's event thread waits for room in a full route queue, again while
     *                             the route makes progress; a route that made none during a whole wait is stuck and its
     *                             events are dead-lettered at once until it takes one again; zero: at once
     */
    record Settings(Path routesDirectory, long scanIntervalMillis, int eventQueueCapacity,
            int shutdownTimeoutSeconds, String settingHint, Path outboxFile, Path pendingFile,
            Duration eventQueueWait) {

        /** The default wait for room in a full route queue. */
        static final Duration DEFAULT_EVENT_QUEUE_WAIT = Duration.ofSeconds(10);

        Settings {
            if (eventQueueWait.isNegative()) {
                throw new IllegalArgumentException("eventQueueWaitSeconds must be 0 or more, was "
                        + eventQueueWait.toSeconds());
            }
        }

        /** With the default wait for room in a full route queue. */
        Settings(Path routesDirectory, long scanIntervalMillis, int eventQueueCapacity, int shutdownTimeoutSeconds,
                String settingHint, Path outboxFile, Path pendingFile) {
            this(routesDirectory, scanIntervalMillis, eventQueueCapacity, shutdownTimeoutSeconds, settingHint,
                    outboxFile, pendingFile, DEFAULT_EVENT_QUEUE_WAIT);
        }

        /** Without a pending-actions file. */
        Settings(Path routesDirectory, long scanIntervalMillis, int eventQueueCapacity, int shutdownTimeoutSeconds,
                String settingHint, Path outboxFile) {
            this(routesDirectory, scanIntervalMillis, eventQueueCapacity, shutdownTimeoutSeconds, settingHint,
                    outboxFile, null);
        }

        /** Without an outbox. */
        Settings(Path routesDirectory, long scanIntervalMillis, int eventQueueCapacity, int shutdownTimeoutSeconds,
                String settingHint) {
            this(routesDirectory, scanIntervalMillis, eventQueueCapacity, shutdownTimeoutSeconds, settingHint, null,
                    null);
        }
    }

    private final Settings settings;
    private final Supplier<DeadLetterService> deadLetters;
    private final DefaultCamelContext context;
    private final HubComponent hub;
    private final RouteFiles routeFiles;
    private final ContributedRoutes contributed;
    private final Map<String, AtomicLong> undeliveredByRoute = new ConcurrentHashMap<>();
    private final RouteCounters counters;
    private final PendingActions pendingActions;
    private final RouteOutbox outbox;
    private ScheduledExecutorService scanner;
    private ScheduledExecutorService expiry;

    RoutingRuntime(Settings settings, Supplier<MqttConnection> mqtt, Supplier<DeadLetterService> deadLetters,
            ClassLoader classLoader) {
        this(settings, mqtt, deadLetters, HubServices.none(), classLoader);
    }

    /**
     * @param mqtt        the hub's MQTT connection, or {@code null} while there is none
     * @param deadLetters the dead-letter service, or {@code null} while there is none
     * @param services    what hub:alert and hub:command use; its counters are the routes' counters
     * @param classLoader the class loader for classes named in routes (the routing bundle's)
     */
    RoutingRuntime(Settings settings, Supplier<MqttConnection> mqtt, Supplier<DeadLetterService> deadLetters,
            HubServices services, ClassLoader classLoader) {
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.counters = services.counters();
        this.context = newContext(settings, classLoader);
        context.addRoutePolicyFactory(counters);
        this.pendingActions = new PendingActions(MAX_PENDING_ACTIONS, services.clock(), counters,
                new PendingStore(settings.pendingFile()));
        HubComponent.UndeliveredHandler handler = new HubComponent.UndeliveredHandler() {
            @Override
            public void undelivered(HubConsumer consumer, TwinEventView event, String reason) {
                RoutingRuntime.this.undelivered(consumer, OutboxEvent.of(event), reason);
            }

            @Override
            public void failed(HubConsumer consumer, TwinEventView event, Throwable failure) {
                RoutingRuntime.this.failed(consumer, OutboxEvent.of(event), failure);
            }

            @Override
            public void confirmedFailed(PendingAction action, String then, Throwable failure, String body) {
                RoutingRuntime.this.confirmedFailed(action, then, failure, body);
            }
        };
        this.hub = new HubComponent(settings.eventQueueCapacity(), settings.eventQueueWait(), handler, services,
                pendingActions);
        this.outbox = new RouteOutbox(settings.outboxFile(), new RouteOutbox.Sink() {
            @Override
            public void failed(HubConsumer consumer, OutboxEvent event, Throwable failure) {
                RoutingRuntime.this.failed(consumer, event, failure);
            }

            @Override
            public void undelivered(HubConsumer consumer, OutboxEvent event, String reason) {
                RoutingRuntime.this.undelivered(consumer, event, reason);
            }
        }, new ZoneLookup(services.search()));
        context.getCamelContextExtension().addContextPlugin(RouteOutbox.class, outbox);
        context.addComponent(HubComponent.SCHEME, hub);
        context.addComponent(MqttComponent.SCHEME, new MqttComponent(mqtt));
        context.getRegistry().bind(JsonPick.BEAN_NAME, new JsonPick());
        context.getRegistry().bind(TimeWindows.BEAN_NAME, new TimeWindows());
        this.routeFiles = new RouteFiles(context, settings.routesDirectory(), settings.settingHint());
        this.contributed = new ContributedRoutes(context, routeFiles);
    }

    private static DefaultCamelContext newContext(Settings settings, ClassLoader classLoader) {
        DefaultCamelContext context = new DefaultCamelContext(false);
        context.getCamelContextExtension().setName(CONTEXT_NAME);
        context.setApplicationContextClassLoader(classLoader);
        // fast start, nothing the hub does not use: no JMX, tracing, classpath scanning or stream caching
        context.disableJMX();
        context.setTracing(false);
        context.setBacklogTracing(false);
        context.setLoadTypeConverters(false);
        context.setLoadHealthChecks(false);
        context.setTypeConverterStatisticsEnabled(false);
        context.setMessageHistory(false);
        context.setStreamCaching(false);
        context.setDevConsole(false);
        context.setModeline(false);
        context.setStartupSummaryLevel(StartupSummaryLevel.Oneline);
        context.getShutdownStrategy().setTimeout(settings.shutdownTimeoutSeconds());
        context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
        return context;
    }

    /** Starts the context, loads the route files, and starts watching the folder. */
    void start() {
        long started = System.nanoTime();
        // before the routes start: each hub:events route opens its queue in it
        outbox.open();
        // a restored action continues at its then= endpoint, which is looked up when it is confirmed
        pendingActions.restore(stored -> (action, client) -> HubConfirmProducer.resume(context, hub, stored.then(),
                action, client, stored.body(), stored.headers(), HubConfirmProducer.bodyText(stored.body())));
        context.start();
        routeFiles.scan(true);
        if (settings.scanIntervalMillis() > 0) {
            scanner = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "lantaarn-routes-watch");
                thread.setDaemon(true);
                return thread;
            });
            scanner.scheduleWithFixedDelay(this::scan, settings.scanIntervalMillis(), settings.scanIntervalMillis(),
                    TimeUnit.MILLISECONDS);
        }
        expiry = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lantaarn-pending-expiry");
            thread.setDaemon(true);
            return thread;
        });
        expiry.scheduleWithFixedDelay(this::expire, EXPIRY_CHECK_MILLIS, EXPIRY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.debug("Camel context {} started in {} ms with routes {} from {}", CONTEXT_NAME,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), routeFiles.routeIdsByFile(),
                settings.routesDirectory());
    }

    private void scan() {
        try {
            routeFiles.scan(false);
        } catch (RuntimeException e) {
            // keep watching: one bad scan must not end hot reload
            LOG.warn("Scanning routes directory {} failed: {}", settings.routesDirectory(), e.toString(), e);
        }
    }

    private void expire() {
        try {
            pendingActions.expire();
        } catch (RuntimeException e) {
            // keep checking: one failed check must not leave actions waiting forever
            LOG.warn("Expiring pending actions failed: {}", e.toString(), e);
        }
    }

    @Override
    public void close() {
        if (expiry != null) {
            expiry.shutdownNow();
        }
        if (scanner != null) {
            scanner.shutdownNow();
            try {
                scanner.awaitTermination(settings.shutdownTimeoutSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        context.stop();
        // after the routes, so none parks an action meanwhile; the stored ones continue at the next start
        int forgotten = pendingActions.close();
        if (forgotten > 0) {
            LOG.warn("{} pending actions were not decided and are dropped: the routing component stops and they were "
                    + "kept in memory only ({})", forgotten, settings.pendingFile() == null
                    ? "no pending-actions file is used" : "the pending-actions file could not be written");
        }
        // after the routes: what they did not process stays in the file for the next start
        outbox.close();
        LOG.debug("Camel context {} stopped", CONTEXT_NAME);
    }

    void onTwinEvent(TwinEvent event) {
        hub.dispatch(event);
    }

    CamelContext context() {
        return context;
    }

    RouteFiles routeFiles() {
        return routeFiles;
    }

    RouteOutbox outbox() {
        return outbox;
    }

    /**
     * Adds the routes of a {@code RouteBuilder} service of another bundle; a builder whose routes lack metadata or
     * clash with other routes is refused as a whole (WARN, health).
     *
     * @param key    the service's id, for {@link #removeBuilder(Object)}
     * @param bundle the contributing bundle's symbolic name
     * @return whether its routes run
     */
    boolean addBuilder(Object key, String bundle, org.apache.camel.RoutesBuilder builder) {
        return contributed.add(key, ContributedRoutes.source(bundle), builder);
    }

    /** Stops and removes the routes of a builder whose service went away. */
    void removeBuilder(Object key) {
        contributed.remove(key);
    }

    /** An event whose route failed on it (Camel has logged the failure): dead-lettered with the reason. */
    private void failed(HubConsumer consumer, OutboxEvent event, Throwable failure) {
        String routeId = String.valueOf(consumer.getRouteId());
        DeadLetterService service = deadLetters.get();
        if (service != null) {
            service.record("route:" + routeId, "twin:" + event.thingId(), "Route " + routeId + " failed on twin "
                    + "event " + event + ": " + failure.getMessage(),
                    event.thingJsonText().getBytes(StandardCharsets.UTF_8), Instant.now());
            counters.of(routeId).deadLettered.increment();
        }
    }

    /** A confirmed action whose message failed at its then= endpoint: logged and dead-lettered with the reason. */
    private void confirmedFailed(PendingAction action, String then, Throwable failure, String body) {
        String detail = "Confirmed action " + action.id() + " of route " + action.route() + " ('" + action.action()
                + "') failed at " + then + ": " + failure.getMessage();
        LOG.warn("{}", detail);
        DeadLetterService service = deadLetters.get();
        if (service != null) {
            service.record("route:" + action.route(), "pending:" + action.id(), detail,
                    body.getBytes(StandardCharsets.UTF_8), Instant.now());
            counters.of(action.route()).deadLettered.increment();
        }
    }

    PendingActions pendingActions() {
        return pendingActions;
    }

    /** An event a hub:events route could not take: dead-lettered, counted, and reported once per route. */
    private void undelivered(HubConsumer consumer, OutboxEvent event, String reason) {
        String routeId = String.valueOf(consumer.getRouteId());
        long count = undeliveredByRoute.computeIfAbsent(routeId, id -> new AtomicLong()).incrementAndGet();
        counters.of(routeId).deadLettered.increment();
        String detail = "Twin event " + event + " was not delivered to route " + routeId + ": " + reason;
        if (count == 1) {
            LOG.warn("{}; events that cannot be delivered go to the dead letters (raise eventQueueCapacity or "
                    + "eventQueueWaitSeconds in {} if the route is slow)", detail, settings.settingHint());
        }
        DeadLetterService service = deadLetters.get();
        if (service != null) {
            service.record("route:" + routeId, "twin:" + event.thingId(), detail,
                    event.thingJsonText().getBytes(StandardCharsets.UTF_8), Instant.now());
        } else if (count == 1) {
            LOG.warn("No dead-letter service is running: undelivered twin events of route {} are only counted",
                    routeId);
        }
    }

    /** Every route loaded from the folder with its metadata and counters, sorted by route id. */
    List<RouteStatus> routeStatus() {
        List<RouteStatus> result = new ArrayList<>();
        Map<String, RouteFiles.Loaded> loadedRoutes = new java.util.TreeMap<>(routeFiles.loadedRoutes());
        loadedRoutes.putAll(contributed.loadedRoutes());
        loadedRoutes.forEach((id, loaded) -> {
            ServiceStatus status = context.getRouteController().getRouteStatus(id);
            RouteCounters.Counters c = counters.of(id);
            RouteMetadata.Metadata m = loaded.metadata();
            result.add(new RouteStatus(id, loaded.file(), status == null ? "Unknown" : status.name(),
                    m.description(), m.purpose(), m.legalBasis(), m.owner(), c.in.sum(), c.out.sum(),
                    c.failed.sum(), c.deadLettered.sum(), c.suppressed.sum(), c.confirmed.sum(), c.rejected.sum(),
                    c.expired.sum(), c.retried.sum()));
        });
        return result;
    }

    /** What every loaded route reads and where it sends it, sorted by route id. */
    List<RouteOutline> outlines() {
        List<RouteOutline> result = new ArrayList<>();
        Map<String, RouteFiles.Loaded> loadedRoutes = new java.util.TreeMap<>(routeFiles.loadedRoutes());
        loadedRoutes.putAll(contributed.loadedRoutes());
        loadedRoutes.forEach((id, loaded) -> {
            RouteOutline outline = RouteOutlines.of(context, id, loaded.metadata().properties());
            if (outline != null) {
                result.add(outline);
            }
        });
        return result;
    }

    /** For the health report; cheap. */
    ComponentHealth health() {
        ServiceStatus status = context.getStatus();
        if (!status.isStarted()) {
            return ComponentHealth.down("Camel context " + CONTEXT_NAME + " is " + status);
        }
        List<Route> routes = context.getRoutes();
        long running = routes.stream()
                .filter(route -> context.getRouteController().getRouteStatus(route.getRouteId()).isStarted())
                .count();
        RouteFiles.Summary summary = routeFiles.summary();
        StringBuilder detail = new StringBuilder()
                .append(running).append(" of ").append(routes.size()).append(" routes running, ")
                .append(summary.loadedFiles()).append(" of ").append(summary.files()).append(" route files loaded from ")
                .append(routeFiles.directory());
        ContributedRoutes.Summary builders = contributed.summary();
        if (builders.builders() > 0) {
            detail.append(", ").append(builders.loaded()).append(" of ").append(builders.builders())
                    .append(" route builders of bundles loaded");
        }
        boolean degraded = false;
        if (summary.directoryMissing()) {
            detail.append("; the routes directory does not exist (").append(settings.settingHint()).append(')');
            degraded = true;
        }
        if (!summary.refused().isEmpty()) {
            detail.append("; refused: ").append(summary.refused().stream().map(RouteFileError::describe)
                    .collect(Collectors.joining("; ")));
            degraded = true;
        }
        if (!builders.refused().isEmpty()) {
            detail.append("; refused: ").append(builders.refused().stream().map(RouteFileError::describe)
                    .collect(Collectors.joining("; ")));
            degraded = true;
        }
        String pendingProblem = pendingActions.store().problem();
        if (pendingProblem != null) {
            detail.append("; pending actions are kept in memory only (a restart drops them): ").append(pendingProblem);
            degraded = true;
        }
        if (running < routes.size()) {
            degraded = true;
        }
        if (!undeliveredByRoute.isEmpty()) {
            detail.append("; undelivered twin events: ").append(undeliveredByRoute.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue().get()).collect(Collectors.joining(", ")));
            degraded = true;
        }
        if (outbox.describe(routes.stream().map(Route::getRouteId).collect(Collectors.toSet()), detail)) {
            degraded = true;
        }
        if (!routes.isEmpty()) {
            detail.append("; counters: ").append(routes.stream().map(Route::getRouteId).sorted()
                    .map(id -> id + " (" + counters.of(id) + ")").collect(Collectors.joining(", ")));
        }
        return degraded ? ComponentHealth.degraded(detail.toString()) : ComponentHealth.up(detail.toString());
    }
}
