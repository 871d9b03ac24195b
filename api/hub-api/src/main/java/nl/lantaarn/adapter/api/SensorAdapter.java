package nl.lantaarn.adapter.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

import nl.lantaarn.things.model.ThingUpdate;

/**
 * One configured adapter instance: turns the payloads of one vendor or city system into thing updates, and optionally
 * commands to its things into vendor commands. Made by an {@link AdapterFactory}.
 * <p>
 * Threading: the hub calls {@link #map(InboundMessage)}, {@link #acknowledgement(InboundMessage)} and
 * {@link #command(ThingCommand)} from the instance's own worker, one call at a time, so an implementation needs no
 * locking of its own. A slow or throwing adapter only affects itself.
 * <p>
 * An adapter does not write to the twin, Camel or the HTTP API itself: it maps, and the hub does the rest.
 */
@ConsumerType
public interface SensorAdapter {

    /** Where this instance's payloads come from. Called once, when the instance starts. */
    Inbound inbound();

    /**
     * Maps one payload to the thing updates it implies (each one creates the thing or merges into it). Return an
     * empty list when the payload is valid but carries nothing to store (a heartbeat, a duplicate delivery).
     *
     * @throws PayloadRejectedException when the payload cannot be mapped; its message is the reason kept with the
     *                                  dead letter, so make it say what is wrong (which field, what was expected)
     */
    List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException;

    /**
     * Turns a command to one of this adapter's things (new desired properties, or a message) into the vendor
     * commands that carry it out. The default takes no commands.
     *
     * @throws CommandRejectedException when the command cannot be carried out; the reason is reported to the caller
     */
    default List<VendorCommand> command(ThingCommand command) throws CommandRejectedException {
        throw new CommandRejectedException("this adapter takes no commands");
    }

    /**
     * Whether a payload is a vendor's acknowledgement of a command, and of which one. The hub calls this on the
     * worker, before {@link #map(InboundMessage)}, for every payload of the instance: return quickly, and return
     * empty for anything that is not an acknowledgement. A payload answered with an acknowledgement is not mapped.
     * <p>
     * The hub tracks every command it sent for a {@link ThingCommand} by its correlation id: an ok acknowledgement
     * completes it, an error acknowledgement fails it, and without one within the runtime's timeout it is sent again
     * (the same vendor commands) and in the end reported failed. So put the correlation id into what
     * {@link #command(ThingCommand)} sends, in a form the vendor echoes back. The default: no acknowledgements, so
     * commands of such an adapter end as failed after the timeout and retries.
     *
     * @throws PayloadRejectedException when the payload claims to be an acknowledgement but is malformed; it becomes
     *                                  a dead letter with this reason
     * @since 2.2
     */
    default Optional<Acknowledgement> acknowledgement(InboundMessage message) throws PayloadRejectedException {
        return Optional.empty();
    }

    /** Releases what the instance holds (connections, caches). Called once, after the last map or command. */
    default void close() {
    }
}
