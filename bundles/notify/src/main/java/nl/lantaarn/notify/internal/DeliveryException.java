package nl.lantaarn.notify.internal;

/** A delivery attempt failed; {@link #permanent()} when retrying cannot help (the target refused the alert itself). */
final class DeliveryException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    DeliveryException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    DeliveryException(String message, Throwable cause) {
        super(message, cause);
        this.permanent = false;
    }

    boolean permanent() {
        return permanent;
    }
}
