package nl.lantaarn.mqtt.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.PermitAllAuthorizatorPolicy;

/**
 * An embedded Moquette (MQTT 3.1.1) on 127.0.0.1 and a free port, in memory, that lets in one user. Restarts on the
 * same port, with a fresh (empty) state, as the hub's broker does.
 */
final class TestBroker implements AutoCloseable {

    static final String USER = "hub";
    static final String PASSWORD = "hub-secret";

    private final int port;
    private Server server;

    TestBroker() {
        this(freePort());
    }

    TestBroker(int port) {
        this.port = port;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    TestBroker start() {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        // as the hub's embedded broker sets it: with Moquette's default (1,024 session commands) a hub that holds back
        // its intake makes the broker refuse publishes without a PUBACK (bundles/mqtt-broker/README.md, limitations)
        p.setProperty(IConfig.SESSION_QUEUE_SIZE, "65536");
        Server s = new Server();
        try {
            s.startServer(new MemoryConfig(p), List.of(), () -> null,
                    (clientId, user, password) -> USER.equals(user) && password != null
                            && Arrays.equals(password, PASSWORD.getBytes(StandardCharsets.UTF_8)),
                    new PermitAllAuthorizatorPolicy());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = s;
        return this;
    }

    void stop() {
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
