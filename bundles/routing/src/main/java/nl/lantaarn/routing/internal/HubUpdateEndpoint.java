package nl.lantaarn.routing.internal;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code hub:update?feature=[&thing=]}: merges the body into a feature's reported properties; see {@link HubUpdateProducer}. */
final class HubUpdateEndpoint extends DefaultEndpoint {

    private final String feature;
    private final String thing;

    HubUpdateEndpoint(String uri, HubComponent component, String feature, String thing) {
        super(uri, component);
        this.feature = feature;
        this.thing = thing;
    }

    String feature() {
        return feature;
    }

    /** The thing option, or {@code null}: then the exchange's {@code LantaarnThingId} header. */
    String thing() {
        return thing;
    }

    @Override
    public HubComponent getComponent() {
        return (HubComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new HubUpdateProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " can only be sent to (to:); consume twin changes "
                + "with hub:events");
    }
}
