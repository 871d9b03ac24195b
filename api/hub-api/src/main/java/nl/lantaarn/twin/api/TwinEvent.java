package nl.lantaarn.twin.api;

import java.util.Objects;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;

/**
 * One accepted change of a thing: the Ditto event that describes it ({@code ThingCreated} or {@code ThingMerged}) and
 * the thing as it was right after the change.
 */
public final class TwinEvent {

    private final ThingEvent<?> event;
    private final Thing thing;

    public TwinEvent(ThingEvent<?> event, Thing thing) {
        this.event = Objects.requireNonNull(event, "event");
        this.thing = Objects.requireNonNull(thing, "thing");
    }

    /** The Ditto event, ready to be sent in the Ditto protocol. */
    public ThingEvent<?> event() {
        return event;
    }

    /** The thing right after this change. */
    public Thing thing() {
        return thing;
    }

    public ThingId thingId() {
        return event.getEntityId();
    }

    public long revision() {
        return event.getRevision();
    }

    @Override
    public String toString() {
        return "TwinEvent[" + event.getType() + " " + thingId() + " rev " + revision() + "]";
    }
}
