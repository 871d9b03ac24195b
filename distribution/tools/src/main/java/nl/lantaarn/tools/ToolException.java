package nl.lantaarn.tools;

/** A refusal whose message says what to fix; the run ends with {@link #exitCode()}. */
final class ToolException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int exitCode;

    ToolException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    ToolException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = ToolsMain.REFUSED;
    }

    int exitCode() {
        return exitCode;
    }
}
