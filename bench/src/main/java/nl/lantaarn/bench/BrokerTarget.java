package nl.lantaarn.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a simulator publishes: by default the broker of the hub running from the same home folder, found through
 * {@code <home>/data/run/hub.properties}, with the {@code devices} user the embedded broker created.
 *
 * @param host         broker host
 * @param port         broker port
 * @param portSource   where the port came from, for messages
 * @param username     MQTT user name
 * @param passwordFile file holding the password
 */
record BrokerTarget(String host, int port, String portSource, String username, Path passwordFile) {

    static final String DEFAULT_HOST = "localhost";
    static final int DEFAULT_PORT = 1883;
    static final String DEFAULT_USER = "devices";
    static final String PORT_ENV = "LANTAARN_MQTT_PORT";

    /** The home folder: system property {@code lantaarn.home} (set by ./lantaarn), then LANTAARN_HOME, then here. */
    static Path home(Map<String, String> env) {
        String home = System.getProperty("lantaarn.home");
        if (home == null || home.isBlank()) {
            home = env.get("LANTAARN_HOME");
        }
        return Path.of(home == null || home.isBlank() ? "" : home).toAbsolutePath().normalize();
    }

    static Path hubInfoFile(Path home) {
        return home.resolve("data").resolve("run").resolve("hub.properties");
    }

    static Path defaultPasswordFile(Path home) {
        return home.resolve("data").resolve("secrets").resolve("mqtt-devices.password");
    }

    /**
     * Resolves the target from the options (null when not given), the running hub and the environment.
     *
     * @throws ToolException when the running hub reports its broker down or a port is not a port
     */
    static BrokerTarget resolve(Path home, String host, Integer port, String username, Path passwordFile,
            Map<String, String> env) throws ToolException {
        String resolvedHost = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
        String resolvedUser = username == null || username.isBlank() ? DEFAULT_USER : username.trim();
        Path resolvedPasswordFile = passwordFile == null ? defaultPasswordFile(home) : passwordFile.toAbsolutePath();
        if (port != null) {
            return new BrokerTarget(resolvedHost, checkPort(port, "--port"), "--port", resolvedUser,
                    resolvedPasswordFile);
        }
        Path infoFile = hubInfoFile(home);
        Optional<Properties> hub = runningHub(infoFile);
        if (hub.isPresent()) {
            String mqttPort = hub.get().getProperty("mqtt.port");
            if (mqttPort != null) {
                return new BrokerTarget(resolvedHost, parsePort(mqttPort, infoFile.toString()),
                        "the running hub (" + infoFile + ")", resolvedUser, resolvedPasswordFile);
            }
            if ("down".equals(hub.get().getProperty("mqtt.state"))) {
                throw new ToolException("the hub running as pid " + hub.get().getProperty("pid") + " reports its "
                        + "embedded MQTT broker down (see its log, e.g. a port that is taken): restart it with a free "
                        + PORT_ENV + ", or point the simulator at another broker with --host and --port");
            }
        }
        String fromEnv = env.get(PORT_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new BrokerTarget(resolvedHost, parsePort(fromEnv, PORT_ENV), PORT_ENV, resolvedUser,
                    resolvedPasswordFile);
        }
        return new BrokerTarget(resolvedHost, DEFAULT_PORT, "the default", resolvedUser, resolvedPasswordFile);
    }

    /** The password, read from {@link #passwordFile()}; surrounding white space is not part of it. */
    char[] readPassword() throws ToolException {
        if (!Files.isRegularFile(passwordFile)) {
            throw new ToolException("no MQTT password: " + passwordFile + " does not exist; the hub's embedded broker "
                    + "writes it on its first start (run ./lantaarn with the same LANTAARN_HOME), or set "
                    + "--password-file");
        }
        try {
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new ToolException("the MQTT password file " + passwordFile + " is empty; set --password-file");
            }
            return password.toCharArray();
        } catch (IOException e) {
            throw new ToolException("cannot read the MQTT password file " + passwordFile + " (" + e.getMessage()
                    + "); set --password-file");
        }
    }

    /** hub.properties of a hub that is still running; a file left by a stopped hub is ignored. */
    static Optional<Properties> runningHub(Path infoFile) {
        if (!Files.isRegularFile(infoFile)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(infoFile, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(properties.getProperty("pid", "").trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> properties);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int parsePort(String value, String source) throws ToolException {
        try {
            return checkPort(Integer.parseInt(value.trim()), source);
        } catch (NumberFormatException e) {
            throw new ToolException(source + " has '" + value + "', which is not a TCP port (1-65535)");
        }
    }

    private static int checkPort(int port, String source) throws ToolException {
        if (port < 1 || port > 65535) {
            throw new ToolException(source + " has " + port + ", which is not a TCP port (1-65535)");
        }
        return port;
    }

    /** "localhost:1883 (port from the running hub (...)) as 'devices'", for the simulators' first line. */
    String describe() {
        return this + " (port from " + portSource + ") as '" + username + "'";
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
