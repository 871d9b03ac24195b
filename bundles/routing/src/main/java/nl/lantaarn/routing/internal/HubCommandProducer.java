package nl.lantaarn.routing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.WriteCondition;

/**
 * Merges the body (a JSON object, e.g. {@code {"dimLevel":40,"scene":"calm"}}) into
 * {@code features/<feature>/desiredProperties} of the target things; the things' adapters turn desired properties into
 * vendor commands. The target is the thing of the {@code thing} option or the {@code LantaarnThingId} header; with
 * {@code nearThing=true} it is every thing with that feature whose location lies within {@code radius} metres of that
 * thing's location (optionally only in {@code namespace}). Sets header {@code LantaarnCommandTargets} to the thing ids
 * written. No twin service, no target thing, or a twin that refuses the write fails the exchange.
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
        ThingId reference = referenceThing(exchange);
        List<ThingId> targets = endpoint.nearThing() ? near(twin, reference, exchange) : List.of(reference);
        JsonPointer path = JsonPointer.of("/features/" + endpoint.feature() + "/desiredProperties");
        List<String> written = new ArrayList<>(targets.size());
        for (ThingId target : targets) {
            twin.merge(target, path, patch, WriteCondition.any());
            written.add(target.toString());
        }
        exchange.getMessage().setHeader(TARGETS_HEADER, List.copyOf(written));
    }

    private JsonObject patch(Exchange exchange) throws CamelExchangeException {
        Object body = exchange.getMessage().getBody();
        JsonValue value = null;
        if (body instanceof Map<?, ?> || body instanceof JsonObject) {
            value = JsonConversion.toJson(body);
        } else if (body instanceof String text) {
            try {
                value = JsonObject.of(text);
            } catch (RuntimeException e) {
                value = null;
            }
        }
        if (value == null || !value.isObject() || value.asObject().isEmpty()) {
            throw new CamelExchangeException("hub:command feature=" + getEndpoint().feature() + ": the body must be "
                    + "the desired properties as a non-empty JSON object (a Map or JSON text), e.g. "
                    + "{\"dimLevel\":40}; it was " + (body == null ? "empty" : body.getClass().getSimpleName()),
                    exchange);
        }
        return value.asObject();
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
        double[] centre = twin.retrieve(reference).flatMap(HubCommandProducer::lonLat).orElseThrow(
                () -> new CamelExchangeException("hub:command nearThing=true: thing " + reference + " does not "
                        + "exist or has no location (a GeoJSON Point in attributes/location)", exchange));
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
