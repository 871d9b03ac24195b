package nl.lantaarn.notify.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.notify.api.Alert;

/**
 * Publishes the alert JSON over the hub's MQTT connection to a topic that may name the alert's {@code {severity}} and
 * {@code {source}}. While there is no connection the alerts wait in the queue.
 */
final class MqttDelivery implements Delivery {

    private final String topic;
    private final int qos;
    private final boolean retain;
    private final Duration timeout;
    private final Supplier<MqttConnection> connection;

    MqttDelivery(String topic, int qos, boolean retain, Duration timeout, Supplier<MqttConnection> connection) {
        if (topic == null || topic.isBlank() || topic.contains("+") || topic.contains("#")
                || topic.length() > 1024) {
            throw new IllegalArgumentException("mqtt topic must be 1-1024 characters without the wildcards + and #,"
                    + " was '" + topic + "'; {severity} and {source} are replaced per alert");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("mqtt qos must be 0, 1 or 2, was " + qos);
        }
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("mqtt timeoutSeconds must be at least 1, was " + timeout.toSeconds());
        }
        this.topic = topic.trim();
        this.qos = qos;
        this.retain = retain;
        this.timeout = timeout;
        this.connection = connection;
    }

    /** The topic for one alert; placeholder values cannot add levels or wildcards. */
    String topicFor(Alert alert) {
        return topic.replace("{severity}", level(alert.severity())).replace("{source}", level(alert.source()));
    }

    private static String level(String value) {
        String text = value.isEmpty() ? "_" : value.toLowerCase(Locale.ROOT);
        return text.replace('/', '_').replace('+', '_').replace('#', '_');
    }

    @Override
    public void deliver(Alert alert, byte[] json) throws DeliveryException, InterruptedException {
        MqttConnection mqtt = connection.get();
        if (mqtt == null) {
            throw new DeliveryException("no MQTT connection", false);
        }
        String to = topicFor(alert);
        try {
            mqtt.publish(to, json, qos, retain).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new DeliveryException("publish to " + to + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new DeliveryException("publish to " + to + " not acknowledged within " + timeout.toSeconds() + " s",
                    e);
        }
    }

    @Override
    public String unavailable() {
        MqttConnection mqtt = connection.get();
        if (mqtt == null) {
            return "waiting for the hub's MQTT connection (not running)";
        }
        return mqtt.isConnected() ? null : "waiting for the MQTT connection to " + mqtt.brokerDescription();
    }

    @Override
    public String target() {
        return "mqtt:" + topic;
    }
}
