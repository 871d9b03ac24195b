package nl.lantaarn.history.api;

/** The history store cannot be read; the message says why and what to change. */
public class HistoryUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public HistoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public HistoryUnavailableException(String message) {
        super(message);
    }
}
