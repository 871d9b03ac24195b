package nl.lantaarn.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh hub home for one test class under {@code itests/target/itest-work}: {@code etc/} (logging, HTTP and MQTT on
 * free ports), {@code routes/} (the repository's {@code noise-alerts.yaml}), {@code deploy/} and {@code data/}. It is
 * kept after the run so its logs and data can be read when a test fails.
 */
final class HubHome {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);

    private final Path work;
    private final Path dir;
    private final int httpPort;
    private final int mqttPort;

    private HubHome(Path work, int httpPort, int mqttPort) {
        this.work = work;
        this.dir = work.resolve("home");
        this.httpPort = httpPort;
        this.mqttPort = mqttPort;
    }

    static HubHome create(Class<?> testClass) {
        Path root = HubTestOptions.requiredPath(HubTestOptions.WORK);
        String name = testClass.getSimpleName() + "-" + LocalDateTime.now().format(STAMP) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        HubHome home = new HubHome(root.resolve(name), HubTestOptions.freePort(), HubTestOptions.freePort());
        home.populate();
        return home;
    }

    Path work() {
        return work;
    }

    Path dir() {
        return dir;
    }

    int httpPort() {
        return httpPort;
    }

    /** Port of the embedded broker (unused with an external broker). */
    int mqttPort() {
        return mqttPort;
    }

    private void populate() {
        try {
            for (String folder : new String[] {"etc", "deploy", "routes", "data"}) {
                Files.createDirectories(dir.resolve(folder));
            }
            Path route = HubTestOptions.requiredPath(HubTestOptions.ROUTES).resolve("noise-alerts.yaml");
            if (!Files.isRegularFile(route)) {
                throw new IllegalStateException("The slice's route " + route + " is missing");
            }
            Files.copy(route, dir.resolve("routes").resolve("noise-alerts.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the hub home " + dir, e);
        }
        etc("org.ops4j.pax.logging.cfg", """
                # console, captured by failsafe in target/failsafe-reports/<test>-output.txt
                log4j2.rootLogger.level = INFO
                log4j2.rootLogger.appenderRef.console.ref = console
                log4j2.appender.console.type = Console
                log4j2.appender.console.name = console
                log4j2.appender.console.layout.type = PatternLayout
                log4j2.appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level [%thread] %logger{1.} - %msg%n
                log4j2.logger.lantaarn.name = nl.lantaarn
                log4j2.logger.lantaarn.level = DEBUG
                """);
        etc("org.apache.felix.http.cfg", """
                org.osgi.service.http.host = 127.0.0.1
                org.osgi.service.http.port = %d
                """.formatted(httpPort));
    }

    void writeEmbeddedBrokerConfig() {
        etc("nl.lantaarn.mqtt.broker.cfg", """
                host = 127.0.0.1
                port = %d
                """.formatted(mqttPort));
        etc("nl.lantaarn.mqtt.client.cfg", """
                broker = embedded
                """);
    }

    void writeExternalBrokerConfig(String host, int port) {
        etc("nl.lantaarn.mqtt.broker.cfg", """
                enabled = false
                host = 127.0.0.1
                port = %d
                """.formatted(mqttPort));
        etc("nl.lantaarn.mqtt.client.cfg", """
                broker = external
                host = %s
                port = %d
                clientId = lantaarn-itest-%s
                """.formatted(host, port, UUID.randomUUID().toString().substring(0, 8)));
    }

    private void etc(String file, String content) {
        HubTestOptions.write(dir.resolve("etc").resolve(file), content);
    }
}
