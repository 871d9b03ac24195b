package nl.lantaarn.routing.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one route reads and where it sends it, as its definition says (not what it did): for a privacy review such as
 * the DPIA fact sheet. A snapshot; immutable.
 *
 * @param id         the route id, e.g. {@code noise-alerts}
 * @param from       the endpoint the route consumes from, e.g. {@code hub:events?feature=noise}
 * @param to         the endpoints it sends to, in the order its definition names them (also inside filters, choices,
 *                   error handlers and dead-letter channels), each once; dynamic endpoints ({@code toD}) with their
 *                   expression unevaluated, e.g. {@code hub:command?feature=lamp&zone=exit-route-${header.LantaarnZone}};
 *                   passwords and secrets in endpoint options are masked
 * @param properties every route property: {@code purpose}, {@code legalBasis}, {@code owner} and any others, e.g.
 *                   {@code retention}
 * @since 1.3
 */
public record RouteOutline(String id, String from, List<String> to, Map<String, String> properties) {

    public RouteOutline {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        to = List.copyOf(to);
        properties = Map.copyOf(properties);
    }
}
