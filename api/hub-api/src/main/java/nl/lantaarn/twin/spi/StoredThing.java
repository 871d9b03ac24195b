package nl.lantaarn.twin.spi;

import java.util.Objects;

import org.eclipse.ditto.things.model.ThingId;

/**
 * One thing as a {@link TwinStore} keeps it: the id, the revision and the thing's Ditto JSON as text (all fields,
 * including {@code _revision}, {@code _created} and {@code _modified}). Immutable.
 */
public final class StoredThing {

    private final ThingId thingId;
    private final long revision;
    private final String json;

    /**
     * @param thingId  the thing's id
     * @param revision the thing's revision, 1 or more
     * @param json     the thing's Ditto JSON object as text
     */
    public StoredThing(ThingId thingId, long revision, String json) {
        this.thingId = Objects.requireNonNull(thingId, "thingId");
        if (revision < 1) {
            throw new IllegalArgumentException("revision of " + thingId + " must be 1 or more, not " + revision);
        }
        this.revision = revision;
        this.json = Objects.requireNonNull(json, "json");
    }

    public ThingId thingId() {
        return thingId;
    }

    public long revision() {
        return revision;
    }

    /** The thing's Ditto JSON object as text. */
    public String json() {
        return json;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredThing t && revision == t.revision && thingId.equals(t.thingId) && json.equals(t.json);
    }

    @Override
    public int hashCode() {
        return Objects.hash(thingId, revision, json);
    }

    @Override
    public String toString() {
        return "StoredThing[" + thingId + " rev " + revision + ", " + json.length() + " chars]";
    }
}
