package nl.lantaarn.routing.internal;

import java.nio.file.Path;

import org.apache.camel.CamelContext;

import nl.lantaarn.twin.api.TwinEvent;

/**
 * Reaches the routing runtime of {@code nl.lantaarn.routing} (package-private) from the benchmarks: this class lives
 * in the same package on the benchmarks' class path. Only for measurements outside the framework: no MQTT connection,
 * no dead-letter, notification or twin service.
 */
public final class RoutingAccess implements AutoCloseable {

    private final RoutingRuntime runtime;

    /**
     * A runtime on the route files of {@code routesDirectory}, not started yet (bind beans into {@link #context()}
     * first, then {@link #start()}): no hot reload, {@code eventQueueCapacity} events queued per route.
     */
    public RoutingAccess(Path routesDirectory, int eventQueueCapacity) {
        this(routesDirectory, eventQueueCapacity, null);
    }

    /** The same with the routes' outbox in {@code outboxFile} ({@code null}: none, events in memory only). */
    public RoutingAccess(Path routesDirectory, int eventQueueCapacity, Path outboxFile) {
        runtime = new RoutingRuntime(settings(routesDirectory, eventQueueCapacity, outboxFile), () -> null,
                () -> null, RoutingAccess.class.getClassLoader());
    }

    /** The runtime's settings: the one place to adapt when {@code RoutingRuntime.Settings} gains fields. */
    private static RoutingRuntime.Settings settings(Path routesDirectory, int eventQueueCapacity, Path outboxFile) {
        return new RoutingRuntime.Settings(routesDirectory, 0, eventQueueCapacity, 10, "routesDirectory (benchmark)",
                outboxFile);
    }

    public CamelContext context() {
        return runtime.context();
    }

    /** Starts the Camel context and loads the route files. */
    public void start() {
        runtime.start();
    }

    /** Number of routes started. */
    public int startedRoutes() {
        return (int) runtime.context().getRoutes().stream()
                .filter(route -> runtime.context().getRouteController().getRouteStatus(route.getRouteId()).isStarted())
                .count();
    }

    /** Hands one twin event to the routes, as the routing component does for each event of the twin. */
    public void dispatch(TwinEvent event) {
        runtime.onTwinEvent(event);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
