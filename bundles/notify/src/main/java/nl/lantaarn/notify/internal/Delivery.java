package nl.lantaarn.notify.internal;

import nl.lantaarn.notify.api.Alert;

/** Hands one alert to one target. Called only from its channel's worker thread, so it may block (up to its timeout). */
interface Delivery {

    /**
     * Delivers once; returns when the target accepted the alert.
     *
     * @throws DeliveryException when the target refused or could not be reached
     * @throws InterruptedException when the channel is being stopped
     */
    void deliver(Alert alert, byte[] json) throws DeliveryException, InterruptedException;

    /** The target for logs and dead letters (a URL without credentials, a topic, addresses); never holds secrets. */
    String target();

    /** Why the target cannot be tried now (e.g. no MQTT connection), else {@code null}; alerts wait meanwhile. */
    default String unavailable() {
        return null;
    }

    /** Releases what the delivery holds; called once when its channel stops. */
    default void close() {
    }
}
