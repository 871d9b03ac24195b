package nl.lantaarn.deadletter.api;

import java.time.Instant;
import java.util.List;

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

    /** Number of dead letters held. */
    long count();
}
