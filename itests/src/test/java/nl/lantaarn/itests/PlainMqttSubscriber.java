package nl.lantaarn.itests;

import static nl.lantaarn.itests.PlainMqttClient.PUBACK;
import static nl.lantaarn.itests.PlainMqttClient.PUBLISH;
import static nl.lantaarn.itests.PlainMqttClient.SUBACK;
import static nl.lantaarn.itests.PlainMqttClient.SUBSCRIBE;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A minimal MQTT 3.1.1 subscriber over a plain socket ({@link PlainMqttClient}), for tests that run outside the
 * framework ({@link LauncherScenarioIT}): it logs in, subscribes to one topic filter with QoS 1 and records the
 * messages that arrive (acknowledging each), as {@code mosquitto_sub} would.
 */
final class PlainMqttSubscriber implements AutoCloseable {

    /** One message received. */
    record Message(String topic, String payload) {
    }

    private final PlainMqttClient client;
    private final String address;
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread reader;
    private volatile boolean closing;

    private PlainMqttSubscriber(PlainMqttClient client, String address) {
        this.client = client;
        this.address = address;
        this.reader = new Thread(this::readPublishes, "mqtt-subscriber-" + address);
        this.reader.setDaemon(true);
    }

    /**
     * Connects as {@code username} with a clean session and returns once the broker acknowledged the subscription.
     *
     * @throws AssertionError when the broker cannot be reached, refuses the login or the subscription
     */
    static PlainMqttSubscriber subscribe(String host, int port, String username, String password, String topicFilter) {
        try {
            return subscribeOnce(host, port, username, password, topicFilter);
        } catch (AssertionError e) {
            if (!(e.getCause() instanceof java.io.EOFException)) {
                throw e;
            }
            // Moquette 0.17 may close a connection it has just acknowledged when the SUBSCRIBE follows the CONNACK
            // at once (its log: "SUBSCRIBE received on already closed connection"); a client reconnects, as this does
            return subscribeOnce(host, port, username, password, topicFilter);
        }
    }

    private static PlainMqttSubscriber subscribeOnce(String host, int port, String username, String password,
            String topicFilter) {
        String address = "mqtt://" + host + ":" + port;
        PlainMqttClient client = null;
        try {
            client = PlainMqttClient.connect(host, port, username, password);
            PlainMqttSubscriber subscriber = new PlainMqttSubscriber(client, address);
            subscriber.subscribe(topicFilter);
            client.socket().setSoTimeout(0);
            subscriber.reader.start();
            return subscriber;
        } catch (IOException e) {
            if (client != null) {
                client.close();
            }
            throw new AssertionError("MQTT subscriber: " + address + " as " + username + ", topic " + topicFilter
                    + ": " + e, e);
        }
    }

    /** The messages received so far, in order of arrival. */
    List<Message> received() {
        return List.copyOf(received);
    }

    /** Why the connection ended, if it ended before {@link #close()}. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public String toString() {
        return "subscriber on " + address + " (" + received.size() + " messages"
                + failure().map(f -> ", connection lost: " + f).orElse("") + ")";
    }

    @Override
    public void close() {
        closing = true;
        client.close();
    }

    private void subscribe(String topicFilter) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1); // packet id 1
        PlainMqttClient.writeString(body, topicFilter);
        body.write(1); // QoS 1: nothing lost between broker and test
        client.send(SUBSCRIBE << 4 | 0x02, body.toByteArray());
        while (true) {
            PlainMqttClient.Packet packet = client.readPacket();
            if (packet.type() == SUBACK) {
                int code = packet.body().length == 3 ? packet.body()[2] & 0xff : -1;
                if (code < 0 || code > 2) {
                    throw new IOException("the broker refused the subscription to " + topicFilter + " (SUBACK "
                            + code + ")");
                }
                return;
            }
            received(packet);
        }
    }

    private void readPublishes() {
        try {
            while (!closing) {
                received(client.readPacket());
            }
        } catch (IOException e) {
            if (!closing && !(e instanceof SocketException && client.socket().isClosed())) {
                failure.set(e);
            }
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    /** Records a PUBLISH (and acknowledges it at QoS 1); other packets (e.g. PINGRESP) need nothing. */
    private void received(PlainMqttClient.Packet packet) throws IOException {
        if (packet.type() != PUBLISH) {
            return;
        }
        byte[] body = packet.body();
        int qos = (packet.flags() >> 1) & 0x03;
        int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
        int offset = 2 + topicLength;
        if (qos > 0) {
            byte[] packetId = {body[offset], body[offset + 1]};
            offset += 2;
            if (qos == 1) {
                client.send(PUBACK << 4, packetId);
            }
        }
        received.add(new Message(topic, new String(body, offset, body.length - offset, StandardCharsets.UTF_8)));
    }
}
