package nl.lantaarn.routing.internal;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code hub:things?zone=|sameZone=true|nearThing=true&radius=[&filter=][&feature=][&limit=][&header=]}: puts the ids
 * of matching things in a header; see {@link HubThingsProducer}.
 */
final class HubThingsEndpoint extends DefaultEndpoint {

    static final String DEFAULT_HEADER = "LantaarnThings";
    static final int DEFAULT_LIMIT = 1000;

    /**
     * @param zone      a zone id, or {@code null}
     * @param sameZone  the zone of the exchange's {@code LantaarnZone} header
     * @param nearThing within {@code radius} of the thing (the {@code thing} option or the header), itself excluded
     * @param rql       the search filter (with {@code exists(features/<feature>)}), or {@code null}
     */
    record Options(String zone, boolean sameZone, boolean nearThing, double radiusMetres, String thing, String rql,
            int limit, String header) {
    }

    private final Options options;

    HubThingsEndpoint(String uri, HubComponent component, Options options) {
        super(uri, component);
        this.options = options;
    }

    Options options() {
        return options;
    }

    @Override
    public HubComponent getComponent() {
        return (HubComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new HubThingsProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " can only be sent to (to:); it looks things up");
    }
}
