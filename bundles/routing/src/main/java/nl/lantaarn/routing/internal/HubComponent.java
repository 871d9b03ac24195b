package nl.lantaarn.routing.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import nl.lantaarn.twin.api.TwinEvent;

/**
 * The {@code hub} Camel component: {@code hub:events?namespace=&thing=&domain=&feature=&definition=} consumes the
 * twin's change events. The routing component feeds every twin event to {@link #dispatch(TwinEvent)}.
 */
final class HubComponent extends DefaultComponent {

    static final String SCHEME = "hub";
    static final String EVENTS = "events";

    /** Told about every event a started consumer could not take. */
    interface UndeliveredHandler {
        void undelivered(HubConsumer consumer, TwinEventView event, String reason);
    }

    private final List<HubConsumer> consumers = new CopyOnWriteArrayList<>();
    private final int queueCapacity;
    private final UndeliveredHandler undelivered;

    HubComponent(int queueCapacity, UndeliveredHandler undelivered) {
        this.queueCapacity = queueCapacity;
        this.undelivered = undelivered;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!EVENTS.equals(remaining)) {
            throw new IllegalArgumentException("hub:" + remaining + " is not a hub endpoint; the hub component offers "
                    + "hub:events?namespace=&thing=&domain=&feature=&definition=");
        }
        HubFilter filter = new HubFilter(
                getAndRemoveParameter(parameters, "namespace", String.class),
                getAndRemoveParameter(parameters, "thing", String.class),
                getAndRemoveParameter(parameters, "domain", String.class),
                getAndRemoveParameter(parameters, "feature", String.class),
                getAndRemoveParameter(parameters, "definition", String.class));
        // parameters left over are reported by Camel as unknown, naming them
        return new HubEndpoint(uri, this, filter);
    }

    /** Hands the event to every started consumer whose filters match; never blocks. */
    void dispatch(TwinEvent event) {
        if (consumers.isEmpty()) {
            return;
        }
        TwinEventView view = TwinEventView.of(event);
        for (HubConsumer consumer : consumers) {
            if (consumer.filter().matches(view)) {
                consumer.submit(view);
            }
        }
    }

    int queueCapacity() {
        return queueCapacity;
    }

    void register(HubConsumer consumer) {
        consumers.add(consumer);
    }

    void unregister(HubConsumer consumer) {
        consumers.remove(consumer);
    }

    void undelivered(HubConsumer consumer, TwinEventView event, String reason) {
        undelivered.undelivered(consumer, event, reason);
    }
}
