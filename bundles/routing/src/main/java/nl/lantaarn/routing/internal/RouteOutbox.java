package nl.lantaarn.routing.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.durable.DurableQueue;
import nl.lantaarn.durable.DurableStore;
import nl.lantaarn.durable.DurableStoreException;

/**
 * The routes' outbox: one durable queue per {@code hub:events} route (by route id) in one file, so that a twin event
 * a route accepted is processed after a crash too. A Camel context plugin, so each {@link HubConsumer} finds it and
 * the {@link RoutingRuntime} that owns it hears of failed and undelivered events, without going through the component.
 */
final class RouteOutbox implements AutoCloseable {

    /** What happens to events a route failed on or could not take. */
    interface Sink {
        void failed(HubConsumer consumer, OutboxEvent event, Throwable failure);

        void undelivered(HubConsumer consumer, OutboxEvent event, String reason);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RouteOutbox.class);

    private final Path file;
    private final Sink sink;
    private final ZoneLookup zones;
    private final AtomicLong notKept = new AtomicLong();
    private volatile DurableStore store;
    private volatile String problem;

    /**
     * @param file  the outbox file; {@code null}: events are queued in memory only
     * @param zones for the zone headers of events read back from the outbox
     */
    RouteOutbox(Path file, Sink sink, ZoneLookup zones) {
        this.file = file;
        this.sink = sink;
        this.zones = zones;
    }

    /** The outbox of a context, or {@code null} when it has none (a context the runtime did not make). */
    static RouteOutbox of(CamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(RouteOutbox.class);
    }

    /** Opens the file; on failure the routes run with in-memory queues only, and health says so. */
    void open() {
        if (file == null) {
            return;
        }
        try {
            store = DurableStore.open(file, DurableStore.Options.defaults());
            problem = null;
            Map<String, Integer> backlog = store.backlog();
            if (!backlog.isEmpty()) {
                LOG.info("Route outbox {} holds twin events not yet processed: {}; each route processes its own "
                        + "first when it starts", file, backlog);
            }
        } catch (DurableStoreException e) {
            problem = e.getMessage();
            LOG.error("{} Twin events are queued in memory only until the routing component restarts: a crash loses "
                    + "those not yet processed.", e.getMessage());
        }
    }

    Sink sink() {
        return sink;
    }

    ZoneLookup zones() {
        return zones;
    }

    /** The route's durable queue, or {@code null} when there is no outbox (or it failed). */
    DurableQueue queue(String routeId, int capacity) {
        DurableStore current = store;
        if (current == null) {
            return null;
        }
        try {
            return current.queue(routeId, capacity);
        } catch (DurableStoreException e) {
            problem(e);
            return null;
        }
    }

    /** An append or removal failed: the event goes on in memory, health says so. */
    void problem(DurableStoreException e) {
        if (notKept.getAndIncrement() == 0) {
            LOG.warn("{} Twin events go on in memory only while this lasts.", e.getMessage());
        }
        problem = e.getMessage();
    }

    /**
     * For the health report: the outbox file and the events it holds per route with a backlog; a route id in the
     * outbox that is not among {@code routeIds} is named as such (its entries are kept for a route of that id).
     *
     * @return {@code degraded} when events wait for a route that does not exist or the outbox failed
     */
    boolean describe(Set<String> routeIds, StringBuilder detail) {
        if (file == null) {
            return false;
        }
        DurableStore current = store;
        boolean degraded = false;
        detail.append("; outbox ").append(file);
        if (current == null) {
            detail.append(" could not be opened, twin events are queued in memory only: ").append(problem);
            return true;
        }
        Map<String, Integer> backlog = current.backlog();
        if (backlog.isEmpty()) {
            detail.append(": empty");
        } else {
            detail.append(": backlog ").append(backlog.entrySet().stream()
                    .filter(e -> routeIds.contains(e.getKey()))
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
            String orphans = backlog.entrySet().stream().filter(e -> !routeIds.contains(e.getKey()))
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
            if (!orphans.isEmpty()) {
                detail.append("; twin events kept for routes that are not loaded (their route file is gone or "
                        + "refused; a route with that id processes them when it starts): ").append(orphans);
                degraded = true;
            }
        }
        String failure = current.failure() != null ? current.failure() : problem;
        if (failure != null) {
            detail.append("; outbox problem (").append(notKept.get()).append(" events kept in memory only): ")
                    .append(failure);
            degraded = true;
        }
        return degraded;
    }

    /** For tests: waits until what was appended so far is in the file. */
    boolean awaitCommitted(java.time.Duration timeout) throws InterruptedException {
        DurableStore current = store;
        return current != null && current.awaitCommitted(timeout);
    }

    /** The open outbox, or {@code null}. */
    DurableStore store() {
        return store;
    }

    /** The problem that keeps the outbox from opening, or {@code null}. */
    String openProblem() {
        return store == null ? problem : null;
    }

    @Override
    public void close() {
        DurableStore current = store;
        store = null;
        if (current != null) {
            current.close();
        }
    }
}
