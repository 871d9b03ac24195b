/**
 * The hub's MQTT connection: one shared, reconnecting client connection to the embedded broker or to an external one.
 * <p>
 * Entry point: {@link nl.lantaarn.mqtt.api.MqttConnection}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.mqtt.api;
