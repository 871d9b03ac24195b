package nl.lantaarn.routing.internal;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code hub:command?feature=&thing=&nearThing=&radius=&namespace=}: actuation; see {@link HubCommandProducer}. */
final class HubCommandEndpoint extends DefaultEndpoint {

    private final String feature;
    private final String thing;
    private final boolean nearThing;
    private final double radiusMetres;
    private final String namespace;

    HubCommandEndpoint(String uri, HubComponent component, String feature, String thing, boolean nearThing,
            double radiusMetres, String namespace) {
        super(uri, component);
        this.feature = feature;
        this.thing = thing;
        this.nearThing = nearThing;
        this.radiusMetres = radiusMetres;
        this.namespace = namespace;
    }

    @Override
    public HubComponent getComponent() {
        return (HubComponent) super.getComponent();
    }

    String feature() {
        return feature;
    }

    /** The thing option, or {@code null}: then the exchange's {@code LantaarnThingId} header. */
    String thing() {
        return thing;
    }

    boolean nearThing() {
        return nearThing;
    }

    double radiusMetres() {
        return radiusMetres;
    }

    /** Only things of this namespace are targeted near a thing; {@code null}: any namespace. */
    String namespace() {
        return namespace;
    }

    @Override
    public Producer createProducer() {
        return new HubCommandProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " can only be sent to (to:); consume twin changes "
                + "with hub:events");
    }
}
