package nl.lantaarn.routing.internal;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.WriteCondition;

/**
 * Merges the body (a JSON object) into {@code features/<feature>/properties} of a thing (RFC 7396: keys not named
 * stay): for records the hub keeps itself, such as the status of a citizen report. Reported properties are normally
 * the adapter's; a route writes them only for things no adapter reports. No twin service, no thing, a thing without
 * the feature, or a body that is not a non-empty object fails the exchange.
 */
final class HubUpdateProducer extends DefaultProducer {

    HubUpdateProducer(HubUpdateEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public HubUpdateEndpoint getEndpoint() {
        return (HubUpdateEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HubUpdateEndpoint endpoint = getEndpoint();
        String name = "hub:update feature=" + endpoint.feature();
        TwinService twin = HubLookups.twin(endpoint.getComponent().services(), name, exchange);
        JsonObject patch = HubLookups.objectBody(exchange, name + ": the body must be the properties to set",
                "{\"status\":\"in progress\"}");
        ThingId thing = HubLookups.thing(endpoint.thing(), name, exchange);
        boolean hasFeature = twin.retrieve(thing).flatMap(t -> t.getFeatures())
                .flatMap(features -> features.getFeature(endpoint.feature())).isPresent();
        if (!hasFeature) {
            throw new CamelExchangeException(name + ": thing " + thing + " does not exist or has no feature "
                    + endpoint.feature(), exchange);
        }
        // merged at the feature, so a feature without properties yet gets them
        twin.merge(thing, JsonPointer.of("/features/" + endpoint.feature()),
                JsonObject.newBuilder().set("properties", patch).build(), WriteCondition.any());
    }
}
