package nl.lantaarn.mqtt.broker.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The broker's settings after defaults, the environment and the home directory were applied. Immutable.
 *
 * @param host             address to listen on
 * @param port             TCP port; 0 picks a free one
 * @param portSource       where the port came from, for error messages
 * @param home             the hub's home directory
 * @param usersFile        absolute path of the users file
 * @param persistence      where sessions, subscriptions and retained messages are kept
 * @param maxMessageSize   largest MQTT packet accepted, in bytes
 * @param sessionExpiry    how long the broker keeps the session of a disconnected persistent client (Moquette
 *                         duration syntax, e.g. {@code 7d})
 */
record BrokerSettings(String host, int port, String portSource, Path home, Path usersFile, Persistence persistence,
                      int maxMessageSize, String sessionExpiry) {

    /** The environment variable that overrides the broker's port. */
    static final String PORT_ENV = "LANTAARN_MQTT_PORT";
    /** Framework or system property naming the hub's home directory. */
    static final String HOME_PROPERTY = "lantaarn.home";
    static final String CONFIG_FILE = "etc/" + MqttBrokerComponent.PID + ".cfg";

    private static final Pattern DURATION = Pattern.compile("[1-9][0-9]{0,8}[smhdwMy]");

    /** Where the broker keeps its state. */
    enum Persistence {
        /** Lost when the hub stops; nothing is written to disk. */
        MEMORY,
        /** Moquette's own store (H2 MVStore and segment queues) under {@code <home>/data/mqtt}. */
        FILE
    }

    BrokerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(portSource, "portSource");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(usersFile, "usersFile");
        Objects.requireNonNull(persistence, "persistence");
        Objects.requireNonNull(sessionExpiry, "sessionExpiry");
    }

    /** Directory of Moquette's files when {@link Persistence#FILE} is chosen. */
    Path dataDirectory() {
        return home.resolve("data").resolve("mqtt");
    }

    /** File holding the generated password of the {@code devices} user. */
    Path devicesPasswordFile() {
        return home.resolve("data").resolve("secrets").resolve("mqtt-devices.password");
    }

    /**
     * Resolves the configuration.
     *
     * @throws IllegalArgumentException with a sentence naming the wrong value and the setting to change
     */
    static BrokerSettings resolve(MqttBrokerComponent.Config config, Map<String, String> env, Path home) {
        String host = config.host() == null ? "" : config.host().trim();
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'host' is empty; set it in " + CONFIG_FILE + " (0.0.0.0 listens on all"
                    + " interfaces)");
        }
        int port = config.port();
        String portSource = "'port' in " + CONFIG_FILE;
        String fromEnv = env.get(PORT_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                port = Integer.parseInt(fromEnv.trim());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(PORT_ENV + "='" + fromEnv + "' is not a TCP port (0-65535)");
            }
            portSource = PORT_ENV;
        } else if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'port' " + port + " is not a TCP port (0-65535); fix it in "
                    + CONFIG_FILE);
        }
        String users = config.usersFile() == null ? "" : config.usersFile().trim();
        if (users.isEmpty()) {
            throw new IllegalArgumentException("'usersFile' is empty; set it in " + CONFIG_FILE);
        }
        Persistence persistence;
        try {
            persistence = Persistence.valueOf(config.persistence().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("'persistence' is '" + config.persistence()
                    + "'; use 'memory' or 'file' in " + CONFIG_FILE, e);
        }
        if (config.maxMessageSize() < 1024 || config.maxMessageSize() > 268_435_455) {
            throw new IllegalArgumentException("'maxMessageSize' " + config.maxMessageSize()
                    + " is outside 1024..268435455 bytes; fix it in " + CONFIG_FILE);
        }
        String expiry = config.sessionExpiry() == null ? "" : config.sessionExpiry().trim();
        if (!DURATION.matcher(expiry).matches()) {
            throw new IllegalArgumentException("'sessionExpiry' is '" + config.sessionExpiry()
                    + "'; use a number followed by s, m, h, d, w, M or y (e.g. 7d) in " + CONFIG_FILE);
        }
        Path absoluteHome = home.toAbsolutePath().normalize();
        return new BrokerSettings(host, port, portSource, absoluteHome, absoluteHome.resolve(users).normalize(),
                persistence, config.maxMessageSize(), expiry);
    }

    /** The hub's home: the {@value #HOME_PROPERTY} property if set, else the working directory. */
    static Path home(String property) {
        if (property != null && !property.isBlank()) {
            return Path.of(property.trim());
        }
        return Path.of(System.getProperty("user.dir"));
    }
}
