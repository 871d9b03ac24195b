package nl.lantaarn.notify.internal;

import static nl.lantaarn.notify.internal.TestSupport.alert;
import static nl.lantaarn.notify.internal.TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.mqtt.api.MqttMessageHandler;
import nl.lantaarn.mqtt.api.MqttSubscription;
import nl.lantaarn.notify.api.Alert;

class MqttChannelTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** Records what is published; fails publishes while {@code failing}. */
    static final class RecordingConnection implements MqttConnection {
        record Publish(String topic, String payload, int qos, boolean retain) {
        }

        final List<Publish> published = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
            if (failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker refused"));
            }
            published.add(new Publish(topic, new String(payload, StandardCharsets.UTF_8), qos, retain));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public MqttSubscription subscribe(String topicFilter, int qos, MqttMessageHandler handler) {
            throw new UnsupportedOperationException("not used by notifications");
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public String brokerDescription() {
            return "mqtt://127.0.0.1 (test)";
        }
    }

    private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
    private final NotificationServiceImpl service = new NotificationServiceImpl(deadLetters);
    private final AtomicReference<MqttConnection> connection = new AtomicReference<>();

    @AfterEach
    void tearDown() {
        service.deactivate();
    }

    private void channel(String name, String topic, int maxAttempts) {
        service.open(name, "mqtt", new MqttDelivery(topic, 1, false, Duration.ofSeconds(5), connection::get),
                ChannelSettings.of(100, maxAttempts, 10, 50, 10, 1000), "test");
    }

    @Test
    void alertsWaitForConnectionThenPublishToTopicWithPlaceholders() {
        channel("northbound", "lantaarn/alerts/{severity}/{source}", 3);
        Alert alert = alert("noise");

        service.send(alert, List.of("northbound"));

        await().atMost(DEADLINE).until(() -> status(service, "northbound").state().equals("DEGRADED"));
        assertThat(status(service, "northbound").reason()).contains("waiting for the hub's MQTT connection");
        assertThat(status(service, "northbound").failed()).isZero();

        RecordingConnection mqtt = new RecordingConnection();
        connection.set(mqtt);

        await().atMost(DEADLINE).until(() -> mqtt.published.size() == 1);
        RecordingConnection.Publish publish = mqtt.published.get(0);
        // the source's ':' stays; '/' in a value could not add a level
        assertThat(publish.topic()).isEqualTo("lantaarn/alerts/warning/route:noise-alerts");
        assertThat(publish.qos()).isEqualTo(1);
        assertThat(publish.retain()).isFalse();
        assertThat(publish.payload()).contains("\"id\":\"" + alert.id() + "\"");
        await().atMost(DEADLINE).until(() -> status(service, "northbound").state().equals("UP"));
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void failedPublishesEndAsDeadLetter() {
        RecordingConnection mqtt = new RecordingConnection();
        mqtt.failing = true;
        connection.set(mqtt);
        channel("northbound", "lantaarn/alerts", 2);

        service.send(alert("x"), List.of("northbound"));

        await().atMost(DEADLINE).until(() -> deadLetters.letters.size() == 1);
        assertThat(deadLetters.letters.get(0).reason()).contains("gave up after 2 attempts")
                .contains("broker refused");
        assertThat(deadLetters.letters.get(0).origin()).isEqualTo("mqtt:lantaarn/alerts");
    }

    @Test
    void placeholderValuesCannotAddLevelsOrWildcards() {
        MqttDelivery delivery = new MqttDelivery("a/{source}", 0, false, Duration.ofSeconds(1), () -> null);
        Alert alert = new Alert("1", "x/+/#", "info", "t", null, null, "{}", java.time.Instant.EPOCH);
        assertThat(delivery.topicFor(alert)).isEqualTo("a/x____");
        assertThatThrownBy(() -> new MqttDelivery("a/#", 0, false, Duration.ofSeconds(1), () -> null))
                .hasMessageContaining("wildcards");
        assertThatThrownBy(() -> new MqttDelivery("a", 3, false, Duration.ofSeconds(1), () -> null))
                .hasMessageContaining("qos must be 0, 1 or 2");
    }
}
