package nl.lantaarn.twin.api;

import java.util.Objects;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingDeleted;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;

/**
 * One accepted change of a thing: the Ditto event that describes it (from
 * {@code org.eclipse.ditto.things.model.signals.events}: {@code ThingCreated}, {@code ThingMerged},
 * {@code ThingModified}, {@code ThingDeleted}, {@code AttributeModified}, {@code FeaturePropertyModified}, ...) and the
 * thing as it was right after the change.
 * <p>
 * For {@code ThingDeleted} ({@link #isThingDeleted()}) there is no thing after the change: {@link #thing()} is then
 * the thing as it was last, before the deletion, and {@link #revision()} is the revision of the deletion.
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

    /** The thing right after this change; for a deletion, the thing as it was before it. */
    public Thing thing() {
        return thing;
    }

    public ThingId thingId() {
        return event.getEntityId();
    }

    public long revision() {
        return event.getRevision();
    }

    /**
     * Whether this change deleted the whole thing ({@code ThingDeleted}).
     *
     * @since 1.1
     */
    public boolean isThingDeleted() {
        return event instanceof ThingDeleted;
    }

    @Override
    public String toString() {
        return "TwinEvent[" + event.getType() + " " + thingId() + " rev " + revision() + "]";
    }
}
