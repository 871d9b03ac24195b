package nl.lantaarn.twin.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.TwinService;

/**
 * The twin registry held in memory (the durable store replaces it in a later step; the service contract stays).
 * <p>
 * Writes of one thing are serialised by the map's per-key lock, and the resulting event is handed to every listener's
 * queue while that lock is held, so listeners see each thing's events in revision order. Listeners run on their own
 * threads ({@link ListenerDispatcher}), so a slow listener never blocks a writer.
 */
@Component(service = {TwinService.class, HealthContributor.class})
public final class InMemoryTwinService implements TwinService, HealthContributor {

    private final ConcurrentHashMap<ThingId, Thing> things = new ConcurrentHashMap<>();
    private final Map<TwinEventListener, ListenerDispatcher> dispatchers = new ConcurrentHashMap<>();
    private final List<ListenerDispatcher> activeDispatchers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(TwinEventListener listener) {
        ListenerDispatcher dispatcher = new ListenerDispatcher(listener);
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
        activeDispatchers.forEach(ListenerDispatcher::close);
        activeDispatchers.clear();
        dispatchers.clear();
    }

    @Override
    public Optional<Thing> retrieve(ThingId thingId) {
        return Optional.ofNullable(things.get(thingId));
    }

    @Override
    public List<Thing> list() {
        List<Thing> all = new ArrayList<>(things.values());
        all.sort(Comparator.comparing(thing -> thing.getEntityId().orElseThrow().toString()));
        return all;
    }

    @Override
    public int size() {
        return things.size();
    }

    @Override
    public Thing apply(ThingUpdate update) {
        return things.compute(update.thingId(), (id, existing) -> applyLocked(id, existing, update.patch()));
    }

    /** Runs under the map's lock for this thing id: computes the new state and queues its event. */
    private Thing applyLocked(ThingId id, Thing existing, JsonObject patch) {
        Instant now = Instant.now();
        Thing next;
        ThingEvent<?> event;
        if (existing == null) {
            JsonObject json = JsonFactory.newObject(patch, JsonObject.empty()).setValue(Thing.JsonFields.ID.getPointer(),
                    JsonValue.of(id.toString()));
            next = HubConventions.requireValid(ThingsModelFactory.newThing(stripNulls(json)))
                    .toBuilder().setRevision(1L).setModified(now).setCreated(now).build();
            event = ThingCreated.of(next, 1L, now, DittoHeaders.empty(), null);
        } else {
            long revision = existing.getRevision().map(r -> r.toLong()).orElse(0L) + 1;
            JsonValue merged = JsonMergePatch.of(patch).applyOn(existing.toJson());
            next = HubConventions.requireValid(ThingsModelFactory.newThing(merged.asObject()))
                    .toBuilder().setRevision(revision).setModified(now)
                    .setCreated(existing.getCreated().orElse(now)).build();
            event = ThingMerged.of(id, JsonPointer.empty(), patch, revision, now, DittoHeaders.empty(), null);
        }
        if (!activeDispatchers.isEmpty()) {
            TwinEvent twinEvent = new TwinEvent(event, next);
            for (ListenerDispatcher dispatcher : activeDispatchers) {
                dispatcher.offer(twinEvent);
            }
        }
        return next;
    }

    /** A merge patch on a new thing may hold nulls ("remove"); on creation there is nothing to remove. */
    private static JsonObject stripNulls(JsonObject json) {
        return JsonMergePatch.of(json).applyOn(JsonObject.empty()).asObject();
    }

    @Override
    public String component() {
        return "twin";
    }

    @Override
    public ComponentHealth health() {
        long overflowed = activeDispatchers.stream().mapToLong(ListenerDispatcher::overflowed).sum();
        String detail = things.size() + " things in memory, " + activeDispatchers.size() + " event listeners";
        if (overflowed > 0) {
            return ComponentHealth.degraded(detail + "; " + overflowed
                    + " events could not be queued for a listener that is not keeping up");
        }
        return ComponentHealth.up(detail);
    }
}
