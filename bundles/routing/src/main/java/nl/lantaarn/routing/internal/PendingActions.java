package nl.lantaarn.routing.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.routing.api.PendingAction;

/**
 * The actions {@code hub:confirm} parked until an operator decides: in memory (a restart forgets them), at most
 * {@code capacity}. Every decision (confirmed, rejected, expired) is logged at INFO with who decided: that log line is
 * the audit record. Thread safe.
 */
final class PendingActions {

    private static final Logger LOG = LoggerFactory.getLogger(PendingActions.class);

    /** Who expires actions, in the audit record. */
    static final String EXPIRY = "hub (timeout)";
    static final String EXPIRED_REASON = "expired";

    /** What continues on confirmation: the parked message and the endpoint it goes to. */
    interface Continuation {
        void resume(PendingAction action, String client);
    }

    private record Parked(PendingAction action, Continuation continuation) {
    }

    /** By id, oldest first. Guarded by itself. */
    private final Map<String, Parked> parked = new LinkedHashMap<>();
    private final int capacity;
    private final Clock clock;
    private final RouteCounters counters;

    PendingActions(int capacity, Clock clock, RouteCounters counters) {
        this.capacity = capacity;
        this.clock = clock;
        this.counters = counters;
    }

    Clock clock() {
        return clock;
    }

    int capacity() {
        return capacity;
    }

    /**
     * Parks an action.
     *
     * @return the action, or empty when {@code capacity} actions are already waiting
     */
    Optional<PendingAction> park(String route, String thing, String action, String bodySummary,
            java.time.Duration timeout, Continuation continuation) {
        Instant now = clock.instant();
        PendingAction pending = new PendingAction(UUID.randomUUID().toString(), route, thing, action, bodySummary,
                now, now.plus(timeout));
        synchronized (parked) {
            if (parked.size() >= capacity) {
                return Optional.empty();
            }
            parked.put(pending.id(), new Parked(pending, continuation));
        }
        LOG.info("Pending action {} of route {} waits for confirmation until {}: {} (thing {})", pending.id(), route,
                pending.expires(), action, thing);
        return Optional.of(pending);
    }

    List<PendingAction> list() {
        synchronized (parked) {
            return parked.values().stream().map(Parked::action).toList();
        }
    }

    Optional<PendingAction> confirm(String id, String client) {
        Parked decided = take(id);
        if (decided == null) {
            return Optional.empty();
        }
        PendingAction action = decided.action();
        counters.of(action.route()).confirmed.increment();
        LOG.info("Pending action {} of route {} confirmed by {}: {} (thing {})", id, action.route(), client,
                action.action(), action.thing());
        decided.continuation().resume(action, client);
        return Optional.of(action);
    }

    Optional<PendingAction> reject(String id, String client, String reason) {
        Parked decided = take(id);
        if (decided == null) {
            return Optional.empty();
        }
        PendingAction action = decided.action();
        counters.of(action.route()).rejected.increment();
        LOG.info("Pending action {} of route {} rejected by {} ({}): {} (thing {})", id, action.route(), client,
                reason == null || reason.isBlank() ? "no reason given" : reason, action.action(), action.thing());
        return Optional.of(action);
    }

    /** Rejects, with reason {@code expired}, every action whose time is up; returns how many. */
    int expire() {
        Instant now = clock.instant();
        List<PendingAction> expired = new ArrayList<>();
        synchronized (parked) {
            for (Iterator<Parked> it = parked.values().iterator(); it.hasNext();) {
                PendingAction action = it.next().action();
                if (!now.isBefore(action.expires())) {
                    it.remove();
                    expired.add(action);
                }
            }
        }
        for (PendingAction action : expired) {
            counters.of(action.route()).expired.increment();
            LOG.info("Pending action {} of route {} rejected by {} ({}): {} (thing {})", action.id(), action.route(),
                    EXPIRY, EXPIRED_REASON, action.action(), action.thing());
        }
        return expired.size();
    }

    /** Forgets every waiting action (the runtime stops); returns how many. */
    int clear() {
        synchronized (parked) {
            int count = parked.size();
            parked.clear();
            return count;
        }
    }

    private Parked take(String id) {
        if (id == null) {
            return null;
        }
        synchronized (parked) {
            return parked.remove(id);
        }
    }
}
