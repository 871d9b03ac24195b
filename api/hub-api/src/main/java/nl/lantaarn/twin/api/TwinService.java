package nl.lantaarn.twin.api;

import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.osgi.annotation.versioning.ProviderType;

import nl.lantaarn.things.model.ThingUpdate;

/**
 * Reads and writes digital twins. Implementations are thread safe; every accepted change raises one
 * {@link TwinEvent}, delivered in order per thing to every {@link TwinEventListener}, without blocking the writer.
 */
@ProviderType
public interface TwinService {

    /** The thing as it is now, with its revision and modified time. */
    Optional<Thing> retrieve(ThingId thingId);

    /** All things, ordered by thing id. */
    List<Thing> list();

    /** Number of things held. */
    int size();

    /**
     * Creates the thing when it does not exist, otherwise merges the update into it (RFC 7396 merge patch semantics:
     * objects merge, {@code null} removes). Updates of one thing are applied in the order they are given.
     *
     * @return the thing after the change
     * @throws IllegalArgumentException when the resulting thing breaks the hub's model conventions; the message names
     *                                  the field
     */
    Thing apply(ThingUpdate update);
}
