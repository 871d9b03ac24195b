package nl.lantaarn.health.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: each hub component that can be up or down registers one. {@link #health()} is called on every
 * health request, so it must be cheap and must not block.
 */
@ConsumerType
public interface HealthContributor {

    /** Component name shown in the health report, e.g. {@code mqtt-broker}. */
    String component();

    ComponentHealth health();
}
