package nl.lantaarn.notify.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert raised by a route. Immutable.
 *
 * @param id         unique id, e.g. a UUID; receivers use it to drop duplicates (delivery is at least once)
 * @param source     the route (or component) that raised it, e.g. {@code route:noise-alerts}
 * @param severity   {@code info}, {@code warning} or {@code critical}
 * @param title      one line for people
 * @param thingId    the thing it is about, or {@code null}
 * @param zone       the zone it is about, or {@code null}
 * @param bodyJson   details as a JSON object (text), e.g. the measured values; never personal data unless the
 *                   route's purpose allows it
 * @param occurredAt when the triggering event happened
 */
public record Alert(String id, String source, String severity, String title, String thingId, String zone,
        String bodyJson, Instant occurredAt) {

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(bodyJson, "bodyJson");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
