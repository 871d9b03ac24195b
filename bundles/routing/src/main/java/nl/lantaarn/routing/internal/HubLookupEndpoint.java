package nl.lantaarn.routing.internal;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultEndpoint;

/**
 * What the look-up endpoints ({@code hub:things}, {@code hub:value}) share: options parsed once by the component, a
 * producer only.
 *
 * @param <O> the endpoint's options
 */
abstract class HubLookupEndpoint<O> extends DefaultEndpoint {

    private final O options;
    private final String what;

    /** @param what what the endpoint does, for the message when a route consumes from it */
    HubLookupEndpoint(String uri, HubComponent component, O options, String what) {
        super(uri, component);
        this.options = options;
        this.what = what;
    }

    O options() {
        return options;
    }

    @Override
    public HubComponent getComponent() {
        return (HubComponent) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " can only be sent to (to:); " + what);
    }
}
