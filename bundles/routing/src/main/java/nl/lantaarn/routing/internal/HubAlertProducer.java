package nl.lantaarn.routing.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.ExchangeHelper;
import org.eclipse.ditto.json.JsonObject;

import nl.lantaarn.notify.api.Alert;
import nl.lantaarn.notify.api.NotificationService;

/**
 * Builds an {@link Alert} from the exchange (body: details as a JSON object; header {@code LantaarnThingId}: the
 * thing; header {@code zone}, else {@code LantaarnZone}: the zone) and hands it to the {@link NotificationService}. The
 * same alert (route, thing or zone as {@code dedupBy} says, title) is not sent again within the endpoint's
 * {@code dedupWindow}; such alerts are counted as suppressed.
 * No notification service, or an unknown channel, fails the exchange.
 */
final class HubAlertProducer extends DefaultProducer {

    /** Header naming the zone an alert is about. */
    static final String ZONE_HEADER = "zone";
    /** Set on the exchange: {@code true} when the alert was suppressed as a repeat. */
    static final String SUPPRESSED_HEADER = "LantaarnAlertSuppressed";
    /** Bounds the de-duplication memory; beyond it the oldest keys are forgotten (their alert may be sent again). */
    static final int MAX_KEYS = 10_000;

    /** Alert key to when it was last sent; in insertion order, oldest first. Guarded by itself. */
    private final Map<String, Instant> lastSent = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_KEYS;
        }
    };

    HubAlertProducer(HubAlertEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public HubAlertEndpoint getEndpoint() {
        return (HubAlertEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HubAlertEndpoint endpoint = getEndpoint();
        HubServices services = endpoint.getComponent().services();
        // the route that holds this step: behind a seda:/direct: hand-over it is not the route the exchange came from,
        // and repeats must be recognised whichever route handed the exchange over
        String at = ExchangeHelper.getAtRouteId(exchange);
        String routeId = String.valueOf(at != null ? at : exchange.getFromRouteId());
        String thingId = exchange.getMessage().getHeader(HubHeaders.THING_ID, String.class);
        String zone = exchange.getMessage().getHeader(ZONE_HEADER, String.class);
        if (zone == null) {
            zone = exchange.getMessage().getHeader(HubHeaders.ZONE, String.class);
        }
        Instant now = services.clock().instant();
        String key = routeId + '\n' + dedupKey(endpoint.dedupBy(), thingId, zone) + '\n' + endpoint.title();
        if (!endpoint.dedupWindow().isZero() && recentlySent(key, now)) {
            services.counters().of(routeId).suppressed.increment();
            exchange.getMessage().setHeader(SUPPRESSED_HEADER, Boolean.TRUE);
            return;
        }
        NotificationService notifications = services.notifications().get();
        if (notifications == null) {
            throw new CamelExchangeException("Cannot raise alert '" + endpoint.title() + "' of route " + routeId
                    + ": no notification service is running (start the notification component, nl.lantaarn.notify)",
                    exchange);
        }
        Alert alert = new Alert(UUID.randomUUID().toString(), "route:" + routeId, endpoint.severity(),
                endpoint.title(), thingId, zone, bodyJson(exchange), now);
        notifications.send(alert, endpoint.channels());
        exchange.getMessage().setHeader(SUPPRESSED_HEADER, Boolean.FALSE);
        synchronized (lastSent) {
            // re-inserted, so the map's order stays the order of sending and eviction forgets the oldest first
            lastSent.remove(key);
            lastSent.put(key, now);
        }
    }

    /** By zone when asked and there is one; by thing when asked, or when there is one; else by zone (maybe none). */
    static String dedupKey(String dedupBy, String thingId, String zone) {
        if (HubAlertEndpoint.BY_ZONE.equals(dedupBy) && zone != null) {
            return "zone:" + zone;
        }
        if (thingId != null) {
            return "thing:" + thingId;
        }
        return "zone:" + zone;
    }

    private boolean recentlySent(String key, Instant now) {
        synchronized (lastSent) {
            Instant last = lastSent.get(key);
            return last != null && now.isBefore(last.plus(getEndpoint().dedupWindow()));
        }
    }

    /** The body as a JSON object text: a Map or Ditto JSON object, a JSON object as text, or nothing ({@code {}}). */
    private String bodyJson(Exchange exchange) throws CamelExchangeException {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return "{}";
        }
        if (body instanceof Map<?, ?> || body instanceof JsonObject) {
            return JsonConversion.toJson(body).toString();
        }
        if (body instanceof String text) {
            try {
                return JsonObject.of(text).toString();
            } catch (RuntimeException e) {
                // falls through to the error below
            }
        }
        throw new CamelExchangeException("Cannot raise alert '" + getEndpoint().title() + "': the body must be the "
                + "alert's details as a JSON object (a Map or JSON text), not " + (body instanceof Collection<?>
                        ? "a list" : body.getClass().getSimpleName()), exchange);
    }
}
