package nl.lantaarn.routing.internal;

import java.time.Duration;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code hub:command?feature=&thing=&nearThing=&radius=&zone=&sameZone=&namespace=&revertAfter=}: actuation; see
 * {@link HubCommandProducer}.
 */
final class HubCommandEndpoint extends DefaultEndpoint {

    private final String feature;
    private final String thing;
    private final boolean nearThing;
    private final double radiusMetres;
    private final String namespace;
    private final String zone;
    private final boolean sameZone;
    private final Duration revertAfter;

    HubCommandEndpoint(String uri, HubComponent component, String feature, String thing, boolean nearThing,
            double radiusMetres, String namespace, String zone, boolean sameZone, Duration revertAfter) {
        super(uri, component);
        this.feature = feature;
        this.thing = thing;
        this.nearThing = nearThing;
        this.radiusMetres = radiusMetres;
        this.namespace = namespace;
        this.zone = zone;
        this.sameZone = sameZone;
        this.revertAfter = revertAfter;
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

    /** Only things of this namespace are targeted near a thing or in a zone; {@code null}: any namespace. */
    String namespace() {
        return namespace;
    }

    /** Target every thing with the feature in this zone; {@code null}: not by zone (or {@link #sameZone()}). */
    String zone() {
        return zone;
    }

    /** Target every thing with the feature in the zone of the exchange's {@code LantaarnZone} header. */
    boolean sameZone() {
        return sameZone;
    }

    /** Set the desired properties back after this long without a further command; {@code null}: never. */
    Duration revertAfter() {
        return revertAfter;
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
