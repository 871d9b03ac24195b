package nl.lantaarn.routing.internal;

import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A service looked up on first use instead of through a DS reference. For services whose own activation may activate
 * the routing component (the twin calls it as a {@code TwinEventListener}; the search index listens to the twin): a DS
 * reference would then be resolved inside that activation and fail with "ServiceFactory.getService() resulted in a
 * cycle", leaving it unbound for good. The tracker opens when a route first needs the service, after start-up.
 */
final class LazyService<T> implements Supplier<T>, AutoCloseable {

    private final ServiceTracker<T, T> tracker;
    private volatile boolean open;
    private volatile boolean closed;

    LazyService(BundleContext context, Class<T> type) {
        this.tracker = new ServiceTracker<>(context, type, null);
    }

    /** The service, or {@code null} when none runs (or after {@link #close()}). */
    @Override
    public T get() {
        if (!open) {
            synchronized (this) {
                if (closed) {
                    return null;
                }
                if (!open) {
                    tracker.open();
                    open = true;
                }
            }
        }
        return tracker.getService();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (open) {
            tracker.close();
        }
    }
}
