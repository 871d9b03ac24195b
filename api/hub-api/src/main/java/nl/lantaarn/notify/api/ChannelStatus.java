package nl.lantaarn.notify.api;

/**
 * Status and counters of one channel, a snapshot; counters count since the hub started.
 *
 * @param name         the channel name, e.g. {@code police-webhook}
 * @param kind         {@code webhook}, {@code mqtt} or {@code smtp}
 * @param state        {@code UP}; {@code OPEN} while its circuit breaker is open; {@code DEGRADED} while retrying
 * @param reason       why it is not UP, else {@code null}
 * @param queued       alerts waiting for delivery
 * @param delivered    alerts delivered
 * @param retried      delivery attempts that were retries
 * @param failed       alerts given up on (kept as dead letters)
 */
public record ChannelStatus(String name, String kind, String state, String reason, int queued, long delivered,
        long retried, long failed) {
}
