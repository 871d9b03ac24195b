package nl.lantaarn.twin.internal;

import nl.lantaarn.twin.api.TwinEventListener;

/** For the routing tests: registers a listener with a real twin as the OSGi whiteboard would. */
public final class TwinListeners {

    private TwinListeners() {
    }

    public static void add(TwinServiceComponent twin, TwinEventListener listener) {
        twin.addListener(listener);
    }
}
