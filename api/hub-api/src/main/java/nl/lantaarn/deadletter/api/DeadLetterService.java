package nl.lantaarn.deadletter.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Keeps payloads that could not be processed, with the reason. Thread safe; recording never blocks for long. */
@ProviderType
public interface DeadLetterService {

    /**
     * Records a payload that could not be processed.
     *
     * @param source     who rejected it: an adapter id, a route id
     * @param origin     where it came from: an MQTT topic, a URL
     * @param reason     what is wrong with it, for an operator to act on
     * @param payload    the payload as received; the service keeps its own copy
     * @param receivedAt when the hub received the payload
     * @return the stored record
     */
    DeadLetter record(String source, String origin, String reason, byte[] payload, Instant receivedAt);

    /** The most recent dead letters first, at most {@code limit}, optionally of one source only ({@code null}: all). */
    List<DeadLetter> list(String source, int limit);

    /** The dead letters matching the query, most recent first. */
    List<DeadLetter> list(DeadLetterQuery query);

    /** One dead letter by id. */
    Optional<DeadLetter> get(String id);

    /**
     * Removes a dead letter that was replayed successfully (the removal is durable).
     *
     * @return false when there was no such dead letter
     */
    boolean remove(String id);

    /**
     * Replaces the reason of a dead letter whose replay was rejected again (durable).
     *
     * @return false when there was no such dead letter
     */
    boolean updateReason(String id, String reason);

    /** Number of dead letters held. */
    long count();
}
