package nl.lantaarn.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

import nl.lantaarn.health.api.ComponentHealth.Status;
import nl.lantaarn.mqtt.api.EmbeddedBroker;

class MqttBrokerTest {

    @TempDir
    Path home;

    private MqttBroker broker;
    private Mqtt3BlockingClient client;

    @AfterEach
    void tearDown() {
        if (client != null && client.getState().isConnected()) {
            client.disconnect();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void firstStartCreatesTheDevicesUserAndAcceptsIt() throws Exception {
        EmbeddedBroker running = start(Map.of());

        Path usersFile = home.resolve("etc/mqtt-users.passwd");
        Path secret = home.resolve("data/secrets/mqtt-devices.password");
        assertThat(usersFile).exists();
        assertThat(secret).exists();
        String password = Files.readString(secret, StandardCharsets.UTF_8);
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        assertThat(Files.readString(usersFile)).contains("devices:" + Secrets.sha256Hex(password.toCharArray()))
                .doesNotContain(password);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.getParent())))
                    .isEqualTo("rwx------");
        }

        client = client(running.port(), "device-1");
        client.connectWith().simpleAuth().username("devices").password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        assertThat(client.getState().isConnected()).isTrue();

        // and the broker carries messages
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter("lamp/+/noise").qos(MqttQos.AT_LEAST_ONCE).send();
            client.publishWith().topic("lamp/42/noise").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("71".getBytes(StandardCharsets.UTF_8)).send();
            Mqtt3Publish received = publishes.receive(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(received.getTopic().toString()).isEqualTo("lamp/42/noise");
            assertThat(received.getPayloadAsBytes()).asString(StandardCharsets.UTF_8).isEqualTo("71");
        }
        assertThat(broker.health().status()).isEqualTo(Status.UP);
        assertThat(broker.health().detail()).isEqualTo("listening on 127.0.0.1:" + running.port()
                + " (persistence memory)");
    }

    @Test
    void anExistingUsersFileIsKeptAndNoPasswordIsWritten() throws Exception {
        Path usersFile = home.resolve("etc/mqtt-users.passwd");
        Files.createDirectories(usersFile.getParent());
        Files.writeString(usersFile, "sensor-7:" + Secrets.sha256Hex("s3cret-of-sensor-7".toCharArray()) + "\n");

        EmbeddedBroker running = start(Map.of());

        assertThat(home.resolve("data/secrets/mqtt-devices.password")).doesNotExist();
        client = client(running.port(), "sensor-7");
        client.connectWith().simpleAuth().username("sensor-7").password("s3cret-of-sensor-7".getBytes())
                .applySimpleAuth().send();
        assertThat(client.getState().isConnected()).isTrue();
    }

    @Test
    void refusesAnonymousClients() {
        EmbeddedBroker running = start(Map.of());
        client = client(running.port(), "anonymous-1");

        assertThatThrownBy(() -> client.connect()).isInstanceOf(Mqtt3ConnAckException.class);
        assertThat(client.getState().isConnected()).isFalse();
    }

    @Test
    void refusesWrongPasswordsAndUnknownUsers() {
        EmbeddedBroker running = start(Map.of());

        client = client(running.port(), "device-2");
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("devices").password("wrong".getBytes())
                .applySimpleAuth().send()).isInstanceOf(Mqtt3ConnAckException.class);
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("nobody").password("wrong".getBytes())
                .applySimpleAuth().send()).isInstanceOf(Mqtt3ConnAckException.class);
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("devices").applySimpleAuth().send())
                .isInstanceOf(Mqtt3ConnAckException.class);
        assertThat(client.getState().isConnected()).isFalse();
    }

    @Test
    void theInternalUserLogsInWithTheGeneratedPasswordOnly() {
        EmbeddedBroker running = start(Map.of());
        assertThat(running.internalUsername()).isEqualTo("lantaarn-hub");

        client = client(running.port(), "lantaarn-hub-test");
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("lantaarn-hub")
                .password("guess".getBytes()).applySimpleAuth().send()).isInstanceOf(Mqtt3ConnAckException.class);
        client.connectWith().simpleAuth().username(running.internalUsername())
                .password(new String(running.internalPassword()).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        assertThat(client.getState().isConnected()).isTrue();
    }

    @Test
    void devicesCannotUseTheHubsClientIds() throws IOException {
        EmbeddedBroker running = start(Map.of());
        String password = Files.readString(home.resolve("data/secrets/mqtt-devices.password"));

        client = client(running.port(), "lantaarn-hub-impostor");
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("devices").password(password.getBytes())
                .applySimpleAuth().send()).isInstanceOf(Mqtt3ConnAckException.class);
    }

    @Test
    void theUsersFileIsReadAgainWhenItChanges() throws IOException {
        EmbeddedBroker running = start(Map.of());
        Path usersFile = home.resolve("etc/mqtt-users.passwd");

        client = client(running.port(), "counter-3");
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("counter-3").password("pw-3".getBytes())
                .applySimpleAuth().send()).isInstanceOf(Mqtt3ConnAckException.class);

        Files.writeString(usersFile, Files.readString(usersFile) + "counter-3:"
                + Secrets.sha256Hex("pw-3".toCharArray()) + "\n");
        client.connectWith().simpleAuth().username("counter-3").password("pw-3".getBytes()).applySimpleAuth().send();
        assertThat(client.getState().isConnected()).isTrue();
    }

    @Test
    void aTakenPortGivesOneSentenceAndDownInsteadOfAnException() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            broker = new MqttBroker(BrokerConfigs.local(home, Map.of("port", port)));

            assertThat(broker.start()).isFalse();

            assertThat(broker.embeddedBroker()).isEmpty();
            assertThat(broker.health().status()).isEqualTo(Status.DOWN);
            assertThat(broker.health().detail()).isEqualTo("MQTT broker not started: port " + port
                    + " on 127.0.0.1 is already in use; set LANTAARN_MQTT_PORT or 'port' in"
                    + " etc/nl.lantaarn.mqtt.broker.cfg");
        }
    }

    @Test
    void persistentSessionsAndRetainedMessagesSurviveARestartWithFilePersistence() {
        EmbeddedBroker running = start(Map.of("persistence", "file"));
        assertThat(home.resolve("data/mqtt")).isDirectory();
        client = client(running.port(), "lantaarn-hub-persist");
        client.connectWith().simpleAuth().username(running.internalUsername())
                .password(new String(running.internalPassword()).getBytes()).applySimpleAuth().send();
        client.publishWith().topic("zone/centrum/risk").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("2".getBytes()).send();
        client.disconnect();
        broker.stop();

        running = start(Map.of("persistence", "file"));
        client = client(running.port(), "lantaarn-hub-persist-2");
        client.connectWith().simpleAuth().username(running.internalUsername())
                .password(new String(running.internalPassword()).getBytes()).applySimpleAuth().send();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter("zone/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3Publish retained = publishes.receive(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(retained.getTopic().toString()).isEqualTo("zone/centrum/risk");
            assertThat(retained.getPayloadAsBytes()).containsExactly('2');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void stopReleasesThePort() throws IOException {
        EmbeddedBroker running = start(Map.of());
        int port = running.port();
        broker.stop();
        broker = null;
        assertThat(running.internalPassword()).containsOnly('\0');

        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            assertThat(again.isBound()).isTrue();
        }
    }

    private EmbeddedBroker start(Map<String, Object> overrides) {
        broker = new MqttBroker(BrokerConfigs.local(home, overrides));
        assertThat(broker.start()).as(() -> broker.health().toString()).isTrue();
        return broker.embeddedBroker().orElseThrow();
    }

    private static Mqtt3BlockingClient client(int port, String clientId) {
        return MqttClient.builder().useMqttVersion3().identifier(clientId + "-" + UUID.randomUUID().toString()
                .substring(0, 8)).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }
}
