package nl.lantaarn.adapter.api;

/** A command to a thing cannot be carried out; the message says why, for the caller. */
public class CommandRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public CommandRejectedException(String reason) {
        super(reason);
    }

    public CommandRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
