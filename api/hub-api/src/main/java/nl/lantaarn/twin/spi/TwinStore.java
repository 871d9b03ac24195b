package nl.lantaarn.twin.spi;

import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.ditto.things.model.ThingId;
import org.osgi.annotation.versioning.ConsumerType;

import nl.lantaarn.twin.api.TwinStoreException;

/**
 * Where the twin service keeps things durably: the embedded store by default, a database for shared deployments.
 * Register an implementation as an OSGi service; the twin service uses the one with the highest service ranking
 * (or the one its {@code TwinStore.target} configuration selects).
 * <p>
 * The twin service holds every thing in memory and reads from there; the store is written on every change and read in
 * full once, at start ({@link #loadAll}). Every implementation should pass the contract test suite
 * ({@code TwinStoreContract} in the twin bundle's test jar).
 *
 * <h2>Obligations</h2>
 * <ul>
 * <li><b>Durable on return.</b> When {@link #put} or {@link #delete} returns, the change survives a crash of the
 * process (say in the implementation's documentation whether also a power loss). Implementations are encouraged to
 * group concurrent calls into one commit; each call still returns only once its own change is durable.</li>
 * <li><b>All or nothing.</b> A call that throws may or may not have made its change durable, but never a part of
 * it, and never damages other things. The twin service re-reads such a thing with {@link #get} before it writes it
 * again.</li>
 * <li><b>Threads.</b> Thread safe. The twin service never calls {@link #put} or {@link #delete} concurrently for the
 * same thing id, and calls them in revision order per thing; calls for different things come concurrently.</li>
 * <li><b>Unavailable store.</b> When the store cannot be reached or written (an unwritable folder, a full disk, a
 * database that does not answer), methods throw {@link TwinStoreException} whose message names the location and the
 * cause and whose description says what to change, and the store keeps trying to recover on later calls; it must not
 * fail its service registration for that, so that the hub keeps running and reports the problem.</li>
 * </ul>
 */
@ConsumerType
public interface TwinStore {

    /**
     * Hands every stored thing to {@code sink}, in no particular order. Called once when the twin service starts (and
     * again after the store was unavailable at start), before any write.
     *
     * @throws TwinStoreException when the store cannot be read
     */
    void loadAll(Consumer<StoredThing> sink);

    /**
     * The stored state of one thing.
     *
     * @throws TwinStoreException when the store cannot be read
     */
    Optional<StoredThing> get(ThingId thingId);

    /**
     * Stores the thing, replacing any earlier state of it; durable when this returns.
     *
     * @throws TwinStoreException when the change cannot be made durable
     */
    void put(StoredThing thing);

    /**
     * Removes the thing; durable when this returns. Removing a thing that is not stored does nothing.
     *
     * @throws TwinStoreException when the change cannot be made durable
     */
    void delete(ThingId thingId);

    /**
     * Where the things are kept, for health reports and error messages: a file path, a database URL without
     * credentials.
     */
    String location();
}
