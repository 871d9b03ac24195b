package nl.lantaarn.twin.api;

import java.util.Objects;
import java.util.OptionalLong;

import org.eclipse.ditto.things.model.ThingId;

/**
 * A conditional write whose {@link WriteCondition} did not hold (HTTP 412 Precondition Failed). Carries the thing's
 * current revision so that the caller can re-read and retry.
 *
 * @since 1.1
 */
public class TwinConflictException extends TwinException {

    private static final long serialVersionUID = 1L;

    /** Error code, as Ditto names a failed precondition. */
    public static final String ERROR_CODE = "things:precondition.failed";

    private final transient WriteCondition condition;
    private final long currentRevision;

    /**
     * @param currentRevision the thing's revision now; empty when the thing does not exist
     */
    public TwinConflictException(ThingId thingId, WriteCondition condition, OptionalLong currentRevision) {
        super(ERROR_CODE, Objects.requireNonNull(thingId, "thingId"), message(thingId, condition, currentRevision),
                "Read the thing again, apply the change to its current revision and send it with that revision.",
                null);
        this.condition = Objects.requireNonNull(condition, "condition");
        this.currentRevision = currentRevision.orElse(0L);
    }

    private static String message(ThingId thingId, WriteCondition condition, OptionalLong current) {
        String state = current.isPresent() ? "is at revision " + current.getAsLong() : "does not exist";
        return "Thing " + thingId + " " + state + "; the write required " + condition;
    }

    /** The condition that did not hold. */
    public WriteCondition condition() {
        return condition;
    }

    /** The thing's revision when the write was refused; empty when the thing does not exist. */
    public OptionalLong currentRevision() {
        return currentRevision == 0 ? OptionalLong.empty() : OptionalLong.of(currentRevision);
    }
}
