/**
 * Notifications to people and partner systems: alerts that routes raise, delivered over configured channels
 * (webhooks, MQTT topics, e-mail), each channel with its own queue, retries and circuit breaker, so a slow or failing
 * target never delays another.
 * <p>
 * Entry point: {@link nl.lantaarn.notify.api.NotificationService}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.notify.api;
