package nl.lantaarn.runtime.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;

/**
 * {@code <home>/data/run/hub.properties}: how tools on the same machine (the simulator, scripts) find the running
 * hub. Written once the hub is ready, removed when it stops; a file left by a crashed hub names a pid that is gone.
 */
final class HubInfoFile {

    static final String HTTP_PORT = "http.port";
    static final String MQTT_PORT = "mqtt.port";
    static final String HTTPS_PORT = "https.port";
    static final String HTTPS_FINGERPRINT = "https.fingerprint";
    static final String MQTT_STATE = "mqtt.state";
    static final String PID = "pid";
    static final String HOME = "home";

    private final Path file;

    HubInfoFile(Path home) {
        this.file = home.resolve("data").resolve("run").resolve("hub.properties");
    }

    Path path() {
        return file;
    }

    /** Replaces the file in one step, so a reader never sees half of it. */
    void write(Map<String, String> values) throws IOException {
        Files.createDirectories(file.getParent());
        Properties properties = new Properties();
        properties.putAll(values);
        Path tmp = Files.createTempFile(file.getParent(), "hub", ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                properties.store(out, "Written by the running Lantaarn hub; removed when it stops");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes the file if it was written by the process with this pid (another hub may have replaced it). */
    boolean deleteIfOwnedBy(long pid) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        if (!Long.toString(pid).equals(properties.getProperty(PID))) {
            return false;
        }
        return Files.deleteIfExists(file);
    }
}
