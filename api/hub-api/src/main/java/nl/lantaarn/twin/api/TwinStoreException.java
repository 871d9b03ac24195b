package nl.lantaarn.twin.api;

import org.eclipse.ditto.things.model.ThingId;

/**
 * The twin's store cannot keep the change durably (a full or unwritable disk, a database that does not answer), so the
 * write was refused rather than acknowledged and possibly lost (HTTP 503). The message names the store's location and
 * the cause; the description says what an operator should do. Writers should keep the payload (adapters dead-letter
 * it with this message) and may retry later.
 *
 * @since 1.1
 */
public class TwinStoreException extends TwinException {

    private static final long serialVersionUID = 1L;

    /** Error code for a store that cannot take writes. */
    public static final String ERROR_CODE = "things:store.unavailable";

    /**
     * @param thingId     the thing being written, or {@code null}
     * @param message     what failed and where, e.g. the file path and the I/O error
     * @param description what an operator should do, e.g. free disk space or fix permissions of a named folder
     */
    public TwinStoreException(ThingId thingId, String message, String description, Throwable cause) {
        super(ERROR_CODE, thingId, message, description, cause);
    }
}
