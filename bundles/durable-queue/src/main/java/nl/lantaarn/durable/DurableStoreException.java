package nl.lantaarn.durable;

/** The store file cannot be opened, written or committed; the message names the file and what to do. */
public final class DurableStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DurableStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
