package nl.lantaarn.search.api;

/** A search that cannot run as asked; the message names the parameter and what is wrong with it. */
public class SearchQueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SearchQueryException(String message) {
        super(message);
    }
}
