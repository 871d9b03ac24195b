package nl.lantaarn.routing.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * One route's consumer of twin events. Events are queued and processed on the consumer's own single thread, in the
 * order they arrive (so per thing in revision order), without ever blocking the twin's listener thread.
 */
final class HubConsumer extends DefaultConsumer {

    private final HubFilter filter;
    private volatile ExecutorService executor;

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
        ThreadPoolProfile profile = new ThreadPoolProfileBuilder("hub-events")
                .poolSize(1).maxPoolSize(1).maxQueueSize(component.queueCapacity())
                .allowCoreThreadTimeOut(false)
                .rejectedPolicy(ThreadPoolRejectedPolicy.Abort)
                .build();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newThreadPool(this, "hub:events " + getRouteId(), profile);
        component.register(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().unregister(this);
        ExecutorService current = executor;
        if (current != null) {
            // lets the events already queued run through the route before it stops
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(current);
        }
        super.doStop();
    }

    void submit(TwinEventView view) {
        ExecutorService current = executor;
        if (current == null) {
            getEndpoint().getComponent().undelivered(this, view, "route was not started");
            return;
        }
        try {
            current.execute(() -> process(view));
        } catch (RejectedExecutionException e) {
            String reason = current.isShutdown()
                    ? "route was stopping"
                    : "the route's event queue is full (" + getEndpoint().getComponent().queueCapacity()
                            + " events); the route is too slow for the event rate";
            getEndpoint().getComponent().undelivered(this, view, reason);
        }
    }

    private void process(TwinEventView view) {
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            message.setBody(JsonConversion.toMap(view.thingJson()));
            message.setHeader(HubHeaders.THING_ID, view.thingId());
            message.setHeader(HubHeaders.NAMESPACE, view.namespace());
            if (view.domain() != null) {
                message.setHeader(HubHeaders.DOMAIN, view.domain());
            }
            message.setHeader(HubHeaders.REVISION, view.revision());
            message.setHeader(HubHeaders.EVENT_TYPE, view.eventType());
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Route " + getRouteId() + " failed on " + view, exchange,
                        exchange.getException());
                // the event is not lost: it becomes a dead letter with the reason
                getEndpoint().getComponent().failed(this, view, exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }

    @Override
    public String toString() {
        return "HubConsumer[" + getRouteId() + " " + filter + "]";
    }
}
