package nl.lantaarn.twin.internal.store;

import java.nio.file.Path;

import nl.lantaarn.twin.spi.TwinStore;

/** Opens the embedded store for tests in other packages and for measurements. */
public final class EmbeddedTwinStoreAccess {

    private EmbeddedTwinStoreAccess() {
    }

    public static TwinStore open(Path file, long checkpointMillis) {
        return new EmbeddedTwinStore(EmbeddedTwinStore.Settings.of(file).withCheckpointMillis(checkpointMillis));
    }

    public static TwinStore open(Path file, long checkpointMillis, boolean sync) {
        return new EmbeddedTwinStore(EmbeddedTwinStore.Settings.of(file).withCheckpointMillis(checkpointMillis)
                .withSync(sync));
    }

    public static void close(TwinStore store) {
        ((EmbeddedTwinStore) store).close();
    }

    /** Journal writes and the records in them, since the store was opened. */
    public static long[] journalGroups(TwinStore store) {
        return ((EmbeddedTwinStore) store).journalGroups();
    }
}
