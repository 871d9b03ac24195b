package nl.lantaarn.things.model;

import java.util.Objects;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

/**
 * A change an adapter wants applied to a thing: a JSON merge patch (RFC 7396) on the thing's Ditto JSON, creating the
 * thing when it does not exist yet. Immutable.
 * <p>
 * Build one from a partial Ditto {@link Thing} ({@link #merge(Thing)}) or from a JSON object of the same shape
 * ({@link #merge(ThingId, JsonObject)}).
 */
public final class ThingUpdate {

    private final ThingId thingId;
    private final JsonObject patch;

    private ThingUpdate(ThingId thingId, JsonObject patch) {
        this.thingId = thingId;
        this.patch = patch;
    }

    /**
     * @param thingId the thing to create or merge into
     * @param patch   merge patch on the thing's JSON, e.g. {@code {"attributes":{...},"features":{...}}}; a
     *                {@code thingId} field in it is ignored
     */
    public static ThingUpdate merge(ThingId thingId, JsonObject patch) {
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(patch, "patch");
        return new ThingUpdate(thingId, patch.remove(Thing.JsonFields.ID.getPointer()));
    }

    /** An update that merges the given partial thing; the thing must have an id. */
    public static ThingUpdate merge(Thing partial) {
        Objects.requireNonNull(partial, "partial");
        ThingId id = partial.getEntityId()
                .orElseThrow(() -> new IllegalArgumentException("thingId: a thing update needs a thing id"));
        return merge(id, partial.toJson());
    }

    public ThingId thingId() {
        return thingId;
    }

    /** The merge patch, without the thing id. */
    public JsonObject patch() {
        return patch;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThingUpdate u && thingId.equals(u.thingId) && patch.equals(u.patch);
    }

    @Override
    public int hashCode() {
        return Objects.hash(thingId, patch);
    }

    @Override
    public String toString() {
        return "ThingUpdate[" + thingId + " " + patch + "]";
    }
}
