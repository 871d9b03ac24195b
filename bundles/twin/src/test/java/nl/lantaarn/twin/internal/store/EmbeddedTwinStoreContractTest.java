package nl.lantaarn.twin.internal.store;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.twin.spi.TwinStore;
import nl.lantaarn.twin.spi.TwinStoreContract;

/** The embedded store against the store contract; checkpoints often, so reopening finds both journal and file. */
class EmbeddedTwinStoreContractTest extends TwinStoreContract {

    @TempDir
    Path dir;

    private EmbeddedTwinStore.Settings settings() {
        return EmbeddedTwinStore.Settings.of(dir.resolve("data/twin/things.mv")).withCheckpointMillis(50);
    }

    @Override
    protected TwinStore openEmpty() {
        return new EmbeddedTwinStore(settings());
    }

    @Override
    protected TwinStore reopen(TwinStore store) {
        ((EmbeddedTwinStore) store).close();
        return new EmbeddedTwinStore(settings());
    }

    @Override
    protected void close(TwinStore store) {
        ((EmbeddedTwinStore) store).close();
    }
}
