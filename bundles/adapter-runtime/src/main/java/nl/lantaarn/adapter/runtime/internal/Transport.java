package nl.lantaarn.adapter.runtime.internal;

import nl.lantaarn.mqtt.api.MqttConnection;

/** The open inbound transport of an instance. Closed by the runtime; never closed by itself. */
interface Transport {

    /** No transport of its own: webhook payloads are handed in through AdapterAdmin.ingest. */
    Transport NONE = () -> {
    };

    void close();

    /** The hub's MQTT connection came or went ({@code null}). */
    default void mqttChanged(MqttConnection connection) {
    }
}
