package nl.lantaarn.mqtt.broker.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.PermitAllAuthorizatorPolicy;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.mqtt.api.EmbeddedBroker;

/**
 * One run of the embedded Moquette broker: users file, authentication, listening socket, health. Plain Java, so
 * that tests can start it without a framework. {@link #start()} never throws: a broker that cannot start reports
 * DOWN with a sentence saying what to change, and the rest of the hub keeps running.
 */
final class MqttBroker implements HealthContributor {

    static final String COMPONENT = "mqtt-broker";
    static final String DEVICES_USER = "devices";
    /** Commands Moquette queues per session loop before it refuses publishes (its default: 1,024). */
    static final int SESSION_QUEUE_SIZE = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger(MqttBroker.class);

    private final BrokerSettings settings;
    private volatile ComponentHealth health = ComponentHealth.down("MQTT broker is starting");
    private Server server;
    private RunningBroker running;
    private int port;

    MqttBroker(BrokerSettings settings) {
        this.settings = settings;
        this.port = settings.port();
    }

    @Override
    public String component() {
        return COMPONENT;
    }

    @Override
    public ComponentHealth health() {
        return health;
    }

    /** The running broker, present once it listens. */
    synchronized Optional<EmbeddedBroker> embeddedBroker() {
        return Optional.ofNullable(running);
    }

    /** Starts the broker. Returns whether it listens; on failure one ERROR line was logged and health is DOWN. */
    synchronized boolean start() {
        if (server != null) {
            return true;
        }
        port = settings.port();
        long started = System.nanoTime();
        try {
            ensureUsersFile();
        } catch (IOException e) {
            return fail("MQTT broker not started: cannot create the users file " + settings.usersFile() + " ("
                    + e.getMessage() + "); make its directory writable or set 'usersFile' in "
                    + BrokerSettings.CONFIG_FILE);
        }
        String portProblem = probePort();
        if (portProblem != null) {
            return fail(portProblem);
        }

        char[] internalPassword = Secrets.newPassword();
        BrokerAuthenticator authenticator = new BrokerAuthenticator(internalPassword, settings.usersFile());
        Server candidate = new Server();
        try {
            candidate.startServer(moquetteConfig(), List.of(), () -> null, authenticator,
                    new PermitAllAuthorizatorPolicy());
        } catch (IOException | RuntimeException | LinkageError e) {
            stopQuietly(candidate);
            Arrays.fill(internalPassword, '\0');
            return fail(describe(e));
        }
        server = candidate;
        running = new RunningBroker(settings.host(), port, BrokerAuthenticator.INTERNAL_USER,
                internalPassword);
        health = ComponentHealth.up("listening on " + settings.host() + ":" + running.port() + " (persistence "
                + settings.persistence().name().toLowerCase(Locale.ROOT) + ")");
        LOG.debug("MQTT broker listening on {}:{} after {} ms", settings.host(), running.port(),
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /** Stops the broker and forgets the internal password. */
    synchronized void stop() {
        Server toStop = server;
        server = null;
        if (running != null) {
            running.forget();
            running = null;
        }
        if (toStop != null) {
            stopQuietly(toStop);
            health = ComponentHealth.down("MQTT broker stopped");
            LOG.debug("MQTT broker on {}:{} stopped", settings.host(), port);
        }
    }

    /** First start: without a users file, creates the user {@code devices} and writes its password aside. */
    private void ensureUsersFile() throws IOException {
        Path usersFile = settings.usersFile();
        if (Files.exists(usersFile)) {
            return;
        }
        char[] password = Secrets.newPassword();
        try {
            Path secret = settings.devicesPasswordFile();
            // the password first: a users file never exists without the password that goes with it
            Secrets.writePrivateFile(secret, new String(password), true);
            Secrets.writePrivateFile(usersFile, BrokerAuthenticator.initialUsersFile(DEVICES_USER, password), false);
            LOG.info("MQTT broker: created user '{}' in {}; its password is in {}", DEVICES_USER, usersFile, secret);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Tries the port before Moquette does, so that a taken port gives one clear line instead of Moquette's stack
     * trace. Port 0 becomes a free port chosen here, because Moquette reports the port it bound only later and
     * from another thread.
     */
    private String probePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(settings.host(), port));
            port = socket.getLocalPort();
            return null;
        } catch (BindException e) {
            return bindProblem(e);
        } catch (IOException | RuntimeException e) {
            return cannotListen(e);
        }
    }

    private String bindProblem(BindException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("in use")) {
            return "MQTT broker not started: port " + port + " on " + settings.host()
                    + " is already in use; set " + BrokerSettings.PORT_ENV + " or 'port' in "
                    + BrokerSettings.CONFIG_FILE;
        }
        return cannotListen(e);
    }

    private String cannotListen(Exception e) {
        return "MQTT broker not started: cannot listen on " + settings.host() + ":" + port + " ("
                + e.getMessage() + "); check 'host' and 'port' in " + BrokerSettings.CONFIG_FILE;
    }

    private String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return bindProblem(bind);
            }
        }
        if (e instanceof LinkageError && settings.persistence() == BrokerSettings.Persistence.FILE) {
            return "MQTT broker not started: persistence=file needs the H2 MVStore bundle (com.h2database:h2-mvstore,"
                    + " " + e.getMessage() + "); install it or set 'persistence' to memory in "
                    + BrokerSettings.CONFIG_FILE;
        }
        return "MQTT broker not started: " + e + "; check " + BrokerSettings.CONFIG_FILE;
    }

    private boolean fail(String sentence) {
        health = ComponentHealth.down(sentence);
        LOG.error(sentence);
        return false;
    }

    private IConfig moquetteConfig() throws IOException {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, settings.host());
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
        // mosquitto_sub and other MQTT 3.1.1 tools connect with an empty client id; the broker assigns one
        p.setProperty(io.moquette.BrokerConstants.ALLOW_ZERO_BYTE_CLIENT_ID_PROPERTY_NAME, "true");
        // Moquette reports to its authors' server unless told not to
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        // Moquette refuses a publish whose session command queue is full: no PUBACK, the message is gone for the
        // publisher until it reconnects (found by the compare benchmark). Its default, 1,024 commands per session
        // loop, overflowed under a few thousand messages/s; 65,536 (half a megabyte of references per loop) absorbs
        // what publishers keep in flight. It remains a limit under sustained overload: see the README.
        p.setProperty(IConfig.SESSION_QUEUE_SIZE, Integer.toString(SESSION_QUEUE_SIZE));
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(settings.maxMessageSize()));
        p.setProperty(IConfig.PERSISTENT_CLIENT_EXPIRATION_PROPERTY_NAME, settings.sessionExpiry());
        if (settings.persistence() == BrokerSettings.Persistence.FILE) {
            Files.createDirectories(settings.dataDirectory());
            p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
            p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, settings.dataDirectory().toString());
            p.setProperty(IConfig.PERSISTENT_QUEUE_TYPE_PROPERTY_NAME, "segmented");
        } else {
            p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        }
        return new MemoryConfig(p);
    }

    private static void stopQuietly(Server s) {
        try {
            s.stopServer();
        } catch (RuntimeException e) {
            LOG.debug("MQTT broker did not stop cleanly", e);
        }
    }

    /** The {@link EmbeddedBroker} service: where the broker listens and the hub's own credentials. */
    static final class RunningBroker implements EmbeddedBroker {

        private final String host;
        private final int port;
        private final String username;
        private final char[] password;

        RunningBroker(String host, int port, String username, char[] password) {
            this.host = host;
            this.port = port;
            this.username = username;
            this.password = password;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public String internalUsername() {
            return username;
        }

        @Override
        public char[] internalPassword() {
            synchronized (password) {
                return password.clone();
            }
        }

        void forget() {
            synchronized (password) {
                Arrays.fill(password, '\0');
            }
        }

        @Override
        public String toString() {
            return "embedded MQTT broker on " + host + ":" + port;
        }
    }
}
