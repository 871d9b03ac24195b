package nl.lantaarn.adapter.api;

/**
 * A configuration of an adapter instance is not valid. The message names the field and what is expected; the instance
 * is shown FAILED with it.
 */
public class AdapterConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the configuration key that is wrong, e.g. {@code mapping}
     * @param problem what is wrong with it and what is expected
     */
    public AdapterConfigurationException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The configuration key that is wrong. */
    public String field() {
        return field;
    }
}
