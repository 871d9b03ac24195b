package nl.lantaarn.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A fresh hub home for one test class under {@code itests/target/itest-work}: {@code etc/} (the repository's, with
 * HTTP and MQTT on free ports on 127.0.0.1), {@code routes/} (the repository's {@code noise-alerts.yaml}), {@code deploy/} and {@code data/}. It is
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
        String work = System.getProperty(HubTestOptions.WORK);
        if (work == null || work.isBlank()) {
            throw new IllegalStateException("System property " + HubTestOptions.WORK
                    + " is not set: run the integration tests through Maven (./mvnw verify), which sets it");
        }
        Path root = Path.of(work).toAbsolutePath().normalize();
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
        copyRepositoryEtc();
        etc("org.apache.felix.http.cfg", """
                org.osgi.service.http.host = 127.0.0.1
                org.osgi.service.http.port = %d
                """.formatted(httpPort));
        // HTTPS (the hub's self-signed certificate) on a free port, never the default 8443 another hub may hold
        etc("nl.lantaarn.https.cfg", """
                host = 127.0.0.1
                port = %d
                """.formatted(HubTestOptions.freePort()));
        // the tests' client as ./lantaarn clients add writes it: operator, as they read, write, confirm route actions
        // and read dead letters (no test installs adapter bundles, which needs admin); its purpose is the one the
        // citizen-reports adapter allows, as the scenarios read citizen reports (personal data)
        etc("nl.lantaarn.http.client-itest.cfg", """
                name = itest
                roles = operator
                purpose = citizen-reports
                keyHash = sha256:%s
                """.formatted(sha256(API_KEY)));
    }

    /**
     * The API key the tests' HTTP client presents; the hub knows only its hash. A constant, because the test class
     * is loaded twice (by JUnit and inside the framework) and both must agree.
     */
    static final String API_KEY = "itest-key-for-tests-only";

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The configuration the hub ships with (the repository's etc/), without generated secrets. */
    private void copyRepositoryEtc() {
        String source = System.getProperty(HubTestOptions.ETC);
        if (source == null || !Files.isDirectory(Path.of(source))) {
            return;
        }
        try (Stream<Path> files = Files.list(Path.of(source))) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                String name = file.getFileName().toString();
                // not API clients someone added to the repository's own home
                if ((name.endsWith(".cfg") || name.endsWith(".config")) && !name.startsWith("nl.lantaarn.http.client-")) {
                    Files.copy(file, dir.resolve("etc").resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + source + " into " + dir, e);
        }
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
                cleanStart = true
                sessionExpirySeconds = 0
                """.formatted(host, port, UUID.randomUUID().toString().substring(0, 8)));
    }

    /**
     * Sets keys in an etc/ file: lines that set the same keys in what the file holds already (the shipped defaults)
     * are dropped, the new settings are added at its end.
     */
    private void etc(String file, String settings) {
        Path path = dir.resolve("etc").resolve(file);
        Set<String> keys = settings.lines().map(HubHome::key).filter(k -> !k.isEmpty()).collect(Collectors.toSet());
        try {
            StringBuilder content = new StringBuilder();
            if (Files.isRegularFile(path)) {
                Files.readAllLines(path, StandardCharsets.UTF_8).stream().filter(line -> !keys.contains(key(line)))
                        .forEach(line -> content.append(line).append('\n'));
                content.append('\n');
            }
            content.append("# set by the integration test (itests/HubHome)\n").append(settings);
            HubTestOptions.write(path, content.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }

    /** The key a properties line sets, or "" for comments and blank lines. */
    private static String key(String line) {
        String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
            return "";
        }
        int end = 0;
        while (end < trimmed.length() && "=: \t".indexOf(trimmed.charAt(end)) < 0) {
            end++;
        }
        return trimmed.substring(0, end);
    }
}
