package nl.lantaarn.adapter.api;

/**
 * Thrown by {@link SensorAdapter#map(InboundMessage)} for a payload that cannot be mapped. The message is the reason
 * stored with the dead letter and shown to operators: say what is wrong and what was expected.
 */
public class PayloadRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public PayloadRejectedException(String reason) {
        super(reason);
    }

    public PayloadRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
