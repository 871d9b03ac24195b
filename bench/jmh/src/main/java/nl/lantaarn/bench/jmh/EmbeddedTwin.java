package nl.lantaarn.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import nl.lantaarn.twin.internal.TwinServiceComponent;
import nl.lantaarn.twin.internal.store.EmbeddedTwinStoreAccess;
import nl.lantaarn.twin.spi.TwinStore;

/**
 * The twin service on the embedded store (default settings: journal, checkpoint every second, no fsync) in a
 * temporary folder, without the framework and without listeners.
 */
public final class EmbeddedTwin implements AutoCloseable {

    private final Path home;
    private final TwinStore store;
    private final TwinServiceComponent twin;

    public EmbeddedTwin(boolean sync) throws IOException {
        home = Files.createTempDirectory("lantaarn-jmh");
        store = EmbeddedTwinStoreAccess.open(home.resolve("data/twin/things.mv"), 1000, sync);
        twin = new TwinServiceComponent(store);
    }

    public TwinServiceComponent twin() {
        return twin;
    }

    @Override
    public void close() throws IOException {
        twin.deactivate();
        EmbeddedTwinStoreAccess.close(store);
        CityThings.delete(home);
    }
}
