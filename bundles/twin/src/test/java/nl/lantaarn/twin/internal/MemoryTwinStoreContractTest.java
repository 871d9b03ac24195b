package nl.lantaarn.twin.internal;

import nl.lantaarn.twin.spi.TwinStore;
import nl.lantaarn.twin.spi.TwinStoreContract;

/** The test double passes the store contract too, so that the twin service tests rest on a faithful store. */
class MemoryTwinStoreContractTest extends TwinStoreContract {

    @Override
    protected TwinStore openEmpty() {
        return new MemoryTwinStore();
    }

    @Override
    protected TwinStore reopen(TwinStore store) {
        return store;
    }

    @Override
    protected void close(TwinStore store) {
        // nothing held
    }
}
