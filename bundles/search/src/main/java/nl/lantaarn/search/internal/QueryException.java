package nl.lantaarn.search.internal;

/**
 * A search request the caller must fix: answered with 400 and a problem document whose detail names the parameter,
 * what is wrong and, for a filter, the position of the error.
 */
final class QueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final int position;

    QueryException(String parameter, String detail) {
        this(parameter, detail, -1);
    }

    /**
     * @param position 1-based character position in the parameter's value, or -1
     */
    QueryException(String parameter, String detail, int position) {
        super(detail);
        this.parameter = parameter;
        this.position = position;
    }

    /** The query parameter that is wrong. */
    String parameter() {
        return parameter;
    }

    /** 1-based character position of the error in the parameter's value, or -1 when not known. */
    int position() {
        return position;
    }
}
