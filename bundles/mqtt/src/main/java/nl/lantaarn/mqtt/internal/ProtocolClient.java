package nl.lantaarn.mqtt.internal;

import java.util.concurrent.CompletableFuture;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttQos;

/** What the connection needs of the HiveMQ client, the same for MQTT 5 and MQTT 3.1.1. */
interface ProtocolClient {

    /** First connect; later reconnects are the client's own. */
    CompletableFuture<Void> connect();

    /** Completes on PUBACK/PUBCOMP (QoS 1/2) or when written (QoS 0); fails with the broker's reason. */
    CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos, boolean retain);

    /** Completes on a SUBACK that granted the subscription. */
    CompletableFuture<Void> subscribe(String topicFilter, MqttQos qos);

    CompletableFuture<Void> unsubscribe(String topicFilter);

    CompletableFuture<Void> disconnect();

    MqttClientState state();
}
