package nl.lantaarn.routing.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.search.api.SearchQueryException;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinService;

/**
 * Sets a header (default {@code LantaarnThings}) to the ids ({@code List<String>}, sorted) of the things in a zone,
 * in the exchange's own zone, or near the exchange's thing (that thing excluded), optionally only those matching an
 * RQL filter and having a feature. {@code sameZone} without a zone header gives an empty list. No search service, an
 * unknown zone, a bad filter, or a reference thing without location fails the exchange.
 */
final class HubThingsProducer extends DefaultProducer {

    HubThingsProducer(HubThingsEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public HubThingsEndpoint getEndpoint() {
        return (HubThingsEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HubThingsEndpoint.Options options = getEndpoint().options();
        HubServices services = getEndpoint().getComponent().services();
        ThingSearch search = HubLookups.search(services, "hub:things", exchange);
        List<String> ids;
        try {
            if (options.nearThing()) {
                ids = near(services, search, options, exchange);
            } else if (options.zone() != null || options.sameZone()) {
                String zone = HubLookups.zone(options.zone(), exchange);
                ids = zone == null ? List.of() : search.thingIds(options.rql(), null, zone, options.limit());
            } else {
                ids = search.thingIds(options.rql(), null, null, options.limit());
            }
        } catch (SearchQueryException e) {
            throw new CamelExchangeException("hub:things: " + e.getMessage(), exchange, e);
        }
        exchange.getMessage().setHeader(options.header(), List.copyOf(ids));
    }

    private static List<String> near(HubServices services, ThingSearch search, HubThingsEndpoint.Options options,
            Exchange exchange) throws CamelExchangeException {
        TwinService twin = HubLookups.twin(services, "hub:things nearThing=true", exchange);
        ThingId reference = HubLookups.thing(options.thing(), "hub:things nearThing=true", exchange);
        double[] centre = twin.retrieve(reference).flatMap(HubCommandProducer::lonLat).orElseThrow(
                () -> new CamelExchangeException("hub:things nearThing=true: thing " + reference + " does not exist or "
                        + "has no location (a GeoJSON Point in attributes/location)", exchange));
        // one more than the limit: the reference thing itself is left out
        int limit = Math.min(options.limit() + 1, ThingSearch.MAX_LIMIT);
        List<String> found = search.thingIds(options.rql(),
                new ThingSearch.Near(centre[0], centre[1], options.radiusMetres()), null, limit);
        List<String> ids = new ArrayList<>(found.size());
        String self = reference.toString();
        for (String id : found) {
            if (!id.equals(self) && ids.size() < options.limit()) {
                ids.add(id);
            }
        }
        return ids;
    }
}
