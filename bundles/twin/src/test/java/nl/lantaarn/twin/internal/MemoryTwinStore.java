package nl.lantaarn.twin.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.twin.api.TwinStoreException;
import nl.lantaarn.twin.spi.StoredThing;
import nl.lantaarn.twin.spi.TwinStore;

/**
 * A store in memory for tests of the twin service and of its users (in the twin's test jar); {@link #failWrites}
 * simulates a full disk.
 */
public final class MemoryTwinStore implements TwinStore {

    public final Map<ThingId, StoredThing> things = new ConcurrentHashMap<>();
    public volatile boolean failWrites;
    /** Simulates a write that is reported as failed but reached the storage all the same. */
    public volatile boolean failAfterWriting;
    public volatile boolean failReads;

    @Override
    public void loadAll(Consumer<StoredThing> sink) {
        if (failReads) {
            throw failure(null);
        }
        things.values().forEach(sink);
    }

    @Override
    public Optional<StoredThing> get(ThingId thingId) {
        if (failReads) {
            throw failure(thingId);
        }
        return Optional.ofNullable(things.get(thingId));
    }

    @Override
    public void put(StoredThing thing) {
        if (failWrites) {
            throw failure(thing.thingId());
        }
        things.put(thing.thingId(), thing);
        if (failAfterWriting) {
            throw failure(thing.thingId());
        }
    }

    @Override
    public void delete(ThingId thingId) {
        if (failWrites) {
            throw failure(thingId);
        }
        things.remove(thingId);
    }

    @Override
    public String location() {
        return "memory";
    }

    private static TwinStoreException failure(ThingId thingId) {
        return new TwinStoreException(thingId, "memory store: no space left", "free some", null);
    }
}
