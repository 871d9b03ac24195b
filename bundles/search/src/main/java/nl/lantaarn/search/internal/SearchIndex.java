package nl.lantaarn.search.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.eclipse.ditto.things.model.signals.events.ThingDeleted;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.TwinJsonSource;
import nl.lantaarn.twin.api.TwinService;

/**
 * The search index of all things: filled from the things' stored JSON ({@link TwinJsonSource}, parsed on all cores;
 * else from {@link TwinService#list()}) at activation, then kept current from twin
 * events (it registers a {@link TwinEventListener}). Events are queued and applied by the index's own thread in batches (one write lock per batch, later changes
 * of a thing replacing earlier ones), so searches and a busy twin do not wait on each other per event. A change older
 * than the indexed revision is ignored, so the initial listing and the events may overlap.
 */
@Component(service = {SearchIndex.class, HealthContributor.class})
@Designate(ocd = SearchIndex.Config.class)
public final class SearchIndex implements HealthContributor {

    @ObjectClassDefinition(name = "Lantaarn search index")
    public @interface Config {
        @AttributeDefinition(description = "Twin events that may wait to be indexed; when full, the twin's delivery"
                + " thread for this index waits (nothing is dropped)", min = "1024")
        int queueCapacity() default 65536;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndex.class);
    private static final int BATCH = 4096;
    /** Things parsed together at start. */
    private static final int LOAD_CHUNK = 2048;

    private final ThingIndex index = new ThingIndex();
    private final SearchEngine engine;
    private final LinkedBlockingQueue<TwinEvent> queue;
    private final AtomicLong applied = new AtomicLong();
    private final ServiceRegistration<TwinEventListener> registration;
    private Thread writer;
    private volatile boolean running = true;

    @Activate
    public SearchIndex(BundleContext context, @Reference TwinService twin, @Reference ZoneRegistry zones,
            Config config) {
        this.engine = new SearchEngine(index, zones);
        this.queue = new LinkedBlockingQueue<>(config.queueCapacity());
        // The listener is registered here, before the snapshot, rather than declared as this component's service
        // (which DS would register only after activation): a change made while list() runs is then queued, not lost.
        // Events older than the snapshot are ignored by revision.
        TwinEventListener listener = this::enqueue;
        this.registration = context.registerService(TwinEventListener.class, listener, null);
        try {
            // the hub's twin offers its things' JSON on the same object (not as a service of its own: the twin is
            // still activating when it binds this index's listener, and DS hands out no other service of it then)
            if (twin instanceof TwinJsonSource stored) {
                loadStored(stored);
            } else {
                load(twin.list());
            }
        } catch (RuntimeException e) {
            registration.unregister();
            throw e;
        }
    }

    /** For tests: an index over the given things, fed by {@link #enqueue(TwinEvent)}. */
    SearchIndex(List<Thing> initial, ZoneRegistry zones, int queueCapacity) {
        this.engine = new SearchEngine(index, zones);
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.registration = null;
        load(initial);
    }

    private void load(List<Thing> initial) {
        long start = System.nanoTime();
        List<ThingIndex.Change> changes = new ArrayList<>(initial.size());
        for (Thing thing : initial) {
            changes.add(new ThingIndex.Change(null, 0, thing, false));
        }
        index.apply(changes);
        startWriter(start);
    }

    /**
     * Indexes every thing from its stored JSON, in chunks flattened by a streaming parser on all cores (each chunk then
     * set in the columns under the write lock): no Ditto {@code Thing} or JSON tree is made, and the lock is held only
     * for the column writes, which for a million things saves most of the start.
     */
    private void loadStored(TwinJsonSource stored) {
        long start = System.nanoTime();
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "lantaarn-search-load");
            thread.setDaemon(true);
            return thread;
        });
        // at most two chunks waiting per worker: the JSON texts of all things at once would take too much heap
        Semaphore waiting = new Semaphore(workers * 2);
        List<Future<?>> chunks = new ArrayList<>();
        List<Map.Entry<String, String>>[] chunk = newChunk();
        StoredThingFlattener flattener = new StoredThingFlattener();
        try {
            stored.forEachJson((id, json) -> {
                chunk[0].add(Map.entry(id, json));
                if (chunk[0].size() == LOAD_CHUNK) {
                    chunks.add(submit(pool, waiting, flattener, chunk[0]));
                    chunk[0] = new ArrayList<>(LOAD_CHUNK);
                }
            });
            chunks.add(submit(pool, waiting, flattener, chunk[0]));
            for (Future<?> done : chunks) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Search index: interrupted while indexing the things", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Search index: indexing the things failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        startWriter(start);
    }

    @SuppressWarnings("unchecked")
    private static List<Map.Entry<String, String>>[] newChunk() {
        return new List[] {new ArrayList<>(LOAD_CHUNK)};
    }

    private Future<?> submit(ExecutorService pool, Semaphore waiting, StoredThingFlattener flattener,
            List<Map.Entry<String, String>> texts) {
        waiting.acquireUninterruptibly(); // the workers always release: they only parse and index
        return pool.submit(() -> {
            try {
                List<StoredThingFlattener.Flat> flat = new ArrayList<>(texts.size());
                for (Map.Entry<String, String> text : texts) {
                    flat.add(flattener.flatten(text.getKey(), text.getValue()));
                }
                index.applyStored(flat);
            } finally {
                waiting.release();
            }
        });
    }

    private void startWriter(long startNanos) {
        // only now: events queued meanwhile must not be applied before the snapshot (a deletion would be undone)
        writer = new Thread(this::drain, "lantaarn-search-index");
        writer.setDaemon(true);
        writer.start();
        LOG.debug("Search index: {} things indexed in {} ms", index.size(),
                (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** For tests and measurements: an index over the things of {@code stored}, fed by {@link #enqueue(TwinEvent)}. */
    SearchIndex(TwinJsonSource stored, ZoneRegistry zones, int queueCapacity) {
        this.engine = new SearchEngine(index, zones);
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.registration = null;
        loadStored(stored);
    }

    @Deactivate
    public void close() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        running = false;
        writer.interrupt();
    }

    SearchEngine engine() {
        return engine;
    }

    ThingIndex index() {
        return index;
    }

    /** Twin events applied so far (for tests and health). */
    long applied() {
        return applied.get();
    }

    /** Queues a twin event for indexing; waits while the queue is full. */
    void enqueue(TwinEvent event) {
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Search index: {} was not indexed because the hub is stopping; the index is rebuilt from the twin"
                    + " at the next start", event);
        }
    }

    private void drain() {
        List<TwinEvent> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                TwinEvent first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                index.apply(coalesce(batch));
                applied.addAndGet(batch.size());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // one bad thing must not stop indexing: report it and go on with the next batch
                LOG.warn("Search index: a batch of {} changes could not be indexed: {}", batch.size(), e.toString(), e);
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * The last change of each thing in the batch. When the batch deletes or creates a thing, its change restarts the
     * thing ({@code reset}): a thing created anew may begin again at revision 1.
     */
    static List<ThingIndex.Change> coalesce(List<TwinEvent> batch) {
        Map<String, ThingIndex.Change> last = new LinkedHashMap<>();
        for (TwinEvent event : batch) {
            String id = event.thingId().toString();
            boolean deleted = event.event() instanceof ThingDeleted;
            boolean restart = deleted || event.event() instanceof ThingCreated;
            ThingIndex.Change before = last.remove(id);
            boolean reset = restart || before != null && before.reset();
            // a change of a kind this index does not know is read as "the thing is now event.thing()"
            last.put(id, new ThingIndex.Change(id, event.revision(), deleted ? null : event.thing(), reset));
        }
        return new ArrayList<>(last.values());
    }

    @Override
    public String component() {
        return "search";
    }

    @Override
    public ComponentHealth health() {
        return ComponentHealth.up(index.size() + " things indexed, " + queue.size() + " changes waiting");
    }
}
