package nl.lantaarn.twin.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.RandomAccess;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.eclipse.ditto.things.model.signals.events.ThingDeleted;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingModified;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinConflictException;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.TwinJsonSource;
import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.TwinStoreException;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.ThingChanges.Change;
import nl.lantaarn.twin.internal.store.EmbeddedTwinStore;
import nl.lantaarn.twin.spi.StoredThing;
import nl.lantaarn.twin.spi.TwinStore;

/**
 * The twin service: every thing in memory (the read path), every change written through to the {@link TwinStore}
 * before it is acknowledged.
 * <p>
 * A thing is held as its compact Ditto JSON bytes and revision ({@link HeldThing}), parsed into a Ditto {@link Thing}
 * when read; the {@link RecentThings} keep the parsed Thing of the most recently written or read things, so that a
 * device that keeps reporting is not parsed again on every merge. That keeps a million things in well under a
 * gigabyte of heap, and the start does no parsing at all.
 * <p>
 * Each thing has a slot whose lock serialises its writes, from the revision check to the durable store write to the
 * event hand-off, so revisions, store writes and events of one thing are in order. Writes of different things only
 * meet in the store, which groups them. Readers never lock: they see the last acknowledged state. Events go to each
 * listener's own thread ({@link ListenerDispatcher}); a listener whose queue is full holds the writer back for as long
 * as it keeps taking events, a stuck one holds it up for one wait only ({@link Config#listenerWaitSeconds()}).
 * <p>
 * When a store write fails the thing keeps its previous state here, and its slot is marked stale: the next write of it
 * first re-reads it from the store (the failed write may have landed after all) and raises an event for any difference.
 */
@Component(service = {TwinService.class, HealthContributor.class}, configurationPid = "nl.lantaarn.twin")
@Designate(ocd = TwinServiceComponent.Config.class)
public final class TwinServiceComponent implements TwinService, TwinJsonSource, HealthContributor {

    @ObjectClassDefinition(name = "Lantaarn twin")
    public @interface Config {
        @AttributeDefinition(name = "Parsed things kept", description = "How many of the most recently written or"
                + " read things are kept parsed (about 5 KB of heap each); the others are held as their JSON (about"
                + " 330 bytes) and parsed when read.", min = "0")
        int cachedThings() default DEFAULT_CACHED_THINGS;

        @AttributeDefinition(name = "Listener wait", description = "Seconds a write waits for room when an event"
                + " listener's queue is full (back-pressure), again and again while the listener takes events. A"
                + " listener that took none during a whole wait is stuck: its events are counted as overflowed at"
                + " once until it takes one again. 0: a full queue overflows at once.", min = "0")
        int listenerWaitSeconds() default DEFAULT_LISTENER_WAIT_SECONDS;
    }

    /** Parsed things kept by default: about 500 MB of heap when that many are in use. */
    static final int DEFAULT_CACHED_THINGS = 100_000;
    /**
     * Longer than the routes' default wait for a full route queue (10 s), so that one stuck route, which holds up the
     * routing listener for one such wait, does not make the whole routing listener look stuck.
     */
    static final int DEFAULT_LISTENER_WAIT_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(TwinServiceComponent.class);
    private static final long LOAD_RETRY_SECONDS = 5;

    /** One thing's slot: its lock and its acknowledged state. */
    private static final class Slot {
        /** {@code null}: the thing does not exist (yet). */
        volatile HeldThing held;
        /** A store write of this thing failed: re-read it before the next write. Guarded by the slot. */
        boolean stale;
        /** Taken out of the map; writers take a fresh slot. Guarded by the slot. */
        boolean retired;

        Slot(HeldThing held) {
            this.held = held;
        }
    }

    /** A write of one thing, given its state ({@code null}: absent), the next revision and the time. */
    @FunctionalInterface
    private interface Write {
        Change apply(Thing current, long revision, Instant now);
    }

    private final TwinStore store;
    /** By the thing id's text: a {@link ThingId} key would cost about 150 bytes a thing more. */
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final RecentThings recent;
    private final AtomicInteger count = new AtomicInteger();
    private final Duration listenerWait;
    private final Map<TwinEventListener, ListenerDispatcher> dispatchers = new ConcurrentHashMap<>();
    private final List<ListenerDispatcher> activeDispatchers = new CopyOnWriteArrayList<>();

    private final Object loadLock = new Object();
    private volatile boolean loaded;
    private volatile String loadProblem;
    private volatile String writeProblem;
    private final AtomicLong unreadable = new AtomicLong();
    private volatile String firstUnreadable;
    private ScheduledExecutorService loadRetry;

    /** With the default number of parsed things kept. */
    public TwinServiceComponent(TwinStore store) {
        this(store, DEFAULT_CACHED_THINGS);
    }

    @Activate
    public TwinServiceComponent(@Reference(name = "store") TwinStore store, Config config) {
        this(store, config.cachedThings(), listenerWait(config.listenerWaitSeconds()));
    }

    public TwinServiceComponent(TwinStore store, int cachedThings) {
        this(store, cachedThings, Duration.ofSeconds(DEFAULT_LISTENER_WAIT_SECONDS));
    }

    /** @param listenerWait how long a write waits for room in a full listener queue; zero: not at all */
    public TwinServiceComponent(TwinStore store, int cachedThings, Duration listenerWait) {
        if (listenerWait.isNegative()) {
            throw new IllegalArgumentException("listenerWaitSeconds must be 0 or more, was "
                    + listenerWait.toSeconds());
        }
        this.store = store;
        this.listenerWait = listenerWait;
        this.recent = new RecentThings(cachedThings);
        if (!tryLoad()) {
            // the store cannot be read now (e.g. an unwritable data folder): keep trying, health says why
            loadRetry = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "twin-load-retry");
                thread.setDaemon(true);
                return thread;
            });
            ScheduledExecutorService retry = loadRetry;
            retry.scheduleWithFixedDelay(() -> {
                if (tryLoad()) {
                    retry.shutdown(); // ends this schedule
                }
            }, LOAD_RETRY_SECONDS, LOAD_RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(TwinEventListener listener) {
        ListenerDispatcher dispatcher = new ListenerDispatcher(listener, listenerWait);
        dispatchers.put(listener, dispatcher);
        activeDispatchers.add(dispatcher);
    }

    void removeListener(TwinEventListener listener) {
        ListenerDispatcher dispatcher = dispatchers.remove(listener);
        if (dispatcher != null) {
            activeDispatchers.remove(dispatcher);
            dispatcher.close();
        }
    }

    @Deactivate
    public void deactivate() {
        if (loadRetry != null) {
            loadRetry.shutdownNow();
        }
        activeDispatchers.forEach(ListenerDispatcher::close);
        activeDispatchers.clear();
        dispatchers.clear();
    }

    private static Duration listenerWait(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("listenerWaitSeconds must be 0 or more, was " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    // --- loading

    private boolean tryLoad() {
        try {
            ensureLoaded(null);
            return true;
        } catch (TwinStoreException e) {
            return false;
        }
    }

    /** Reads every thing from the store once; until that worked, writes are refused. */
    private void ensureLoaded(ThingId forThing) {
        if (loaded) {
            return;
        }
        synchronized (loadLock) {
            if (loaded) {
                return;
            }
            try {
                long start = System.nanoTime();
                // no parsing here: a thing is parsed when it is first read
                if (store instanceof EmbeddedTwinStore embedded) {
                    // the file's bytes as they are: no id parsed, no JSON decoded into a text and encoded again
                    embedded.loadAllEncoded((id, revision, json) -> hold(id, new HeldThing(json, revision, null)));
                } else {
                    store.loadAll(stored -> hold(stored.thingId().toString(),
                            HeldThing.of(stored.json(), stored.revision(), null)));
                }
                loaded = true;
                if (loadProblem != null) {
                    LOG.info("Twin loaded {} things from {} after all", count.get(), store.location());
                }
                loadProblem = null;
                LOG.debug("Twin loaded {} things from {} in {} ms", count.get(), store.location(),
                        (System.nanoTime() - start) / 1_000_000);
            } catch (TwinStoreException e) {
                slots.clear();
                count.set(0);
                if (loadProblem == null) {
                    LOG.warn("Twin cannot load its things: {}", sentence(e));
                }
                loadProblem = sentence(e);
                throw forThing == null ? e : new TwinStoreException(forThing, e.getMessage(), e.description(), e);
            }
        }
    }

    private void hold(String thingId, HeldThing held) {
        if (slots.putIfAbsent(thingId, new Slot(held)) == null) {
            count.incrementAndGet();
        }
    }

    /**
     * The held thing as a Ditto thing: the cached one, else parsed (and, with {@code keep}, cached among the recent
     * things). {@code null} (and counted in health) when its JSON cannot be read: the thing is then treated as absent,
     * as if it had not been stored, until a write replaces it.
     */
    private Thing thing(String thingId, HeldThing held, boolean keep) {
        Thing cached = held.cached();
        if (cached != null) {
            return cached;
        }
        if (held.unreadable()) {
            return null;
        }
        try {
            Thing thing = ThingsModelFactory.newThing(JsonFactory.readFrom(held.json()).asObject());
            boolean sameId = thing.getEntityId().map(id -> id.toString().equals(thingId)).orElse(false);
            if (!sameId || revisionOf(thing) != held.revision()) {
                // as the store keeps it: its id and revision are the store's
                thing = thing.toBuilder().setId(ThingId.of(thingId)).setRevision(held.revision()).build();
            }
            if (keep) {
                held.cache(thing);
                recent.add(held);
            }
            return thing;
        } catch (RuntimeException e) {
            held.markUnreadable();
            if (unreadable.getAndIncrement() == 0) {
                firstUnreadable = thingId + " (" + e.getMessage() + ")";
            }
            LOG.warn("Twin cannot read the stored thing {} in {}: {}", thingId, store.location(), e.getMessage());
            return null;
        }
    }

    // --- reads

    @Override
    public Optional<Thing> retrieve(ThingId thingId) {
        String id = thingId.toString();
        Slot slot = slots.get(id);
        HeldThing held = slot == null ? null : slot.held;
        return held == null ? Optional.empty() : Optional.ofNullable(thing(id, held, true));
    }

    /**
     * A snapshot of the ids and held states, sorted by id; each thing is parsed when the list's element is read (and
     * not cached: one pass over all things must not push out the hot ones), so that a list of a million things costs
     * about 50 MB, not 5 GB. A thing whose JSON cannot be read is left out where that is known when the list is made;
     * found out later, its element is the thing with its id and revision only.
     */
    @Override
    public List<Thing> list() {
        List<Map.Entry<String, HeldThing>> all = new ArrayList<>(count.get());
        slots.forEach((id, slot) -> {
            HeldThing held = slot.held;
            if (held != null && !held.unreadable()) {
                all.add(Map.entry(id, held));
            }
        });
        all.sort(Map.Entry.comparingByKey());
        return new HeldList(all);
    }

    @Override
    public void forEachJson(BiConsumer<String, String> sink) {
        slots.forEach((id, slot) -> {
            HeldThing held = slot.held;
            if (held != null && !held.unreadable()) {
                sink.accept(id, held.json());
            }
        });
    }

    /** The things of {@link #list()}, parsed when read. */
    private final class HeldList extends AbstractList<Thing> implements RandomAccess {
        private final List<Map.Entry<String, HeldThing>> entries;

        HeldList(List<Map.Entry<String, HeldThing>> entries) {
            this.entries = entries;
        }

        @Override
        public Thing get(int index) {
            Map.Entry<String, HeldThing> entry = entries.get(index);
            Thing thing = thing(entry.getKey(), entry.getValue(), false);
            return thing != null ? thing : ThingsModelFactory.newThingBuilder().setId(ThingId.of(entry.getKey()))
                    .setRevision(entry.getValue().revision()).build();
        }

        @Override
        public int size() {
            return entries.size();
        }
    }

    @Override
    public int size() {
        return count.get();
    }

    // --- writes

    @Override
    public Thing apply(ThingUpdate update) {
        return merge(update.thingId(), JsonPointer.empty(), update.patch(), WriteCondition.any());
    }

    @Override
    public Thing modify(ThingId thingId, JsonPointer path, JsonValue value, WriteCondition condition) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(value, "value");
        return write(thingId, condition, (current, revision, now) ->
                ThingChanges.modify(thingId, current, path, value, revision, now)).thing();
    }

    @Override
    public Thing merge(ThingId thingId, JsonPointer path, JsonValue patch, WriteCondition condition) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(patch, "patch");
        return write(thingId, condition, (current, revision, now) ->
                ThingChanges.merge(thingId, current, path, patch, revision, now)).thing();
    }

    @Override
    public Optional<Thing> delete(ThingId thingId, JsonPointer path, WriteCondition condition) {
        Objects.requireNonNull(path, "path");
        return Optional.ofNullable(write(thingId, condition, (current, revision, now) ->
                ThingChanges.delete(thingId, current, path, revision, now)).thing());
    }

    private Change write(ThingId id, WriteCondition condition, Write write) {
        Objects.requireNonNull(id, "thingId");
        Objects.requireNonNull(condition, "condition");
        ensureLoaded(id);
        while (true) {
            Slot slot = slots.computeIfAbsent(id.toString(), key -> new Slot(null));
            synchronized (slot) {
                if (slot.retired) {
                    continue; // a delete took this slot out just now
                }
                try {
                    return writeLocked(id, slot, condition, write);
                } finally {
                    if (slot.held == null && !slot.stale) {
                        // nothing (left) to hold: a refused creation or a deletion
                        slot.retired = true;
                        slots.remove(id.toString(), slot);
                    }
                }
            }
        }
    }

    /** Runs under the slot's lock: check, compute, store durably, then publish. */
    private Change writeLocked(ThingId id, Slot slot, WriteCondition condition, Write write) {
        if (slot.stale) {
            refresh(id, slot);
        }
        HeldThing held = slot.held;
        // a thing whose stored JSON cannot be read counts as absent, as if it had not been stored
        Thing current = held == null ? null : thing(id.toString(), held, false);
        OptionalLong revision = current == null ? OptionalLong.empty() : OptionalLong.of(held.revision());
        if (!condition.allows(revision)) {
            throw new TwinConflictException(id, condition, revision);
        }
        Change change = write.apply(current, revision.orElse(0L) + 1, Instant.now());
        Thing next = change.thing();
        HeldThing nextHeld = persist(id, slot, change.event().getRevision(), next);
        slot.held = nextHeld;
        if (nextHeld != null) {
            recent.add(nextHeld); // a written thing is a hot one
        }
        if (held == null && next != null) {
            count.incrementAndGet();
        } else if (held != null && next == null) {
            count.decrementAndGet();
        }
        publish(change.event(), next != null ? next : current);
        return change;
    }

    /** Stores the change durably; the thing as held from now on ({@code null}: deleted). */
    private HeldThing persist(ThingId id, Slot slot, long revision, Thing next) {
        try {
            HeldThing held = null;
            if (next == null) {
                store.delete(id);
            } else {
                String json = next.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial()).toString();
                store.put(new StoredThing(id, revision, json));
                held = HeldThing.of(json, revision, next);
            }
            if (writeProblem != null) {
                writeProblem = null;
            }
            return held;
        } catch (TwinStoreException e) {
            slot.stale = true;
            writeProblem = Instant.now() + ": " + sentence(e);
            throw e;
        } catch (RuntimeException e) {
            slot.stale = true;
            writeProblem = Instant.now() + ": " + e;
            throw new TwinStoreException(id, "The twin store " + store.location() + " failed: " + e,
                    "This is a fault of the store implementation; see the hub log.", e);
        }
    }

    /** After a failed store write: take the thing as the store has it, and tell listeners of any difference. */
    private void refresh(ThingId id, Slot slot) {
        String key = id.toString();
        HeldThing storedHeld = store.get(id).map(s -> HeldThing.of(s.json(), s.revision(), null)).orElse(null);
        Thing stored = storedHeld == null ? null : thing(key, storedHeld, false);
        slot.stale = false;
        HeldThing knownHeld = slot.held;
        Thing known = knownHeld == null ? null : thing(key, knownHeld, false);
        long knownRevision = known == null ? 0 : knownHeld.revision();
        long storedRevision = stored == null ? 0 : storedHeld.revision();
        if (knownRevision == storedRevision) {
            return;
        }
        // the write that was reported as failed reached the store after all
        slot.held = stored == null ? null : storedHeld;
        if (knownHeld != null && stored == null) {
            count.decrementAndGet();
        } else if (knownHeld == null && stored != null) {
            count.incrementAndGet();
        }
        Instant now = Instant.now();
        ThingEvent<?> event;
        if (stored == null) {
            event = ThingDeleted.of(id, knownRevision + 1, now, DittoHeaders.empty(), null);
        } else if (known == null) {
            event = ThingCreated.of(stored, storedRevision, now, DittoHeaders.empty(), null);
        } else {
            event = ThingModified.of(stored, storedRevision, now, DittoHeaders.empty(), null);
        }
        publish(event, stored != null ? stored : known);
    }

    private void publish(ThingEvent<?> event, Thing thing) {
        if (!activeDispatchers.isEmpty()) {
            TwinEvent twinEvent = new TwinEvent(event, thing);
            for (ListenerDispatcher dispatcher : activeDispatchers) {
                dispatcher.offer(twinEvent);
            }
        }
    }

    /** The refusal as one text for logs and health: what went wrong, then what to do. */
    static String sentence(TwinStoreException e) {
        String message = e.getMessage();
        return message + (message.endsWith(".") ? " " : ". ") + e.description();
    }

    private static long revisionOf(Thing thing) {
        return thing.getRevision().map(revision -> revision.toLong()).orElse(0L);
    }

    // --- health

    @Override
    public String component() {
        return "twin";
    }

    @Override
    public ComponentHealth health() {
        String notLoaded = loadProblem;
        if (!loaded) {
            return ComponentHealth.down("things not loaded from the store: "
                    + (notLoaded == null ? "loading" : notLoaded) + " Writes are refused until then.");
        }
        String detail = count.get() + " things, store " + store.location() + ", " + activeDispatchers.size()
                + " event listeners";
        String refused = writeProblem;
        if (refused != null) {
            return ComponentHealth.degraded(detail + "; the last write was refused by the store at " + refused);
        }
        long unreadableThings = unreadable.get();
        if (unreadableThings > 0) {
            return ComponentHealth.degraded(detail + "; " + unreadableThings + " stored things could not be read, e.g. "
                    + firstUnreadable + "; the next write of such a thing replaces it");
        }
        long overflowed = activeDispatchers.stream().mapToLong(ListenerDispatcher::overflowed).sum();
        if (overflowed > 0) {
            return ComponentHealth.degraded(detail + "; " + overflowed
                    + " events could not be queued for a listener that is stuck or not keeping up");
        }
        return ComponentHealth.up(detail);
    }
}
