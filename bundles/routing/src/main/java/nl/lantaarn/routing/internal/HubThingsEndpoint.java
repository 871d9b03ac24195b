package nl.lantaarn.routing.internal;

import org.apache.camel.Producer;

/**
 * {@code hub:things?zone=|sameZone=true|nearThing=true&radius=[&filter=][&feature=][&limit=][&header=]}: puts the ids
 * of matching things in a header; see {@link HubThingsProducer}.
 */
final class HubThingsEndpoint extends HubLookupEndpoint<HubThingsEndpoint.Options> {

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

    HubThingsEndpoint(String uri, HubComponent component, Options options) {
        super(uri, component, options, "it looks things up");
    }

    @Override
    public Producer createProducer() {
        return new HubThingsProducer(this);
    }
}
