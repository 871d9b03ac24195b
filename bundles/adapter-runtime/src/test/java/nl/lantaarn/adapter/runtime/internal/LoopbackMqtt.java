package nl.lantaarn.adapter.runtime.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.mqtt.api.MqttMessageHandler;
import nl.lantaarn.mqtt.api.MqttSubscription;

/**
 * Delivers test payloads to the subscriptions whose filter matches, on the caller's thread as a client callback would.
 * The real connection is tested in its own bundle and in itests.
 */
final class LoopbackMqtt implements MqttConnection {

    private record Entry(String filter, MqttMessageHandler handler) {
    }

    /** One publication through this connection. */
    record Published(String topic, String payload, int qos) {
    }

    private final List<Entry> subscriptions = new CopyOnWriteArrayList<>();
    /** Everything published, in order. */
    final List<Published> published = new CopyOnWriteArrayList<>();
    /** Called for every publication, on the publisher's thread, e.g. a simulated device that answers. */
    volatile java.util.function.BiConsumer<String, String> onPublish = (topic, payload) -> {
    };

    void deliver(String topic, String payload) {
        deliver(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    void deliver(String topic, byte[] payload) {
        for (Entry entry : subscriptions) {
            if (matches(entry.filter(), topic)) {
                entry.handler().onMessage(topic, payload.clone());
            }
        }
    }

    List<String> filters() {
        return subscriptions.stream().map(Entry::filter).collect(Collectors.toList());
    }

    private static boolean matches(String filter, String topic) {
        String[] f = filter.split("/");
        String[] t = topic.split("/");
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    @Override
    public CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        String text = new String(payload, StandardCharsets.UTF_8);
        published.add(new Published(topic, text, qos));
        onPublish.accept(topic, text);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public MqttSubscription subscribe(String topicFilter, int qos, MqttMessageHandler handler) {
        if (topicFilter.contains("#") && !topicFilter.endsWith("#")) {
            throw new IllegalArgumentException("'#' must be the last level of a topic filter, was " + topicFilter);
        }
        Entry entry = new Entry(topicFilter, handler);
        subscriptions.add(entry);
        return new MqttSubscription() {
            @Override
            public String topicFilter() {
                return topicFilter;
            }

            @Override
            public void close() {
                subscriptions.remove(entry);
            }
        };
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public String brokerDescription() {
        return "loopback";
    }
}
