package nl.lantaarn.routing.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.routing.api.PendingAction;

/**
 * Parks the message (body and headers) as a {@link PendingAction} and ends the route here. Only when an operator
 * confirms is the message sent on, to the endpoint named by {@code then} (a route of its own, e.g.
 * {@code direct:dispatch-police}); a rejected or expired action is dropped. No room for another pending action fails
 * the exchange.
 */
final class HubConfirmProducer extends DefaultProducer {

    /** Set on the parked exchange and on the confirmed one: the pending action's id. */
    static final String ACTION_ID_HEADER = "LantaarnPendingActionId";
    /** Set on the confirmed exchange: who confirmed. */
    static final String CONFIRMED_BY_HEADER = "LantaarnConfirmedBy";
    /** The body summary shown to operators is cut here. */
    static final int SUMMARY_CHARS = 300;

    HubConfirmProducer(HubConfirmEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public HubConfirmEndpoint getEndpoint() {
        return (HubConfirmEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HubConfirmEndpoint endpoint = getEndpoint();
        HubComponent hub = endpoint.getComponent();
        String routeId = String.valueOf(exchange.getFromRouteId());
        String thing = exchange.getMessage().getHeader(HubHeaders.THING_ID, String.class);
        Object body = exchange.getMessage().getBody();
        // a copy: the parked message must not change with whatever the exchange does after this step
        Map<String, Object> headers = new LinkedHashMap<>(exchange.getMessage().getHeaders());
        String text = bodyText(body);
        CamelContext context = exchange.getContext();
        String then = endpoint.then();
        Optional<PendingAction> parked = hub.pendingActions().park(routeId, thing, endpoint.action(),
                shorten(text), endpoint.timeout(),
                action -> new PendingStore.Stored(action, then, body, headers),
                (action, client) -> resume(context, hub, then, action, client, body, headers, text));
        if (parked.isEmpty()) {
            throw new CamelExchangeException("Cannot park action '" + endpoint.action() + "' of route " + routeId
                    + " for confirmation: " + hub.pendingActions().capacity() + " actions already wait, the most the "
                    + "hub keeps; confirm or reject them (GET /api/v1/routes/pending lists them)", exchange);
        }
        exchange.getMessage().setHeader(ACTION_ID_HEADER, parked.get().id());
        // the rest of this route does not run; the message continues at then= once confirmed
        exchange.setRouteStop(true);
    }

    /**
     * Sends a confirmed message to {@code then}; a failure there is dead-lettered. Also for actions restored after a
     * restart (their body and headers as the {@link PendingStore} kept them).
     */
    static void resume(CamelContext context, HubComponent hub, String then, PendingAction action, String client,
            Object body, Map<String, Object> headers, String text) {
        Endpoint target = context.getEndpoint(then);
        if (target.getEndpointUri().startsWith("direct:") && !consumed(context, target)) {
            // direct: would wait 30 s for a consumer, on the operator's request thread
            hub.confirmedFailed(action, then, new IllegalStateException("no started route consumes " + then
                    + " (was its route file changed or removed?)"), text);
            return;
        }
        Exchange result;
        try (ProducerTemplate template = context.createProducerTemplate()) {
            result = template.send(then, exchange -> {
                exchange.getMessage().setHeaders(new LinkedHashMap<>(headers));
                exchange.getMessage().setHeader(ACTION_ID_HEADER, action.id());
                exchange.getMessage().setHeader(CONFIRMED_BY_HEADER, client);
                exchange.getMessage().setBody(body);
            });
        } catch (IOException | RuntimeException e) {
            hub.confirmedFailed(action, then, e, text);
            return;
        }
        if (result.getException() != null) {
            hub.confirmedFailed(action, then, result.getException(), text);
        }
    }

    private static boolean consumed(CamelContext context, Endpoint target) {
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().equals(target.getEndpointUri())) {
                ServiceStatus status = context.getRouteController().getRouteStatus(route.getRouteId());
                return status != null && status.isStarted();
            }
        }
        return false;
    }

    /** The whole body as text: JSON for maps and Ditto JSON, UTF-8 for bytes. */
    static String bodyText(Object body) {
        if (body == null) {
            return "";
        }
        if (body instanceof Map<?, ?> || body instanceof JsonValue) {
            try {
                return JsonConversion.toJson(body).toString();
            } catch (RuntimeException e) {
                return String.valueOf(body);
            }
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return String.valueOf(body);
    }

    static String shorten(String text) {
        return text.length() <= SUMMARY_CHARS ? text : text.substring(0, SUMMARY_CHARS - 1) + "\u2026";
    }
}
