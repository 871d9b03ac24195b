package nl.lantaarn.http.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;

/**
 * The hub's twin changes as numbered stream events for {@code GET /api/v1/events}: every {@link TwinEvent} gets the
 * next sequence number, is rendered once, is kept in a ring of the last {@code ringSize} for clients that resume, and is
 * offered to every open {@link EventStream}, which only queues it. So the twin's listener thread never waits for a
 * client.
 * <p>
 * A component of its own without references: the twin activates its listeners while it activates itself, and a
 * listener that needed other services then could end up in a cycle (see the routing component).
 */
@Component(service = {TwinEventListener.class, EventFeed.class}, configurationPid = EventStreamServlet.PID)
public final class EventFeed implements TwinEventListener {

    static final String EVENT_NAME = "thing-changed";

    /** One numbered change, rendered once for every stream. */
    record StreamEvent(long id, String thingId, String namespace, Thing thing, JsonObject data, String frame) {

        /** The same event with other data (a value cut to what a client may read). */
        String frame(JsonObject otherData) {
            return frame(id, otherData);
        }

        static String frame(long id, JsonObject data) {
            // Ditto's JSON is written on one line (line breaks inside strings are escaped), as one data: line needs
            return "id: " + id + "\nevent: " + EVENT_NAME + "\ndata: " + data + "\n\n";
        }

        /** The thing's {@code attributes/location} as [longitude, latitude], or {@code null}. */
        double[] location() {
            return thing.getAttributes()
                    .flatMap(attributes -> attributes.getValue(JsonPointer.of("location/coordinates")))
                    .filter(JsonValue::isArray)
                    .map(JsonValue::asArray)
                    .filter(array -> array.getSize() >= 2 && array.get(0).filter(JsonValue::isNumber).isPresent()
                            && array.get(1).filter(JsonValue::isNumber).isPresent())
                    .map(array -> new double[] {array.get(0).get().asDouble(), array.get(1).get().asDouble()})
                    .orElse(null);
        }
    }

    /**
     * What a stream that resumes gets first.
     *
     * @param missed  how many events after the client's id the ring no longer holds; 0 when none; -1 when that is
     *                unknown: the id is from an earlier run of the hub, or was never sent
     * @param replay  the events after the client's id that the ring holds, oldest first (not yet filtered)
     * @param latest  the id of the newest event so far, 0 when there was none
     */
    record Resume(long missed, List<StreamEvent> replay, long latest) {
    }

    private final int ringSize;
    /**
     * The id of this run's first event: the start time in microseconds-like units (milliseconds times 1000), so that
     * ids keep increasing across restarts of the hub and an id of an earlier run is recognised (it is lower).
     */
    private final long firstId;
    private final ArrayDeque<StreamEvent> ring = new ArrayDeque<>();
    private final List<EventStream> streams = new CopyOnWriteArrayList<>();
    /** The id of the newest event; guarded by {@code this}, with {@link #ring}. */
    private long sequence;

    @Activate
    public EventFeed(EventStreamServlet.Config config) {
        this(config.ringSize());
    }

    EventFeed(int ringSize) {
        this(ringSize, System.currentTimeMillis() * 1000);
    }

    EventFeed(int ringSize, long firstId) {
        this.ringSize = Math.max(1, ringSize);
        this.firstId = firstId;
        this.sequence = firstId - 1;
    }

    long firstId() {
        return firstId;
    }

    @Override
    public void onTwinEvent(TwinEvent event) {
        List<EventStream> receivers;
        StreamEvent numbered;
        synchronized (this) {
            numbered = number(++sequence, event);
            ring.addLast(numbered);
            if (ring.size() > ringSize) {
                ring.removeFirst();
            }
            receivers = streams;
        }
        // each stream filters and queues; a full queue closes that stream, never waits
        for (EventStream stream : receivers) {
            try {
                stream.offer(numbered);
            } catch (RuntimeException e) {
                // the servlet stopping while a stream is still listed: that stream is closing anyway
                stream.close();
            }
        }
    }

    /**
     * Adds a stream; when it resumes ({@code after} not {@code null}), first hands it what it missed, atomically
     * with adding it, so that no event is lost or sent twice between the ring and the live events.
     */
    synchronized void subscribe(EventStream stream, Long after) {
        if (after != null) {
            stream.resume(resume(after));
        }
        streams.add(stream);
    }

    void unsubscribe(EventStream stream) {
        streams.remove(stream);
    }

    int streams() {
        return streams.size();
    }

    private Resume resume(long after) {
        if (after > sequence) {
            // not an id this hub sent: the clock went back, or the id is made up
            return new Resume(-1, List.of(), sequence);
        }
        long oldest = ring.isEmpty() ? sequence + 1 : ring.getFirst().id();
        long missed;
        if (after == 0) {
            missed = oldest - firstId; // "everything held": only what this run already dropped is missed
        } else if (after < firstId - 1) {
            missed = -1; // an id of an earlier run: how much it missed before this run started is unknown
        } else {
            missed = Math.max(0, oldest - 1 - after);
        }
        List<StreamEvent> replay = new ArrayList<>();
        for (StreamEvent event : ring) {
            if (event.id() > after) {
                replay.add(event);
            }
        }
        return new Resume(missed, replay, sequence);
    }

    private static StreamEvent number(long id, TwinEvent change) {
        ThingEvent<?> event = change.event();
        JsonObjectBuilder data = JsonObject.newBuilder()
                .set("thingId", change.thingId().toString())
                .set("revision", change.revision())
                .set("eventType", event.getType())
                .set("time", event.getTimestamp().orElseGet(Instant::now).toString())
                .set("path", event.getResourcePath().toString());
        event.getEntity(JsonSchemaVersion.LATEST).ifPresent(value -> data.set("value", value));
        JsonObject built = data.build();
        return new StreamEvent(id, change.thingId().toString(), change.thingId().getNamespace(), change.thing(),
                built, StreamEvent.frame(id, built));
    }
}
