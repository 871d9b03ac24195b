/**
 * Crash-safe outbox queues: {@link nl.lantaarn.durable.DurableStore} keeps named
 * {@link nl.lantaarn.durable.DurableQueue}s of byte entries in one H2 MVStore file and commits appends in groups on a
 * background thread; what was committed survives {@code kill -9}.
 * <p>
 * Not an API: the routing and notification bundles copy this package into themselves with bnd's
 * {@code -conditionalpackage}, so it is never exported nor imported.
 */
package nl.lantaarn.durable;
