package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A minimal MQTT 3.1.1 connection over a plain socket, for the tests that run outside the framework
 * ({@link LauncherScenarioIT}, {@link DeliveryAfterCrashIT}): it logs in with a clean session, writes and reads
 * packets, and publishes with QoS 1 as a sensor does. Hand-written so that the test JVM needs none of the hub's jars
 * (the HiveMQ client and Netty are kept off its class path, see itests/pom.xml); it speaks only the packets these tests
 * need. {@link PlainMqttSubscriber} subscribes with it.
 */
final class PlainMqttClient implements AutoCloseable {

    static final int TIMEOUT_MILLIS = 20_000;
    /** Longer than any test: the client sends no PINGREQ. */
    private static final int KEEP_ALIVE_SECONDS = 600;
    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int DISCONNECT = 14;

    /** One packet read: its type, the flags of its fixed header, and what follows the remaining length. */
    record Packet(int type, int flags, byte[] body) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int packetId;

    private PlainMqttClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to {@code host:port} and logs in as {@code username} with a clean session; reads time out after
     * {@link #TIMEOUT_MILLIS} until {@link #socket()} says otherwise.
     *
     * @throws IOException when the broker cannot be reached or refuses the login (the CONNACK return code named)
     */
    static PlainMqttClient connect(String host, int port, String username, String password) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            PlainMqttClient client = new PlainMqttClient(socket);
            client.login(username, password);
            return client;
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw e;
        }
    }

    Socket socket() {
        return socket;
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
            throw new IOException("the broker refused the login as " + username + ", CONNACK return code " + code
                    + " (4: bad user name or password, 5: not authorised)");
        }
    }

    /**
     * Publishes with QoS 1 and returns once the broker acknowledged it. Only while no other thread reads from this
     * connection: it reads the PUBACK itself.
     */
    void publish(String topic, String payload) throws IOException {
        int id = ++packetId;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.write(id >> 8);
        body.write(id & 0xff);
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        send(PUBLISH << 4 | 0x02, body.toByteArray()); // QoS 1
        Packet pubAck = readPacket();
        assertThat(pubAck.type()).as("MQTT packet type").isEqualTo(PUBACK);
        assertThat(((pubAck.body()[0] & 0xff) << 8) | (pubAck.body()[1] & 0xff)).as("PUBACK packet id")
                .isEqualTo(id);
    }

    Packet readPacket() throws IOException {
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

    /** Writes one packet; safe from more than one thread. */
    void send(int header, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream(body.length + 5);
        packet.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body, 0, body.length);
        synchronized (out) {
            out.write(packet.toByteArray());
            out.flush();
        }
    }

    /** Sends DISCONNECT (when the broker is still there) and closes the socket. */
    @Override
    public void close() {
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

    static void writeString(ByteArrayOutputStream body, String value) {
        writeBytes(body, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteArrayOutputStream body, byte[] value) {
        body.write(value.length >> 8);
        body.write(value.length & 0xff);
        body.write(value, 0, value.length);
    }
}
