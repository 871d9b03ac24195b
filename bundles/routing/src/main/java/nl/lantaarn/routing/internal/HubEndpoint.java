package nl.lantaarn.routing.internal;

import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code hub:events?...}: a consumer of twin change events; see {@link HubComponent}. */
final class HubEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    private final HubFilter filter;

    HubEndpoint(String uri, HubComponent component, HubFilter filter) {
        super(uri, component);
        this.filter = filter;
    }

    HubFilter filter() {
        return filter;
    }

    @Override
    public HubComponent getComponent() {
        return (HubComponent) super.getComponent();
    }

    /** Several routes may consume the same events; each gets its own consumer and queue. */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " can only be consumed (from:); the twin is changed "
                + "through desired properties, not by sending to hub:events");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        HubConsumer consumer = new HubConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
