package nl.lantaarn.bench;

import java.nio.file.Path;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * The broker options every MQTT simulator takes, as a picocli mixin: {@code --host}, {@code --port},
 * {@code --username} and {@code --password-file}. What is not given comes from the hub running from the same home
 * folder, then the environment, then the defaults (see {@link BrokerTarget#resolve}).
 */
final class MqttTargetOptions {

    @Option(names = "--host", paramLabel = "H", description = "Broker host (default: localhost).")
    private String host;

    @Option(names = "--port", paramLabel = "P",
            description = "Broker port (default: the running hub's, from <home>/data/run/hub.properties; else "
                    + "LANTAARN_MQTT_PORT; else 1883).")
    private Integer port;

    @Option(names = "--username", paramLabel = "U", description = "MQTT user (default: devices).")
    private String username;

    @Option(names = "--password-file", paramLabel = "F",
            description = "File holding the MQTT password (default: <home>/data/secrets/mqtt-devices.password).")
    private Path passwordFile;

    /** Whether {@code --username} or {@code --password-file} was given: a tool that may connect anonymously asks. */
    boolean credentialsGiven() {
        return username != null || passwordFile != null;
    }

    /**
     * The broker to publish to.
     *
     * @param env the environment: LANTAARN_HOME, LANTAARN_MQTT_PORT
     * @throws ToolException when the running hub reports its broker down or a port is not a port
     */
    BrokerTarget resolve(Map<String, String> env) throws ToolException {
        return BrokerTarget.resolve(BrokerTarget.home(env), host, port, username, passwordFile, env);
    }
}
