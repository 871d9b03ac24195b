package nl.lantaarn.routing.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.mqtt.api.MqttMessageHandler;
import nl.lantaarn.mqtt.api.MqttSubscription;

/** Test double of the hub's own MQTT SPI: records what is published; can be told to fail. */
final class RecordingMqttConnection implements MqttConnection {

    record Published(String topic, byte[] payload, int qos, boolean retain) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final List<Published> published = new CopyOnWriteArrayList<>();
    volatile RuntimeException failWith;
    final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        attempts.incrementAndGet();
        RuntimeException failure = failWith;
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("not acknowledged by the broker"));
        }
        published.add(new Published(topic, payload.clone(), qos, retain));
        // completes on another thread, as a real client does
        return CompletableFuture.runAsync(() -> { });
    }

    @Override
    public MqttSubscription subscribe(String topicFilter, int qos, MqttMessageHandler handler) {
        throw new UnsupportedOperationException("not used by routes");
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public String brokerDescription() {
        return "test double";
    }
}
