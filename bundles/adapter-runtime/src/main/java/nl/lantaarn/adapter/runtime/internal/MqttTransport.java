package nl.lantaarn.adapter.runtime.internal;

import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.mqtt.api.MqttMessageHandler;
import nl.lantaarn.mqtt.api.MqttSubscription;

/**
 * A subscription through the hub's MQTT connection, made again when the connection service is replaced. While there
 * is no connection the instance shows why.
 */
final class MqttTransport implements Transport {

    private final AdapterInstance instance;
    private final String topicFilter;
    private final int qos;
    private final MqttMessageHandler handler;
    private MqttSubscription subscription;
    private boolean closed;

    MqttTransport(AdapterInstance instance, Inbound inbound, MqttConnection connection) {
        this.instance = instance;
        this.topicFilter = inbound.source();
        this.qos = inbound.qos();
        this.handler = instance::onMqtt;
        subscribe(connection);
    }

    private void subscribe(MqttConnection connection) {
        if (connection == null) {
            instance.transportProblem("waiting for the hub's MQTT connection to subscribe to " + topicFilter);
            return;
        }
        // throws IllegalArgumentException for a bad filter: the instance fails with that reason
        subscription = connection.subscribe(topicFilter, qos, handler);
        instance.transportProblem(null);
    }

    @Override
    public synchronized void mqttChanged(MqttConnection connection) {
        if (closed) {
            return;
        }
        MqttSubscription old = subscription;
        subscription = null;
        try {
            subscribe(connection);
        } catch (RuntimeException e) {
            instance.transportProblem("cannot subscribe to " + topicFilter + ": " + e.getMessage());
        }
        if (old != null) {
            closeQuietly(old);
        }
    }

    private static void closeQuietly(MqttSubscription subscription) {
        try {
            subscription.close();
        } catch (RuntimeException e) {
            // the connection it belonged to is gone already
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (subscription != null) {
            closeQuietly(subscription);
            subscription = null;
        }
    }
}
