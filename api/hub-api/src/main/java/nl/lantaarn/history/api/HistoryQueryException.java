package nl.lantaarn.history.api;

/** A history query that cannot be answered as asked; {@link #parameter()} names what to change. */
public class HistoryQueryException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public HistoryQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The query parameter to change, e.g. {@code step}, {@code from} or {@code limit}. */
    public String parameter() {
        return parameter;
    }
}
