package nl.lantaarn.twin.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TwinStore} implementation passes: extend this class, create a store over empty storage in
 * {@link #openEmpty()} and a new instance over the same storage in {@link #reopen(TwinStore)} (the old one is closed
 * by then, or abandoned where the backend allows that). Shipped in the twin bundle's test jar.
 */
public abstract class TwinStoreContract {

    /** A store over empty storage. */
    protected abstract TwinStore openEmpty() throws Exception;

    /** Closes {@code store} and opens a new instance over the same storage. */
    protected abstract TwinStore reopen(TwinStore store) throws Exception;

    /** Releases the store and its storage. */
    protected abstract void close(TwinStore store) throws Exception;

    private TwinStore store;

    @BeforeEach
    void openStore() throws Exception {
        store = openEmpty();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            close(store);
        }
    }

    protected static ThingId id(int n) {
        return ThingId.of("nl.contract.test", "thing-" + n);
    }

    protected static StoredThing thing(int n, long revision) {
        return new StoredThing(id(n), revision, "{\"thingId\":\"" + id(n) + "\",\"_revision\":" + revision
                + ",\"attributes\":{\"name\":\"lantaarnpaal ‘" + n + "’ – Ω\"}}");
    }

    private static Map<ThingId, StoredThing> all(TwinStore store) {
        Map<ThingId, StoredThing> all = new HashMap<>();
        store.loadAll(thing -> assertThat(all.put(thing.thingId(), thing)).as("%s loaded twice", thing).isNull());
        return all;
    }

    @Test
    void emptyStoreHasNothing() {
        assertThat(all(store)).isEmpty();
        assertThat(store.get(id(1))).isEmpty();
        assertThat(store.location()).isNotBlank();
    }

    @Test
    void putThenGetAndLoadAll() {
        store.put(thing(1, 1));
        store.put(thing(2, 1));
        assertThat(store.get(id(1))).contains(thing(1, 1));
        assertThat(all(store)).containsOnlyKeys(id(1), id(2)).containsEntry(id(2), thing(2, 1));
    }

    @Test
    void putReplacesTheEarlierState() {
        store.put(thing(1, 1));
        store.put(thing(1, 2));
        store.put(thing(1, 3));
        assertThat(store.get(id(1))).contains(thing(1, 3));
        assertThat(all(store)).containsExactly(Map.entry(id(1), thing(1, 3)));
    }

    @Test
    void deleteRemovesAndIgnoresWhatIsNotThere() {
        store.put(thing(1, 1));
        store.put(thing(2, 1));
        store.delete(id(1));
        store.delete(id(3));
        assertThat(store.get(id(1))).isEmpty();
        assertThat(all(store)).containsOnlyKeys(id(2));
        store.put(thing(1, 1)); // created again after the deletion
        assertThat(store.get(id(1))).contains(thing(1, 1));
    }

    @Test
    void everythingSurvivesReopening() throws Exception {
        for (int n = 0; n < 50; n++) {
            store.put(thing(n, 1));
            store.put(thing(n, 2));
        }
        store.delete(id(7));
        store = reopen(store);
        Map<ThingId, StoredThing> all = all(store);
        assertThat(all).hasSize(49).doesNotContainKey(id(7)).containsEntry(id(8), thing(8, 2));
        assertThat(store.get(id(49))).contains(thing(49, 2));
        store.put(thing(49, 3));
        store = reopen(store);
        assertThat(store.get(id(49))).contains(thing(49, 3));
    }

    @Test
    void concurrentWritersAllLand() throws Exception {
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        store.put(thing(base + i, 1));
                        store.put(thing(base + i, 2));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        store = reopen(store);
        Map<ThingId, StoredThing> all = all(store);
        assertThat(all).hasSize(threads * perThread);
        assertThat(all.values()).allSatisfy(thing -> assertThat(thing.revision()).isEqualTo(2));
    }

    @Test
    void largeThingsRoundTrip() throws Exception {
        StringBuilder big = new StringBuilder("{\"thingId\":\"" + id(1) + "\",\"attributes\":{\"blob\":\"");
        for (int i = 0; i < 200_000; i++) {
            big.append((char) ('a' + i % 26));
        }
        big.append("\"}}");
        StoredThing thing = new StoredThing(id(1), 1, big.toString());
        store.put(thing);
        store = reopen(store);
        assertThat(store.get(id(1))).contains(thing);
    }
}
