package nl.lantaarn.routing.internal;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.URISupport;
import org.eclipse.ditto.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.backpressure.ProgressGate;
import nl.lantaarn.durable.DurableQueue;
import nl.lantaarn.durable.DurableStoreException;
import nl.lantaarn.durable.QueueFullException;

/**
 * One route's consumer of twin events. Events are queued and processed one at a time on the route's lane of the
 * shared route workers ({@link RouteWorkers}), in the order they arrive (so per thing in revision order). A full queue
 * holds the twin's listener thread while the route makes progress, and once only for a stuck route.
 * <p>
 * With an outbox ({@link RouteOutbox}) every accepted event is first appended to the route's durable queue (in memory,
 * committed to the file by a background thread within milliseconds) and removed once the route finished with it
 * (completed or dead-lettered). At start the route first processes what its durable queue still holds, in order:
 * events accepted before a crash or a stop.
 */
final class HubConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(HubConsumer.class);
    /** Outbox entries read at a time when a backlog is processed. */
    private static final int REPLAY_PAGE = 256;
    /** No outbox sequence: the event was not appended. */
    private static final long NOT_APPENDED = -2;

    private final HubFilter filter;
    /** The route's purposeId route property, or null: decides whether it may receive personal data. */
    private volatile String purposeId;
    private volatile RouteWorkers.Lane executor;
    private volatile RouteOutbox outbox;
    private volatile DurableQueue queue;

    HubConsumer(HubEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.filter = endpoint.filter();
    }

    HubFilter filter() {
        return filter;
    }

    @Override
    public HubEndpoint getEndpoint() {
        return (HubEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        HubComponent component = getEndpoint().getComponent();
        Object purpose = getRoute() == null ? null : getRoute().getProperties().get(RoutePurposes.PURPOSE_ID);
        purposeId = purpose == null ? null : purpose.toString();
        component.purposes().started(getRouteId());
        // events wait in the lane; the one being processed has left it
        RouteWorkers.Lane started = component.workers().lane(String.valueOf(getRouteId()), component.queueCapacity());
        outbox = RouteOutbox.of(getEndpoint().getCamelContext());
        // the capacity counts the event in process too, which the in-memory queue does not hold
        DurableQueue durable = outbox == null ? null : outbox.queue(getRouteId(), component.queueCapacity() + 1);
        queue = durable;
        if (durable != null && durable.size() > 0) {
            // the first task of the route's thread: the backlog goes before every event accepted from now on
            long before = durable.nextSequence();
            LOG.info("Route {}: processing {} twin events kept in its outbox first", getRouteId(), durable.size());
            started.execute(() -> replay(started, durable, before));
        }
        executor = started;
        component.register(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().unregister(this);
        RouteWorkers.Lane current = executor;
        if (current != null) {
            // lets the events already queued run through the route before it stops; those that do not make it stay
            // in the outbox for the route's next start
            long timeout = getEndpoint().getCamelContext().getExecutorServiceManager().getShutdownAwaitTermination();
            List<Runnable> notRun = current.shutdownGraceful(timeout);
            if (!notRun.isEmpty()) {
                LOG.info("Route {} stopped {} ms after it was asked to, before {} queued twin events ran{}",
                        getRouteId(), timeout, notRun.size(), queue == null ? "; they become dead letters"
                                : "; they stay in its outbox for its next start");
                for (Runnable task : notRun) {
                    if (task instanceof Delivery delivery && delivery.entry() < 0) {
                        undelivered(delivery.event(), "route was stopped before it processed the event");
                    }
                }
            }
        }
        super.doStop();
    }

    /**
     * Takes an event on the twin's listener thread: appends it to the outbox (memory only here) and queues it. When
     * the route's queue is full this thread waits for room as long as the route makes progress (back-pressure); a
     * route that made none during a whole wait is stuck, and its events are dead-lettered at once until it takes one
     * again ({@link RouteWorkers.Lane#await}). The route's own threads never wait here, so they can always make room.
     */
    void submit(TwinEventView view) {
        if (getEndpoint().getComponent().purposes().refuses(getRouteId(), purposeId, view.thingJson())) {
            // personal data the route's purpose may not use: withheld (logged and audited once per route start)
            return;
        }
        OutboxEvent event = OutboxEvent.of(view);
        RouteWorkers.Lane current = executor;
        if (current == null) {
            undelivered(event, "route was not started");
            return;
        }
        DurableQueue durable = queue;
        long sequence = -1;
        if (durable != null) {
            try {
                sequence = durable.append(event.bytes());
            } catch (QueueFullException e) {
                sequence = appendWaiting(current, durable, event.bytes());
                if (sequence == NOT_APPENDED) {
                    undelivered(event, current.isShutdown() ? "route was stopping" : fullReason());
                    return;
                }
            } catch (DurableStoreException e) {
                // the event goes on in memory rather than being refused
                outbox.problem(e);
            }
        }
        long entry = sequence;
        Delivery delivery = new Delivery(this, event, entry);
        try {
            current.execute(delivery);
        } catch (RejectedExecutionException e) {
            if (!current.isShutdown() && current.executeWaiting(delivery, waitNanos())) {
                return;
            }
            if (current.isShutdown() && entry >= 0) {
                // kept in the outbox: the route processes it when it starts again (reload, restart)
                return;
            }
            remove(entry);
            undelivered(event, current.isShutdown() ? "route was stopping" : fullReason());
        }
    }

    /** The outbox append of a full route queue, waiting for the route's progress; {@link #NOT_APPENDED}: not. */
    private long appendWaiting(RouteWorkers.Lane lane, DurableQueue durable, byte[] bytes) {
        long[] appended = {NOT_APPENDED};
        lane.await(() -> {
            try {
                appended[0] = durable.append(bytes);
                return true;
            } catch (QueueFullException full) {
                return false;
            } catch (DurableStoreException e) {
                // the event goes on in memory rather than being refused
                outbox.problem(e);
                appended[0] = -1;
                return true;
            }
        }, waitNanos());
        return appended[0];
    }

    private long waitNanos() {
        return getEndpoint().getComponent().queueWaitNanos();
    }

    private String fullReason() {
        HubComponent component = getEndpoint().getComponent();
        String full = "the route's event queue is full (" + component.queueCapacity() + " events)";
        if (component.queueWaitNanos() == 0) {
            return full + "; the route is too slow for the event rate";
        }
        return full + " and the route made no progress for " + ProgressGate.describe(component.queueWaitNanos())
                + ": it is treated as stuck until it takes an event again";
    }

    /** Processes the outbox entries below {@code before}, in order, on the route's thread. */
    private void replay(RouteWorkers.Lane lane, DurableQueue durable, long before) {
        long from = 0;
        while (isRunAllowed()) {
            List<DurableQueue.Entry> page;
            try {
                page = durable.entries(from, before, REPLAY_PAGE);
            } catch (DurableStoreException e) {
                outbox.problem(e);
                return;
            }
            if (page.isEmpty()) {
                return;
            }
            for (DurableQueue.Entry entry : page) {
                if (!isRunAllowed()) {
                    // stopping: the rest stays in the outbox
                    return;
                }
                OutboxEvent event;
                try {
                    event = OutboxEvent.read(entry.value());
                } catch (IllegalArgumentException e) {
                    LOG.warn("Route {}: outbox entry {} cannot be read ({}); removed", getRouteId(),
                            entry.sequence(), e.getMessage());
                    remove(entry.sequence());
                    continue;
                }
                process(event, entry.sequence());
                // the outbox has room again: a producer waiting for it goes on
                lane.progressed();
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
    }

    /** An event for the route's lane; {@code entry} is its outbox sequence, or -1 without an outbox. */
    private record Delivery(HubConsumer consumer, OutboxEvent event, long entry) implements Runnable {
        @Override
        public void run() {
            consumer.process(event, entry);
        }
    }

    private void process(OutboxEvent event, long entry) {
        RoutePurposes purposes = getEndpoint().getComponent().purposes();
        JsonObject thing = event.thingJson();
        if (purposes.refuses(getRouteId(), purposeId, thing)) {
            // an event kept in the outbox from before: the route's purpose does not allow it now
            remove(entry);
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            message.setBody(JsonConversion.toMap(event.thingJson()));
            event.setHeaders(message);
            TwinEventView view = event.view();
            if (view == null && outbox != null) {
                view = event.replayView(outbox.zones());
            }
            if (view != null) {
                view.setZoneHeaders(message);
            }
            getProcessor().process(exchange);
            Object recipient = exchange.getProperty(ExchangePropertyKey.TO_ENDPOINT);
            if (exchange.getException() == null && recipient != null && purposes.personal(thing) != null) {
                // the event reached an endpoint (the last one is named): a delivery of personal data
                purposes.delivered(getRouteId(), purposeId, URISupport.sanitizeUri(recipient.toString()),
                        event.thingId());
            }
        } catch (Exception e) {
            exchange.setException(e);
        }
        try {
            finish(event, entry, exchange);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** Completed: out of the outbox; failed: a dead letter, then out of the outbox; cut off by a stop: kept. */
    private void finish(OutboxEvent event, long entry, Exchange exchange) {
        Exception failure = exchange.getException();
        if (failure != null && entry >= 0 && queue != null && isStoppingOrStopped()) {
            // the shutdown timeout interrupted the route's thread: not the route's failure
            LOG.info("Route {} was stopped while processing {} ({}); the event stays in the outbox for the route's "
                    + "next start", getRouteId(), event, failure.toString());
            return;
        }
        try {
            if (failure != null) {
                getExceptionHandler().handleException("Route " + getRouteId() + " failed on " + event, exchange,
                        failure);
                // the event is not lost: it becomes a dead letter with the reason
                failed(event, failure);
            }
        } finally {
            remove(entry);
        }
    }

    private void remove(long entry) {
        DurableQueue durable = queue;
        if (entry >= 0 && durable != null) {
            try {
                durable.remove(entry);
            } catch (DurableStoreException e) {
                outbox.problem(e);
            }
        }
    }

    private void failed(OutboxEvent event, Throwable failure) {
        RouteOutbox current = outbox;
        if (current != null) {
            current.sink().failed(this, event, failure);
        } else if (event.view() != null) {
            getEndpoint().getComponent().failed(this, event.view(), failure);
        }
    }

    private void undelivered(OutboxEvent event, String reason) {
        RouteOutbox current = outbox;
        if (current != null) {
            current.sink().undelivered(this, event, reason);
        } else if (event.view() != null) {
            getEndpoint().getComponent().undelivered(this, event.view(), reason);
        }
    }

    @Override
    public String toString() {
        return "HubConsumer[" + getRouteId() + " " + filter + "]";
    }
}
