package nl.lantaarn.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;

/**
 * A throw-away home for a hub that only reports its configuration ({@code ./lantaarn dpia} without a running hub):
 * a copy of the home's {@code etc/}, {@code routes/}, {@code zones/}, {@code policies/} and {@code deploy/}, changed
 * so that it cannot disturb anything: HTTP, HTTPS and the broker on free ports of 127.0.0.1, the embedded broker
 * (never an external one, where it would take over the running hub's session) and the embedded twin store in its own
 * empty {@code data/} (never a shared database). Not copied: API clients, the broker's users, secrets.
 */
final class TemporaryHome {

    static final List<String> FOLDERS = List.of("etc", "routes", "zones", "policies", "deploy");

    private TemporaryHome() {
    }

    static void create(Path home, Path target, int httpPort, int httpsPort, int mqttPort) throws IOException {
        for (String folder : FOLDERS) {
            copy(home.resolve(folder), target.resolve(folder));
        }
        Files.createDirectories(target.resolve("data"));
        Files.createDirectories(target.resolve("etc"));
        settings(target, "org.apache.felix.http.cfg", "org.osgi.service.http.host = 127.0.0.1\n"
                + "org.osgi.service.http.port = " + httpPort + "\n");
        settings(target, "nl.lantaarn.https.cfg", "host = 127.0.0.1\nport = " + httpsPort + "\n");
        settings(target, "nl.lantaarn.mqtt.broker.cfg", "enabled = true\nhost = 127.0.0.1\nport = " + mqttPort
                + "\nusersFile = etc/mqtt-users.passwd\n");
        settings(target, "nl.lantaarn.mqtt.client.cfg", "broker = embedded\n");
    }

    /** Whether a file of etc/ stays out of the copy. */
    static boolean skipped(Path relative) {
        String name = relative.getFileName().toString();
        return name.startsWith("nl.lantaarn.http.client-") // API clients: the command adds its own
                || name.endsWith(".passwd") || name.endsWith(".password") || name.endsWith(".p12")
                || name.startsWith("nl.lantaarn.twin.store.postgres") // a shared database: the copy keeps its own
                || name.startsWith(".");
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(file);
                if (attrs.isRegularFile() && !skipped(relative)) {
                    Files.copy(file, to.resolve(relative.toString()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Replaces the lines that set these keys in an etc/ file (kept otherwise) with the new settings. */
    private static void settings(Path home, String file, String settings) throws IOException {
        Path path = home.resolve("etc").resolve(file);
        Set<String> keys = settings.lines().map(TemporaryHome::key).collect(java.util.stream.Collectors.toSet());
        StringBuilder content = new StringBuilder();
        if (Files.isRegularFile(path)) {
            for (String line : Files.readAllLines(path, StandardCharsets.ISO_8859_1)) {
                if (!keys.contains(key(line))) {
                    content.append(line).append('\n');
                }
            }
        }
        content.append("# set by ./lantaarn dpia for its temporary hub\n").append(settings);
        Files.writeString(path, content, StandardCharsets.ISO_8859_1);
    }

    private static String key(String line) {
        String trimmed = line.strip();
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
