package nl.lantaarn.routing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.WriteCondition;

/**
 * Merges the body (a JSON object, e.g. {@code {"dimLevel":40,"scene":"calm"}}) into
 * {@code features/<feature>/desiredProperties} of the target things; the things' adapters turn desired properties into
 * vendor commands. The target is the thing of the {@code thing} option or the {@code LantaarnThingId} header; with
 * {@code nearThing=true} it is every thing with that feature whose location lies within {@code radius} metres of that
 * thing's location (optionally only in {@code namespace}); with {@code zone=<id>} or {@code sameZone=true} every thing
 * with that feature in the zone (the search's zone: location in the zone's area, or {@code attributes/zone} without a
 * location). Sets header {@code LantaarnCommandTargets} to the thing ids written. No twin service, no target thing, no
 * zone for {@code sameZone}, or a twin that refuses the write fails the exchange. With {@code revertAfter} the
 * desired properties go back to the reported values of before the first command once no further command of this
 * endpoint reached the thing for that long ({@link CommandReverts}).
 */
final class HubCommandProducer extends DefaultProducer {

    /** Set on the exchange: the ids of the things whose desired properties were set ({@code List<String>}). */
    static final String TARGETS_HEADER = "LantaarnCommandTargets";
    /** Mean earth radius (IUGG), enough for distances of a few kilometres. */
    private static final double EARTH_RADIUS_METRES = 6_371_008.8;

    HubCommandProducer(HubCommandEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public HubCommandEndpoint getEndpoint() {
        return (HubCommandEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HubCommandEndpoint endpoint = getEndpoint();
        TwinService twin = endpoint.getComponent().services().twin().get();
        if (twin == null) {
            throw new CamelExchangeException("Cannot set desired properties of feature " + endpoint.feature()
                    + ": no twin service is running", exchange);
        }
        JsonObject patch = patch(exchange);
        List<ThingId> targets;
        if (endpoint.zone() != null || endpoint.sameZone()) {
            targets = inZone(exchange);
        } else {
            ThingId reference = referenceThing(exchange);
            targets = endpoint.nearThing() ? near(twin, reference, exchange) : List.of(reference);
        }
        JsonPointer path = JsonPointer.of("/features/" + endpoint.feature() + "/desiredProperties");
        List<String> written = new ArrayList<>(targets.size());
        for (ThingId target : targets) {
            if (endpoint.revertAfter() != null) {
                JsonObject reported = twin.retrieve(target).flatMap(Thing::getFeatures)
                        .flatMap(features -> features.getFeature(endpoint.feature()))
                        .flatMap(feature -> feature.getProperties()).map(JsonObject.class::cast)
                        .orElse(JsonObject.empty());
                endpoint.getComponent().reverts().commanded(endpoint.getEndpointUri(), target, endpoint.feature(),
                        patch, reported, endpoint.revertAfter());
            }
            twin.merge(target, path, patch, WriteCondition.any());
            written.add(target.toString());
        }
        exchange.getMessage().setHeader(TARGETS_HEADER, List.copyOf(written));
    }

    /** Every thing with the feature in the zone (of the option or the exchange's zone header), by the search. */
    private List<ThingId> inZone(Exchange exchange) throws CamelExchangeException {
        HubCommandEndpoint endpoint = getEndpoint();
        String name = "hub:command feature=" + endpoint.feature();
        ThingSearch search = HubLookups.search(endpoint.getComponent().services(), name, exchange);
        String zone = HubLookups.zone(endpoint.zone(), exchange);
        if (zone == null) {
            throw new CamelExchangeException(name + " sameZone=true: the exchange has no " + HubHeaders.ZONE
                    + " header (the thing has no attributes/zone and its location lies in no zone); filter such "
                    + "events out first, e.g. with ${header." + HubHeaders.ZONE + "} != null", exchange);
        }
        List<String> ids = HubLookups.thingIds(search, name, HubLookups.rql(null, endpoint.feature()), null, zone,
                ThingSearch.MAX_LIMIT, exchange);
        List<ThingId> targets = new ArrayList<>(ids.size());
        for (String id : ids) {
            ThingId thingId = ThingId.of(id);
            if (endpoint.namespace() == null || endpoint.namespace().equals(thingId.getNamespace())) {
                targets.add(thingId);
            }
        }
        return targets;
    }

    private JsonObject patch(Exchange exchange) throws CamelExchangeException {
        return HubLookups.objectBody(exchange, "hub:command feature=" + getEndpoint().feature() + ": the body must be "
                + "the desired properties", "{\"dimLevel\":40}");
    }

    private ThingId referenceThing(Exchange exchange) throws CamelExchangeException {
        String id = getEndpoint().thing() != null ? getEndpoint().thing()
                : exchange.getMessage().getHeader(HubHeaders.THING_ID, String.class);
        if (id == null || id.isBlank()) {
            throw new CamelExchangeException("hub:command feature=" + getEndpoint().feature() + ": no thing to "
                    + "command; set thing=<thing id> or the " + HubHeaders.THING_ID + " header", exchange);
        }
        try {
            return ThingId.of(id);
        } catch (RuntimeException e) {
            throw new CamelExchangeException("hub:command: '" + id + "' is not a thing id (namespace:name)",
                    exchange, e);
        }
    }

    /** Every thing with the feature within the radius of the reference thing, by a distance check over all things. */
    private List<ThingId> near(TwinService twin, ThingId reference, Exchange exchange) throws CamelExchangeException {
        HubCommandEndpoint endpoint = getEndpoint();
        double[] centre = HubLookups.centre(twin, reference, "hub:command", exchange);
        List<ThingId> result = new ArrayList<>();
        for (Thing thing : twin.list()) {
            Optional<ThingId> id = thing.getEntityId();
            if (id.isEmpty() || endpoint.namespace() != null
                    && !endpoint.namespace().equals(id.get().getNamespace())) {
                continue;
            }
            if (thing.getFeatures().flatMap(features -> features.getFeature(endpoint.feature())).isEmpty()) {
                continue;
            }
            Optional<double[]> location = lonLat(thing);
            if (location.isPresent() && metres(centre, location.get()) <= endpoint.radiusMetres()) {
                result.add(id.get());
            }
        }
        return result;
    }

    /** [longitude, latitude] of a GeoJSON Point in attributes/location. */
    static Optional<double[]> lonLat(Thing thing) {
        return thing.getAttributes()
                .flatMap(attributes -> attributes.getValue(JsonPointer.of(HubConventions.LOCATION)))
                .filter(JsonValue::isObject).map(JsonValue::asObject)
                .filter(location -> location.getValue("type").filter(JsonValue.of("Point")::equals).isPresent())
                .flatMap(location -> location.getValue("coordinates"))
                .filter(JsonValue::isArray).map(JsonValue::asArray)
                .filter(coordinates -> coordinates.getSize() >= 2 && coordinates.get(0).orElseThrow().isNumber()
                        && coordinates.get(1).orElseThrow().isNumber())
                .map(coordinates -> new double[] {coordinates.get(0).orElseThrow().asDouble(),
                        coordinates.get(1).orElseThrow().asDouble()});
    }

    /** Great-circle distance (haversine) between two [longitude, latitude] points. */
    static double metres(double[] a, double[] b) {
        double lat1 = Math.toRadians(a[1]);
        double lat2 = Math.toRadians(b[1]);
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(b[0] - a[0]);
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
