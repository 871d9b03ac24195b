package nl.lantaarn.bench;

/** A problem the user can fix; its message is one line saying what is wrong and what to set. */
final class ToolException extends Exception {

    private static final long serialVersionUID = 1L;

    ToolException(String message) {
        super(message);
    }
}
