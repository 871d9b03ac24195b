package nl.lantaarn.twin.api;

import java.util.Objects;

import org.eclipse.ditto.things.model.ThingId;

/**
 * A twin write that was refused: nothing was changed and no event was raised. Subclasses say why; each carries an
 * error code in Ditto's style ({@code things:...}) and a description of what to do about it.
 *
 * @since 1.1
 */
public abstract class TwinException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String errorCode;
    private final transient ThingId thingId;
    private final String description;

    protected TwinException(String errorCode, ThingId thingId, String message, String description, Throwable cause) {
        super(message, cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.thingId = thingId;
        this.description = Objects.requireNonNull(description, "description");
    }

    /** Machine-readable code, e.g. {@code things:precondition.failed}. */
    public String errorCode() {
        return errorCode;
    }

    /** The thing the write was for; {@code null} when the refusal is not about one thing. */
    public ThingId thingId() {
        return thingId;
    }

    /** What the caller or operator can do about it. */
    public String description() {
        return description;
    }
}
