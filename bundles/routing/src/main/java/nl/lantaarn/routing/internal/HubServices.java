package nl.lantaarn.routing.internal;

import java.time.Clock;
import java.util.function.Supplier;

import nl.lantaarn.notify.api.NotificationService;
import nl.lantaarn.twin.api.TwinService;

/**
 * What the {@code hub:alert} and {@code hub:command} producers use.
 *
 * @param notifications the notification service, or {@code null} while there is none
 * @param twin          the twin service, or {@code null} while there is none
 * @param clock         for alert times and the de-duplication window
 * @param counters      the routes' counters (suppressed alerts)
 */
record HubServices(Supplier<NotificationService> notifications, Supplier<TwinService> twin, Clock clock,
        RouteCounters counters) {

    /** No notification or twin service: for runtimes that only consume events and publish MQTT. */
    static HubServices none() {
        return new HubServices(() -> null, () -> null, Clock.systemUTC(), new RouteCounters());
    }
}
