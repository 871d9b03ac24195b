package nl.lantaarn.routing.internal;

import java.time.Clock;
import java.util.function.Supplier;

import nl.lantaarn.notify.api.NotificationService;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinService;

/**
 * What the {@code hub:} producers and the zone of {@code hub:events} use.
 *
 * @param notifications the notification service, or {@code null} while there is none
 * @param twin          the twin service, or {@code null} while there is none
 * @param search        the thing search (zones, things in a zone or near a thing), or {@code null} while there is none
 * @param clock         for alert times, the de-duplication window, {@code maxAge} and {@code revertAfter}
 * @param counters      the routes' counters (suppressed alerts)
 * @param purposes      purpose binding: the adapters' manifests and the audit trail
 */
record HubServices(Supplier<NotificationService> notifications, Supplier<TwinService> twin,
        Supplier<ThingSearch> search, Clock clock, RouteCounters counters, RoutePurposes purposes) {

    /** Without adapters' manifests: no data is known to be personal. */
    HubServices(Supplier<NotificationService> notifications, Supplier<TwinService> twin,
            Supplier<ThingSearch> search, Clock clock, RouteCounters counters) {
        this(notifications, twin, search, clock, counters, new RoutePurposes());
    }

    /** Without a search service. */
    HubServices(Supplier<NotificationService> notifications, Supplier<TwinService> twin, Clock clock,
            RouteCounters counters) {
        this(notifications, twin, () -> null, clock, counters);
    }

    /** No notification, twin or search service: for runtimes that only consume events and publish MQTT. */
    static HubServices none() {
        return new HubServices(() -> null, () -> null, () -> null, Clock.systemUTC(), new RouteCounters());
    }
}
