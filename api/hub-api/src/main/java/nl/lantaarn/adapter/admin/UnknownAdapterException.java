package nl.lantaarn.adapter.admin;

/** No adapter instance has the given id. */
public class UnknownAdapterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownAdapterException(String id) {
        super("no adapter instance '" + id + "'");
    }
}
