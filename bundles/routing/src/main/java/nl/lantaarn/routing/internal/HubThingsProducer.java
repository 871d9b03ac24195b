package nl.lantaarn.routing.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinService;

/**
 * Sets a header (default {@code LantaarnThings}) to the ids ({@code List<String>}, sorted) of the things in a zone,
 * in the exchange's own zone, or near the exchange's thing (that thing excluded), optionally only those matching an
 * RQL filter and having a feature. {@code sameZone} without a zone header gives an empty list. No search service, an
 * unknown zone, a bad filter, or a reference thing without location fails the exchange.
 */
final class HubThingsProducer extends DefaultProducer {

    private static final String NAME = "hub:things";

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
        ThingSearch search = HubLookups.search(services, NAME, exchange);
        List<String> ids;
        if (options.nearThing()) {
            ids = near(services, search, options, exchange);
        } else if (options.zone() != null || options.sameZone()) {
            ids = HubLookups.thingIdsInZone(search, NAME, options.zone(), options.rql(), options.limit(), exchange);
        } else {
            ids = HubLookups.thingIds(search, NAME, options.rql(), null, null, options.limit(), exchange);
        }
        exchange.getMessage().setHeader(options.header(), List.copyOf(ids));
    }

    private static List<String> near(HubServices services, ThingSearch search, HubThingsEndpoint.Options options,
            Exchange exchange) throws CamelExchangeException {
        TwinService twin = HubLookups.twin(services, NAME + " nearThing=true", exchange);
        ThingId reference = HubLookups.thing(options.thing(), NAME + " nearThing=true", exchange);
        double[] centre = HubLookups.centre(twin, reference, NAME, exchange);
        // one more than the limit: the reference thing itself is left out
        int limit = Math.min(options.limit() + 1, ThingSearch.MAX_LIMIT);
        List<String> found = HubLookups.thingIds(search, NAME, options.rql(),
                new ThingSearch.Near(centre[0], centre[1], options.radiusMetres()), null, limit, exchange);
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
