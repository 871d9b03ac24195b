package nl.lantaarn.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trip through the Mosquitto broker on 127.0.0.1:1883 (anonymous access), with MQTT 5 and 3.1.1. Runs with
 * {@code ./mvnw -Pinterop verify}.
 */
class MqttInteropIT {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 1883;

    @BeforeAll
    static void mosquittoIsThere() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 5000);
        } catch (IOException e) {
            throw new AssertionError("the interop tests need an MQTT broker (Mosquitto) with anonymous access on "
                    + HOST + ":" + PORT + ": " + e.getMessage(), e);
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(ints = {5, 3})
    void publishAndSubscribeRoundTrip(int mqttVersion) throws Exception {
        ConnectionSettings settings = ConnectionSettings.builder(ConnectionSettings.Mode.EXTERNAL, HOST, PORT)
                .mqttVersion(mqttVersion)
                .session(true, 0)
                .build();
        HiveMqConnection connection = new HiveMqConnection(settings, c -> { });
        connection.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(connection::isConnected);
            String base = "lantaarn/interop/" + UUID.randomUUID();
            List<String> received = new CopyOnWriteArrayList<>();
            connection.subscribe(base + "/+/noise", 1,
                    (topic, payload) -> received.add(topic + "=" + new String(payload, StandardCharsets.UTF_8)));

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                connection.publish(base + "/lamp-1/noise", "64".getBytes(StandardCharsets.UTF_8), 1, false)
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(received).contains(base + "/lamp-1/noise=64");
            });
            assertThat(connection.health().detail()).isEqualTo("mqtt://127.0.0.1:1883 (external)");
        } finally {
            connection.close();
        }
    }
}
