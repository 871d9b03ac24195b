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
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.routing.api.PendingAction;

/**
 * The actions {@code hub:confirm} parked until an operator decides, at most {@code capacity}: in memory, and in a
 * {@link PendingStore} so a restart keeps them ({@link #restore}). Every decision (confirmed, rejected, expired) is
 * logged at INFO with who decided: that log line is the audit record. Thread safe.
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

    /** @param sequence the action's entry in the store, or -1 when it is in memory only */
    private record Parked(PendingAction action, Continuation continuation, long sequence) {
    }

    /** By id, oldest first. Guarded by itself. */
    private final Map<String, Parked> parked = new LinkedHashMap<>();
    private final int capacity;
    private final Clock clock;
    private final RouteCounters counters;
    private final PendingStore store;

    /** In memory only. */
    PendingActions(int capacity, Clock clock, RouteCounters counters) {
        this(capacity, clock, counters, new PendingStore(null));
    }

    PendingActions(int capacity, Clock clock, RouteCounters counters, PendingStore store) {
        this.capacity = capacity;
        this.clock = clock;
        this.counters = counters;
        this.store = store;
    }

    PendingStore store() {
        return store;
    }

    /**
     * Opens the store and takes back the actions an earlier run left; those whose time is up are expired at once (with
     * the usual audit line).
     *
     * @param continuation how a restored action continues on confirmation
     * @return how many actions were restored (including those expired at once)
     */
    int restore(Function<PendingStore.Stored, Continuation> continuation) {
        List<PendingStore.Restored> restored = store.open(capacity + 1);
        synchronized (parked) {
            for (PendingStore.Restored entry : restored) {
                PendingAction action = entry.stored().action();
                parked.put(action.id(), new Parked(action, continuation.apply(entry.stored()), entry.sequence()));
            }
        }
        if (!restored.isEmpty()) {
            LOG.info("{} pending actions restored from {}", restored.size(), store.file());
        }
        expire();
        return restored.size();
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
        return park(route, thing, action, bodySummary, timeout, null, continuation);
    }

    /**
     * Parks an action and stores it, so it continues after a restart.
     *
     * @param stored what continues after a restart: the then= endpoint, the body and the simple headers, as a function
     *               of the action; {@code null}: in memory only
     * @return the action, or empty when {@code capacity} actions are already waiting
     */
    Optional<PendingAction> park(String route, String thing, String action, String bodySummary,
            java.time.Duration timeout, Function<PendingAction, PendingStore.Stored> stored,
            Continuation continuation) {
        Instant now = clock.instant();
        PendingAction pending = new PendingAction(UUID.randomUUID().toString(), route, thing, action, bodySummary,
                now, now.plus(timeout));
        synchronized (parked) {
            if (parked.size() >= capacity) {
                return Optional.empty();
            }
            // under the lock, so a decision cannot come between the append and the put and leave an entry behind
            long sequence = stored == null ? -1 : store.append(stored.apply(pending));
            parked.put(pending.id(), new Parked(pending, continuation, sequence));
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
                Parked next = it.next();
                PendingAction action = next.action();
                if (!now.isBefore(action.expires())) {
                    it.remove();
                    store.remove(next.sequence());
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

    /**
     * Forgets every waiting action from memory and closes the store (the runtime stops): the stored ones continue at
     * the next start.
     *
     * @return how many are dropped: those that were in memory only
     */
    int close() {
        int dropped;
        synchronized (parked) {
            dropped = (int) parked.values().stream().filter(p -> p.sequence() < 0).count();
            parked.clear();
        }
        store.close();
        return dropped;
    }

    private Parked take(String id) {
        if (id == null) {
            return null;
        }
        synchronized (parked) {
            Parked taken = parked.remove(id);
            if (taken != null) {
                store.remove(taken.sequence());
            }
            return taken;
        }
    }
}
