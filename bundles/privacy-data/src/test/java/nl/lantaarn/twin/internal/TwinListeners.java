package nl.lantaarn.twin.internal;

import nl.lantaarn.twin.api.TwinEventListener;

/** Registers a listener on the real twin service as the OSGi whiteboard would, for this bundle's tests. */
public final class TwinListeners {

    private TwinListeners() {
    }

    public static void add(TwinServiceComponent twin, TwinEventListener listener) {
        twin.addListener(listener);
    }
}
