package nl.lantaarn.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import nl.lantaarn.health.api.ComponentHealth.Status;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.mqtt.api.EmbeddedBroker;
import nl.lantaarn.mqtt.api.MqttConnection;

class MqttConnectionComponentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void embeddedModeFollowsTheEmbeddedBrokerService() throws Exception {
        FakeBundleContext fake = new FakeBundleContext(Map.of());
        MqttConnectionComponent component = new MqttConnectionComponent(fake.context(),
                TestConfigs.config(Map.of("reconnectInitialDelayMillis", 50L, "reconnectMaxDelaySeconds", 1)));
        try (TestBroker broker = new TestBroker().start()) {
            assertThat(component.health().status()).isEqualTo(Status.DOWN);
            assertThat(component.health().detail()).startsWith("waiting for the embedded MQTT broker");
            assertThat(fake.services(MqttConnection.class)).isEmpty();

            EmbeddedBroker embedded = embedded(broker.port());
            component.bindEmbeddedBroker(embedded);

            await().atMost(WAIT).until(() -> fake.services(MqttConnection.class).size() == 1);
            MqttConnection connection = fake.services(MqttConnection.class).get(0);
            assertThat(connection.brokerDescription()).isEqualTo("mqtt://127.0.0.1:" + broker.port() + " (embedded)");
            assertThat(fake.services.stream().filter(r -> r.type() == MqttConnection.class).findFirst().orElseThrow()
                    .properties().get("broker")).isEqualTo("embedded");
            assertThat(fake.services(HealthContributor.class)).containsExactly(component);
            assertThat(component.health().status()).isEqualTo(Status.UP);

            List<String> received = new CopyOnWriteArrayList<>();
            connection.subscribe("hub/#", 1, (t, p) -> received.add(t));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                connection.publish("hub/probe", new byte[0], 1, false).toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(received).contains("hub/probe");
            });

            component.unbindEmbeddedBroker(embedded);
            assertThat(fake.services(MqttConnection.class)).isEmpty();
            assertThat(component.health().detail()).isEqualTo("the embedded MQTT broker stopped");
            assertThat(connection.isConnected()).isFalse();
        } finally {
            component.deactivate();
        }
    }

    @Test
    void externalModeConnectsToTheConfiguredHost() {
        FakeBundleContext fake = new FakeBundleContext(Map.of());
        try (TestBroker broker = new TestBroker().start()) {
            MqttConnectionComponent component = new MqttConnectionComponent(fake.context(), TestConfigs.config(Map.of(
                    "broker", "external", "host", "127.0.0.1", "port", broker.port(), "mqttVersion", 3,
                    "username", TestBroker.USER, "password", TestBroker.PASSWORD)));
            try {
                await().atMost(WAIT).until(() -> fake.services(MqttConnection.class).size() == 1);
                // an embedded broker showing up does not matter in external mode
                component.bindEmbeddedBroker(embedded(1));
                assertThat(fake.services(MqttConnection.class)).hasSize(1);
                assertThat(component.health().detail()).isEqualTo("mqtt://127.0.0.1:" + broker.port()
                        + " (external)");
            } finally {
                component.deactivate();
            }
            assertThat(fake.services).isEmpty();
        }
    }

    @Test
    void aMissingHostIsDownAndNamesTheSetting() {
        FakeBundleContext fake = new FakeBundleContext(Map.of());
        MqttConnectionComponent component = new MqttConnectionComponent(fake.context(),
                TestConfigs.config(Map.of("broker", "external")));

        assertThat(component.health().status()).isEqualTo(Status.DOWN);
        assertThat(component.health().detail()).isEqualTo("MQTT connection not configured: broker=external but"
                + " 'host' is empty; set 'host' in etc/nl.lantaarn.mqtt.client.cfg");
        component.deactivate();
    }

    @Test
    void embeddedSettingsUseLoopbackMqtt311AndTheInternalUser() {
        ConnectionSettings s = MqttConnectionComponent.embedded(TestConfigs.config(Map.of()), embedded(1883));

        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.mqttVersion()).isEqualTo(3);
        assertThat(s.username()).isEqualTo("lantaarn-hub");
        assertThat(new String(s.passwordBytes())).isEqualTo("internal-secret");
        assertThat(s.clientId()).isEqualTo("lantaarn-hub");
        assertThat(s.toString()).doesNotContain("internal-secret");
        assertThat(s.cleanStart()).isFalse();
    }

    @Test
    void externalSettingsAreValidatedWithTheSettingToChange() {
        Path home = Path.of("/opt/lantaarn");
        assertThatThrownBy(() -> MqttConnectionComponent.external(TestConfigs.config(Map.of("host", "broker.local",
                "mqttVersion", 4)), home))
                .hasMessage("'mqttVersion' must be 5 or 3 (for 3.1.1), not 4; fix it in"
                        + " etc/nl.lantaarn.mqtt.client.cfg");
        assertThatThrownBy(() -> MqttConnectionComponent.external(TestConfigs.config(Map.of("host", "broker.local",
                "tls", true, "tlsTrustStore", "etc/absent.p12")), home))
                .hasMessageStartingWith("cannot read the TLS trust store /opt/lantaarn/etc/absent.p12");

        ConnectionSettings s = MqttConnectionComponent.external(TestConfigs.config(Map.of("host", "broker.local",
                "port", 8883, "tls", true, "clientId", "hub-eindhoven-1", "password", "p")), home);
        assertThat(s.description()).isEqualTo("mqtts://broker.local:8883 (external)");
        assertThat(s.clientId()).isEqualTo("hub-eindhoven-1");
        assertThat(MqttConnectionComponent.external(TestConfigs.config(Map.of("host", "broker.local")), home)
                .clientId()).matches("lantaarn-hub-[0-9a-f]{10}");
        assertThat(s.mqttVersion()).isEqualTo(5);
    }

    private static EmbeddedBroker embedded(int port) {
        return new EmbeddedBroker() {
            @Override
            public String host() {
                return "0.0.0.0";
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String internalUsername() {
                return port == 1883 ? "lantaarn-hub" : TestBroker.USER;
            }

            @Override
            public char[] internalPassword() {
                return (port == 1883 ? "internal-secret" : TestBroker.PASSWORD).toCharArray();
            }
        };
    }
}
