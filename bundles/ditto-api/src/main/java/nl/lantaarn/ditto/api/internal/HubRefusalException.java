package nl.lantaarn.ditto.api.internal;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;

/**
 * A refusal of this hub that Ditto has no exception type for (a write that breaks the hub's model conventions, a part
 * of the Ditto protocol the hub does not serve). Ditto clients receive it like any Ditto error: status, error code,
 * message and a description that says what to do.
 */
final class HubRefusalException extends DittoRuntimeException {

    private static final long serialVersionUID = 1L;

    /** The write would break the hub's model conventions (things-model/README.md). */
    static final String MODEL_INVALID = "things:model.invalid";
    /** A Ditto signal, channel or protocol message the hub does not serve. */
    static final String UNSUPPORTED = "lantaarn:protocol.unsupported";
    /** A message the hub cannot read as the Ditto protocol. */
    static final String PROTOCOL_INVALID = "lantaarn:protocol.invalid";
    /** The hub failed unexpectedly; the log has the details. */
    static final String INTERNAL = "lantaarn:internal.error";

    HubRefusalException(String errorCode, HttpStatus status, String message, String description,
            DittoHeaders headers) {
        super(errorCode, status, headers, message, description, null, null);
    }

    @Override
    public DittoRuntimeException setDittoHeaders(DittoHeaders dittoHeaders) {
        return new HubRefusalException(getErrorCode(), getHttpStatus(), getMessage(), getDescription().orElse(null),
                dittoHeaders);
    }
}
