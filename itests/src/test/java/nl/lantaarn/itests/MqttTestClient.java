package nl.lantaarn.itests;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;

/**
 * A real MQTT 3.1.1 client for tests (the HiveMQ client bundle of the hub's own set): publishes readings like a sensor
 * does and records what arrives on the topics it subscribed to.
 */
final class MqttTestClient implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    /** One message received. */
    record Message(String topic, String payload) {
    }

    private final Mqtt3AsyncClient client;
    private final List<Message> received = new CopyOnWriteArrayList<>();

    private MqttTestClient(Mqtt3AsyncClient client) {
        this.client = client;
    }

    /**
     * Connects, with credentials when {@code username} is not {@code null}.
     */
    static MqttTestClient connect(String host, int port, String username, String password) {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3()
                .identifier("itest-" + UUID.randomUUID().toString().substring(0, 12))
                .serverHost(host).serverPort(port).buildAsync();
        Mqtt3ConnectBuilder.Send<CompletableFuture<Mqtt3ConnAck>> connect = client.connectWith().cleanSession(true);
        if (username != null) {
            connect = connect.simpleAuth().username(username).password(password.getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        join(connect.send(), "connect to mqtt://" + host + ":" + port + (username == null ? "" : " as " + username));
        return new MqttTestClient(client);
    }

    /** Subscribes, recording what arrives (see {@link #received}), and returns once the broker acknowledged it. */
    void subscribe(String topicFilter) {
        subscribe(topicFilter, received::add);
    }

    /**
     * Subscribes, handing what arrives to {@code onMessage} (on the client's thread: it must not block), and returns
     * once the broker acknowledged the subscription.
     */
    void subscribe(String topicFilter, Consumer<Message> onMessage) {
        join(client.subscribeWith().topicFilter(topicFilter).qos(MqttQos.AT_LEAST_ONCE)
                .callback(publish -> onMessage.accept(new Message(publish.getTopic().toString(),
                        new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8))))
                .send(), "subscribe to " + topicFilter);
    }

    /** Publishes with QoS 1 and returns once the broker acknowledged it. */
    void publish(String topic, String payload) {
        join(client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send(), "publish to " + topic);
    }

    /** Publishes with QoS 1 without waiting; the future completes when the broker acknowledged it. */
    CompletableFuture<?> publishAsync(String topic, String payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** The messages received so far on topics that start with {@code topic}. */
    List<Message> received(String topic) {
        return received.stream().filter(m -> m.topic().startsWith(topic)).collect(Collectors.toList());
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing after a failed test: nothing left to do with the connection
        }
    }

    private static <T> T join(CompletableFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("MQTT " + what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("MQTT " + what + " did not complete in " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted during MQTT " + what, e);
        }
    }
}
