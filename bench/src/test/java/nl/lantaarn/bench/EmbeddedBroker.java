package nl.lantaarn.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.PermitAllAuthorizatorPolicy;

/**
 * A Moquette broker for the tests of the MQTT commands: on loopback, on a free port, in memory, either anonymous (as
 * the benchmark's Mosquitto) or with one user and password (as the hub's embedded broker). Stopped by {@link #close()}.
 */
final class EmbeddedBroker implements AutoCloseable {

    private final Server server = new Server();
    private final int port;

    private EmbeddedBroker(IAuthenticator authenticator) throws IOException {
        port = freePort();
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, Boolean.toString(authenticator == null));
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        server.startServer(new MemoryConfig(p), List.of(), () -> null, authenticator, new PermitAllAuthorizatorPolicy());
    }

    /** A broker that lets every client in without credentials. */
    static EmbeddedBroker anonymous() throws IOException {
        return new EmbeddedBroker(null);
    }

    /** A broker that lets in only {@code user} with {@code password}. */
    static EmbeddedBroker withUser(String user, String password) throws IOException {
        byte[] expected = password.getBytes(StandardCharsets.UTF_8);
        return new EmbeddedBroker((clientId, name, given) -> user.equals(name) && given != null
                && Arrays.equals(given, expected));
    }

    int port() {
        return port;
    }

    /** A port free on loopback right now (for the broker, or a receiver of the test). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
