package nl.lantaarn.itests;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A minimal MQTT 3.1.1 subscriber over a plain socket, for tests that run outside the framework
 * ({@link LauncherScenarioIT}): it logs in, subscribes to one topic filter with QoS 1 and records the messages that
 * arrive (acknowledging each), as {@code mosquitto_sub} would. Hand-written so that the test JVM needs none of the
 * hub's jars (the HiveMQ client and Netty are kept off its class path, see itests/pom.xml); it speaks only the packets
 * a subscriber needs.
 */
final class PlainMqttSubscriber implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 20_000;
    /** Longer than any test: the client sends no PINGREQ. */
    private static final int KEEP_ALIVE_SECONDS = 600;
    private static final int CONNECT = 1;
    private static final int CONNACK = 2;
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int SUBSCRIBE = 8;
    private static final int SUBACK = 9;
    private static final int DISCONNECT = 14;

    /** One message received. */
    record Message(String topic, String payload) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String address;
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread reader;
    private volatile boolean closing;

    private PlainMqttSubscriber(Socket socket, String address) throws IOException {
        this.socket = socket;
        this.address = address;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
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
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            PlainMqttSubscriber subscriber = new PlainMqttSubscriber(socket, address);
            subscriber.login(username, password);
            subscriber.subscribe(topicFilter);
            socket.setSoTimeout(0);
            subscriber.reader.start();
            return subscriber;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
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
        try {
            send(DISCONNECT << 4, new byte[0]);
        } catch (IOException e) {
            // the broker is gone already
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    private void login(String username, String password) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4); // protocol level: 3.1.1
        body.write(0x80 | 0x40 | 0x02); // user name, password, clean session
        body.write(KEEP_ALIVE_SECONDS >> 8);
        body.write(KEEP_ALIVE_SECONDS & 0xff);
        writeString(body, "itest-plain-" + UUID.randomUUID().toString().substring(0, 8));
        writeString(body, username);
        writeBytes(body, password.getBytes(StandardCharsets.UTF_8));
        send(CONNECT << 4, body.toByteArray());

        Packet connAck = readPacket();
        if (connAck.type() != CONNACK || connAck.body().length != 2) {
            throw new IOException("expected CONNACK, got packet type " + connAck.type());
        }
        int code = connAck.body()[1] & 0xff;
        if (code != 0) {
            throw new IOException("the broker refused the login, CONNACK return code " + code
                    + " (4: bad user name or password, 5: not authorised)");
        }
    }

    private void subscribe(String topicFilter) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1); // packet id 1
        writeString(body, topicFilter);
        body.write(1); // QoS 1: nothing lost between broker and test
        send(SUBSCRIBE << 4 | 0x02, body.toByteArray());
        while (true) {
            Packet packet = readPacket();
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
                received(readPacket());
            }
        } catch (IOException e) {
            if (!closing && !(e instanceof SocketException && socket.isClosed())) {
                failure.set(e);
            }
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    /** Records a PUBLISH (and acknowledges it at QoS 1); other packets (e.g. PINGRESP) need nothing. */
    private void received(Packet packet) throws IOException {
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
                send(PUBACK << 4, packetId);
            }
        }
        received.add(new Message(topic, new String(body, offset, body.length - offset, StandardCharsets.UTF_8)));
    }

    private record Packet(int type, int flags, byte[] body) {
    }

    private Packet readPacket() throws IOException {
        int header = in.read();
        if (header < 0) {
            throw new EOFException("the broker closed the connection");
        }
        int length = 0;
        int digit;
        int bytes = 0;
        do {
            if (bytes == 4) {
                throw new IOException("malformed remaining length (more than 4 bytes)");
            }
            digit = in.readUnsignedByte();
            length |= (digit & 0x7f) << (7 * bytes++);
        } while ((digit & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(header >> 4, header & 0x0f, body);
    }

    private void send(int header, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream(body.length + 5);
        packet.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body);
        synchronized (out) {
            out.write(packet.toByteArray());
            out.flush();
        }
    }

    private static void writeString(ByteArrayOutputStream body, String value) {
        writeBytes(body, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteArrayOutputStream body, byte[] value) {
        body.write(value.length >> 8);
        body.write(value.length & 0xff);
        body.write(value, 0, value.length);
    }
}
