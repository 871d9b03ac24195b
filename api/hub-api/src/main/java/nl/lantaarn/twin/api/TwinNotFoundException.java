package nl.lantaarn.twin.api;

import java.util.Objects;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;

/**
 * The thing, or the part of it a write or delete addressed, does not exist (HTTP 404).
 *
 * @since 1.1
 */
public class TwinNotFoundException extends TwinException {

    private static final long serialVersionUID = 1L;

    /** Error code when the thing itself does not exist. */
    public static final String THING_NOT_FOUND = "things:thing.notfound";
    /** Error code when the thing exists but the addressed attribute, feature or property does not. */
    public static final String RESOURCE_NOT_FOUND = "things:resource.notfound";

    private final transient JsonPointer path;

    /**
     * @param path the addressed part of the thing; the empty pointer for the thing itself
     * @param thingExists whether the thing exists (and only the part at {@code path} is missing)
     */
    public TwinNotFoundException(ThingId thingId, JsonPointer path, boolean thingExists) {
        super(thingExists ? RESOURCE_NOT_FOUND : THING_NOT_FOUND, Objects.requireNonNull(thingId, "thingId"),
                thingExists ? "Thing " + thingId + " has nothing at " + path : "Thing " + thingId + " does not exist",
                thingExists ? "Check the path; read the thing to see what it holds."
                        : "Check the thing id, or create the thing first.",
                null);
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The addressed part of the thing; the empty pointer for the thing itself. */
    public JsonPointer path() {
        return path;
    }
}
