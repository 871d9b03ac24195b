package nl.lantaarn.routing.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The routes the hub runs, with their metadata and counters, and the actions they parked for an operator's decision
 * ({@code hub:confirm}). Thread safe; {@link #list()} and {@link #pending()} are cheap (no I/O).
 */
@ProviderType
public interface RouteAdmin {

    /** Every route loaded from the routes folder, sorted by route id; a snapshot. */
    List<RouteStatus> list();

    /**
     * What every route reads and where it sends it, from the routes' definitions, sorted by route id; a snapshot, cheap
     * (no I/O). For privacy reviews: the DPIA fact sheet lists each route's recipients from it.
     *
     * @since 1.3
     */
    default List<RouteOutline> outlines() {
        return List.of();
    }

    /** The actions waiting for a decision, oldest first; a snapshot. */
    List<PendingAction> pending();

    /**
     * Confirms a pending action: the parked message continues in the route named by its {@code hub:confirm} step,
     * on the calling thread, before this returns. A failure there is the route's (its error handling, counters and
     * dead letters); the decision stands.
     *
     * @param id     the pending action's id
     * @param client who decided, for the audit record, e.g. the API client's name
     * @return the action confirmed, or empty when there is no such pending action (never was, already decided, or
     *         expired)
     */
    Optional<PendingAction> confirm(String id, String client);

    /**
     * Rejects a pending action: the parked message is dropped.
     *
     * @param id     the pending action's id
     * @param client who decided, for the audit record
     * @param reason why, for the audit record; may be {@code null}
     * @return the action rejected, or empty when there is no such pending action
     */
    Optional<PendingAction> reject(String id, String client, String reason);
}
