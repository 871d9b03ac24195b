package nl.lantaarn.adapter.api;

/**
 * Thrown by {@link SensorAdapter#map(InboundMessage)} for a payload that cannot be mapped. The message is the reason
 * stored with the dead letter and shown to operators: say what is wrong and what was expected.
 * <p>
 * A payload refused because it carries data the hub must not keep (audio, a device identifier that tracks people)
 * is rejected with {@link #withholdingPayload(String)}: the dead letter then keeps the reason, the origin and the size,
 * but not the payload, so the refusal is visible without storing what was refused.
 */
public class PayloadRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean payloadWithheld;

    public PayloadRejectedException(String reason) {
        this(reason, null, false);
    }

    public PayloadRejectedException(String reason, Throwable cause) {
        this(reason, cause, false);
    }

    private PayloadRejectedException(String reason, Throwable cause, boolean payloadWithheld) {
        super(reason, cause);
        this.payloadWithheld = payloadWithheld;
    }

    /**
     * A rejection whose payload must not be kept, not even as a dead letter, because it holds data the hub may not
     * store. The reason must not repeat that data.
     */
    public static PayloadRejectedException withholdingPayload(String reason) {
        return new PayloadRejectedException(reason, null, true);
    }

    /** True when the dead letter must not keep the payload. */
    public boolean payloadWithheld() {
        return payloadWithheld;
    }
}
