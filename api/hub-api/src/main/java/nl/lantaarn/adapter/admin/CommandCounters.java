package nl.lantaarn.adapter.admin;

/**
 * The commands one adapter instance carried to its vendor, a snapshot; counters count since the hub started.
 *
 * @param sent         commands published to the vendor (first attempts)
 * @param acknowledged commands the vendor acknowledged as done
 * @param retried      repeated sends after a missing acknowledgement
 * @param failed       commands given up on: refused, answered with an error, or not acknowledged after the retries
 *                     (each also kept as a dead letter and written to the thing's {@code commandStatus})
 * @param unmatched    acknowledgements that matched no waiting command (late, duplicate or unknown)
 * @param waiting      commands waiting for an acknowledgement now
 */
public record CommandCounters(long sent, long acknowledged, long retried, long failed, long unmatched, int waiting) {
}
