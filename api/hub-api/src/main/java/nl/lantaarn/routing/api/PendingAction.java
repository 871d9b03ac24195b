package nl.lantaarn.routing.api;

import java.time.Instant;
import java.util.Objects;

/**
 * An actuation or escalation a route parked until an operator confirms it ({@code hub:confirm}); a snapshot.
 *
 * @param id          the pending action's id (a random UUID)
 * @param route       the route that parked it, e.g. {@code noise-escalation}
 * @param thing       the thing the message is about (header {@code LantaarnThingId}), or {@code null}
 * @param action      what will happen on confirmation, for people, e.g. {@code Send the police to Stratumseind}
 * @param bodySummary the parked message body, shortened for display (at most a few hundred characters)
 * @param created     when the route parked it
 * @param expires     when it is rejected with reason {@code expired} unless decided before
 */
public record PendingAction(String id, String route, String thing, String action, String bodySummary,
        Instant created, Instant expires) {

    public PendingAction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(bodySummary, "bodySummary");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
    }
}
