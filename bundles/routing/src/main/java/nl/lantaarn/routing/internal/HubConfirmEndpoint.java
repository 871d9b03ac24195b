package nl.lantaarn.routing.internal;

import java.time.Duration;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code hub:confirm?action=&then=&timeout=}: parks a message until an operator decides; see {@link HubConfirmProducer}. */
final class HubConfirmEndpoint extends DefaultEndpoint {

    private final String action;
    private final String then;
    private final Duration timeout;

    HubConfirmEndpoint(String uri, HubComponent component, String action, String then, Duration timeout) {
        super(uri, component);
        this.action = action;
        this.then = then;
        this.timeout = timeout;
    }

    @Override
    public HubComponent getComponent() {
        return (HubComponent) super.getComponent();
    }

    /** What happens on confirmation, for people. */
    String action() {
        return action;
    }

    /** The endpoint a confirmed message is sent to, e.g. {@code direct:dispatch-police}. */
    String then() {
        return then;
    }

    Duration timeout() {
        return timeout;
    }

    @Override
    public Producer createProducer() {
        return new HubConfirmProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " can only be sent to (to:); a confirmed message "
                + "continues at the endpoint named by then=");
    }
}
