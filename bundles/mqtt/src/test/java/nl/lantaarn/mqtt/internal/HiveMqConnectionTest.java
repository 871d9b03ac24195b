package nl.lantaarn.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.health.api.ComponentHealth.Status;
import nl.lantaarn.mqtt.api.MqttSubscription;

/** The connection in external mode against an embedded Moquette on a free port. */
class HiveMqConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestBroker broker;
    private final List<HiveMqConnection> connections = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = new TestBroker().start();
    }

    @AfterEach
    void tearDown() {
        connections.forEach(HiveMqConnection::close);
        broker.stop();
    }

    @Test
    void publishesQos1AndReceivesOnASubscription() throws Exception {
        HiveMqConnection connection = connected(TestConfigs.forTestBroker(broker.port()).build());
        List<String> received = new CopyOnWriteArrayList<>();

        MqttSubscription subscription = connection.subscribe("lamp/+/noise", 1,
                (topic, payload) -> received.add(topic + "=" + new String(payload, StandardCharsets.UTF_8)));
        awaitSubscribed(connection, "lamp/0/noise", received);
        received.clear();

        CompletableFuture<Void> acked = connection.publish("lamp/42/noise", "71.5".getBytes(StandardCharsets.UTF_8),
                1, false).toCompletableFuture();

        assertThat(acked.get(30, TimeUnit.SECONDS)).isNull();
        // (a late copy of the subscription's probe, lamp/0/noise, may still arrive after the clear: not counted)
        await().atMost(WAIT).untilAsserted(() -> assertThat(received).filteredOn(r -> !r.startsWith("lamp/0/"))
                .containsExactly("lamp/42/noise=71.5"));
        assertThat(subscription.topicFilter()).isEqualTo("lamp/+/noise");
        assertThat(connection.isConnected()).isTrue();
        assertThat(connection.health().status()).isEqualTo(Status.UP);
        assertThat(connection.health().detail()).isEqualTo("mqtt://127.0.0.1:" + broker.port() + " (external)");
        assertThat(connection.pendingPublishes()).isZero();
    }

    @Test
    void aHandlerThatWaitsHoldsUpTheIntakeButLosesNothingAndKeepsPublishing() throws Exception {
        HiveMqConnection hub = connected(TestConfigs.forTestBroker(broker.port()).build());
        HiveMqConnection device = connected(TestConfigs.forTestBroker(broker.port()).clientId("device").build());
        List<String> received = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        hub.subscribe("held/#", 1, (topic, payload) -> {
            if (topic.startsWith("held/m/")) {
                try {
                    release.await(); // a full inbox: the handler waits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            received.add(topic);
        });
        awaitSubscribed(hub, "held/probe", received);
        received.clear();

        int messages = 2_000; // far more than the delivery buffer
        List<CompletableFuture<Void>> acks = new java.util.ArrayList<>();
        for (int i = 0; i < messages; i++) {
            acks.add(device.publish("held/m/" + i, new byte[] {1}, 1, false).toCompletableFuture());
        }
        // the broker took them all (it keeps them for the hub's session), and the hub's network thread is not held:
        // its own publishes still complete while the handler waits
        CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        hub.publish("elsewhere", new byte[0], 1, false).toCompletableFuture().get(30, TimeUnit.SECONDS);
        // (a late copy of the subscription's probe may still arrive: only the held messages count)
        assertThat(held(received)).isEmpty();

        release.countDown();
        await().atMost(WAIT).untilAsserted(() -> assertThat(held(received)).hasSize(messages));
        List<String> held = held(received);
        for (int i = 0; i < messages; i++) {
            assertThat(held.get(i)).isEqualTo("held/m/" + i);
        }
    }

    @Test
    void aSubscriptionSurvivesABrokerRestart() throws Exception {
        HiveMqConnection connection = connected(TestConfigs.forTestBroker(broker.port()).build());
        List<String> received = new CopyOnWriteArrayList<>();
        connection.subscribe("zone/#", 1, (topic, payload) -> received.add(topic));
        awaitSubscribed(connection, "zone/probe-before", received);

        broker.stop();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(connection.isConnected()).isFalse();
            assertThat(connection.health().status()).isEqualTo(Status.DEGRADED);
        });
        assertThat(connection.health().detail()).startsWith("reconnecting to mqtt://127.0.0.1:" + broker.port());

        // the restarted broker has forgotten the session: the client must subscribe again by itself
        broker.start();
        await().atMost(WAIT).until(connection::isConnected);
        received.clear();
        awaitSubscribed(connection, "zone/centrum/risk", received);
        assertThat(connection.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void aBrokerThatIsNotThereYetIsRetriedUntilItIs() {
        int port = TestBroker.freePort();
        HiveMqConnection connection = new HiveMqConnection(TestConfigs.forTestBroker(port).build(), c -> { });
        connections.add(connection);
        connection.start();

        await().atMost(WAIT).untilAsserted(() -> assertThat(connection.health().detail())
                .startsWith("cannot connect to mqtt://127.0.0.1:" + port + " (external)").endsWith("(retrying)"));
        assertThat(connection.health().status()).isEqualTo(Status.DOWN);

        TestBroker late = new TestBroker(port).start();
        try {
            await().atMost(WAIT).until(connection::isConnected);
            connection.close();
        } finally {
            late.stop();
        }
    }

    @Test
    void wrongCredentialsAreDownAndNameTheSettings() {
        HiveMqConnection connection = new HiveMqConnection(TestConfigs.forTestBroker(broker.port())
                .credentials("hub", "wrong".toCharArray()).build(), c -> { });
        connections.add(connection);
        connection.start();

        await().atMost(WAIT).untilAsserted(() -> assertThat(connection.health().detail())
                .contains("the broker refused the connection")
                .contains("check 'username', 'password' and 'clientId' in etc/nl.lantaarn.mqtt.client.cfg")
                .doesNotContain("wrong"));
        assertThat(connection.health().status()).isEqualTo(Status.DOWN);
    }

    @Test
    void closingOneOfTwoHandlersOfAFilterKeepsTheOther() throws Exception {
        HiveMqConnection connection = connected(TestConfigs.forTestBroker(broker.port()).build());
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        MqttSubscription one = connection.subscribe("crowd/#", 1, (t, p) -> first.add(t));
        connection.subscribe("crowd/#", 0, (t, p) -> second.add(t));
        awaitSubscribed(connection, "crowd/probe", first);
        await().atMost(WAIT).until(() -> second.contains("crowd/probe"));

        one.close();
        one.close();
        connection.publish("crowd/stratumseind", new byte[] {1}, 1, false).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> second.contains("crowd/stratumseind"));
        assertThat(first).doesNotContain("crowd/stratumseind");
    }

    @Test
    void publishesBeyondTheLimitFailAtOnceWhileTheBrokerIsAway() throws Exception {
        HiveMqConnection connection = connected(TestConfigs.forTestBroker(broker.port()).maxPendingPublishes(2)
                .build());
        broker.stop();
        await().atMost(WAIT).until(() -> !connection.isConnected());

        CompletableFuture<Void> first = connection.publish("a", new byte[0], 1, false).toCompletableFuture();
        CompletableFuture<Void> second = connection.publish("b", new byte[0], 1, false).toCompletableFuture();
        CompletableFuture<Void> third = connection.publish("c", new byte[0], 1, false).toCompletableFuture();

        assertThatThrownBy(() -> third.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("2 publishes already wait for mqtt://127.0.0.1:" + broker.port())
                .hasMessageContaining("maxPendingPublishes");

        // the waiting ones are delivered once the broker is back
        broker.start();
        assertThat(first.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(second.get(30, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void badArgumentsAreRefusedWithAReason() throws Exception {
        HiveMqConnection connection = connected(TestConfigs.forTestBroker(broker.port()).build());

        assertThatThrownBy(() -> connection.publish("a/#", new byte[0], 1, false).toCompletableFuture()
                .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> connection.publish("a", new byte[0], 3, false).toCompletableFuture()
                .get(30, TimeUnit.SECONDS)).hasMessageContaining("QoS must be 0, 1 or 2, not 3");
        assertThatThrownBy(() -> connection.subscribe("a/#/b", 1, (t, p) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(connection.pendingPublishes()).isZero();

        connection.close();
        assertThatThrownBy(() -> connection.publish("a", new byte[0], 1, false).toCompletableFuture()
                .get(30, TimeUnit.SECONDS)).hasMessageContaining("is closed");
        assertThat(connection.health().status()).isEqualTo(Status.DOWN);
    }

    private HiveMqConnection connected(ConnectionSettings settings) {
        HiveMqConnection connection = new HiveMqConnection(settings, c -> { });
        connections.add(connection);
        connection.start();
        await().atMost(WAIT).until(connection::isConnected);
        return connection;
    }

    /** SUBACK is not visible through the API: publish probes until one comes back. */
    private static List<String> held(List<String> received) {
        return received.stream().filter(topic -> topic.startsWith("held/m/")).toList();
    }

    private static void awaitSubscribed(HiveMqConnection connection, String probeTopic, List<String> received) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            connection.publish(probeTopic, new byte[0], 1, false).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(received).anyMatch(r -> r.startsWith(probeTopic));
        });
    }
}
