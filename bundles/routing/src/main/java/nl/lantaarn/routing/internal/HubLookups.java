package nl.lantaarn.routing.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.search.api.SearchQueryException;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinService;

/** What the {@code hub:} producers share: the services, the thing an exchange is about, a JSON object body. */
final class HubLookups {

    /** Feature ids a search filter can name ({@code exists(features/<id>)}) without quoting. */
    static final Pattern SEARCHABLE_FEATURE = Pattern.compile("[A-Za-z0-9_.-]+");

    private HubLookups() {
        throw new AssertionError("no instances");
    }

    static TwinService twin(HubServices services, String endpoint, Exchange exchange) throws CamelExchangeException {
        TwinService twin = services.twin().get();
        if (twin == null) {
            throw new CamelExchangeException(endpoint + ": no twin service is running (start the twin, nl.lantaarn"
                    + ".twin)", exchange);
        }
        return twin;
    }

    static ThingSearch search(HubServices services, String endpoint, Exchange exchange)
            throws CamelExchangeException {
        ThingSearch search = services.search().get();
        if (search == null) {
            throw new CamelExchangeException(endpoint + ": no search service is running (start the search bundle, "
                    + "nl.lantaarn.search; it loads the zones)", exchange);
        }
        return search;
    }

    /** The {@code thing} option, else the {@code LantaarnThingId} header; fails when neither names a thing. */
    static ThingId thing(String option, String endpoint, Exchange exchange) throws CamelExchangeException {
        String id = option != null ? option : exchange.getMessage().getHeader(HubHeaders.THING_ID, String.class);
        if (id == null || id.isBlank()) {
            throw new CamelExchangeException(endpoint + ": no thing; set thing=<thing id> or the "
                    + HubHeaders.THING_ID + " header", exchange);
        }
        try {
            return ThingId.of(id);
        } catch (RuntimeException e) {
            throw new CamelExchangeException(endpoint + ": '" + id + "' is not a thing id (namespace:name)", exchange,
                    e);
        }
    }

    /** The zone of {@code zone=}, else (with {@code sameZone=true}) the exchange's {@code LantaarnZone} header. */
    static String zone(String option, Exchange exchange) {
        if (option != null) {
            return option;
        }
        String zone = exchange.getMessage().getHeader(HubHeaders.ZONE, String.class);
        return zone == null || zone.isBlank() ? null : zone;
    }

    /**
     * The things the search finds, as {@link ThingSearch#thingIds}; a filter the search refuses fails the exchange,
     * naming the endpoint.
     */
    static List<String> thingIds(ThingSearch search, String endpoint, String rql, ThingSearch.Near near, String zone,
            int limit, Exchange exchange) throws CamelExchangeException {
        try {
            return search.thingIds(rql, near, zone, limit);
        } catch (SearchQueryException e) {
            throw new CamelExchangeException(endpoint + ": " + e.getMessage(), exchange, e);
        }
    }

    /**
     * The things the search finds in the zone of {@code zone=}, else (with {@code sameZone=true}) of the exchange's
     * {@code LantaarnZone} header; none when that header is absent.
     */
    static List<String> thingIdsInZone(ThingSearch search, String endpoint, String zoneOption, String rql, int limit,
            Exchange exchange) throws CamelExchangeException {
        String zone = zone(zoneOption, exchange);
        return zone == null ? List.of() : thingIds(search, endpoint, rql, null, zone, limit, exchange);
    }

    /**
     * [longitude, latitude] of the thing in the middle of {@code nearThing=true}; fails the exchange when the thing
     * does not exist or has no location.
     */
    static double[] centre(TwinService twin, ThingId reference, String endpoint, Exchange exchange)
            throws CamelExchangeException {
        return twin.retrieve(reference).flatMap(HubCommandProducer::lonLat).orElseThrow(
                () -> new CamelExchangeException(endpoint + " nearThing=true: thing " + reference + " does not exist "
                        + "or has no location (a GeoJSON Point in attributes/location)", exchange));
    }

    /** An RQL filter for "has the feature" and the given filter; {@code null} when neither is set. */
    static String rql(String filter, String feature) {
        String has = feature == null ? null : "exists(features/" + feature + ")";
        if (filter == null) {
            return has;
        }
        return has == null ? filter : "and(" + has + "," + filter + ")";
    }

    /**
     * The body as a non-empty JSON object: a Map, a Ditto JSON object or JSON object text.
     *
     * @param what names the endpoint and what the object is, for the message
     */
    static JsonObject objectBody(Exchange exchange, String what, String example) throws CamelExchangeException {
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
            throw new CamelExchangeException(what + " as a non-empty JSON object (a Map or JSON text), e.g. " + example
                    + "; it was " + (body == null ? "empty" : body.getClass().getSimpleName()), exchange);
        }
        return value.asObject();
    }
}
