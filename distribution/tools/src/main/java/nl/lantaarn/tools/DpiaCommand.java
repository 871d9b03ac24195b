package nl.lantaarn.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./lantaarn dpia}: writes the DPIA fact sheet. The hub generates it ({@code GET /api/v1/dpia}); this command
 * only fetches it: from the running hub when an operator key is given and the hub answers, otherwise from a hub it
 * starts itself on a temporary copy of the home's configuration (headless, on free ports of 127.0.0.1, with an
 * embedded broker and store in a temporary data folder), which it stops and deletes afterwards.
 */
@Command(name = "dpia", mixinStandardHelpOptions = true,
        description = {"Writes the DPIA fact sheet of the hub's configuration: per adapter and per route the data, "
                + "categories, purposes, legal grounds, recipients, retention and pseudonymisation.",
                "With an operator key (LANTAARN_API_KEY or --api-key-file) and a running hub it asks that hub; "
                        + "otherwise it starts the hub on a temporary copy of etc/, routes/, zones/, policies/ and "
                        + "deploy/ (free ports on 127.0.0.1, embedded broker and store, a temporary data folder), "
                        + "fetches the sheet and stops it again."})
final class DpiaCommand implements Callable<Integer> {

    static final String API_KEY_VARIABLE = "LANTAARN_API_KEY";
    private static final Duration POLL = Duration.ofMillis(250);
    private static final String TOOL_CLIENT = "dpia-tool";

    @ParentCommand
    private ToolsMain main;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-f", "--format"}, paramLabel = "md|html", defaultValue = "md",
            description = "md (Markdown, the default) or html (printable HTML)")
    private String format;

    @Option(names = {"-o", "--output"}, paramLabel = "<file>",
            description = "where to write it; default dpia-fact-sheet.md (or .html) in the current folder; - writes "
                    + "to standard output")
    private String output;

    @Option(names = "--url", paramLabel = "<url>",
            description = "the running hub's base URL; default: the port in the home's data/run/hub.properties, "
                    + "else http://localhost:$LANTAARN_HTTP_PORT (8080)")
    private String url;

    @Option(names = "--api-key-file", paramLabel = "<file>",
            description = "a file holding an operator's API key (instead of the variable " + API_KEY_VARIABLE + ")")
    private Path apiKeyFile;

    @Option(names = "--from-config", description = "never ask a running hub: always start one on the configuration")
    private boolean fromConfig;

    @Option(names = "--timeout", paramLabel = "<seconds>", defaultValue = "120",
            description = "how long to wait for the temporary hub to be ready (default 120)")
    private int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        String chosen = format.strip().toLowerCase(java.util.Locale.ROOT);
        if (!chosen.equals("md") && !chosen.equals("html")) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "--format must be md or html, not '" + format + "'");
        }
        if (timeoutSeconds < 10 || timeoutSeconds > 3600) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "--timeout must be 10 to 3600 seconds, not "
                    + timeoutSeconds);
        }
        PrintWriter err = spec.commandLine().getErr();
        String key = apiKey();
        String document = null;
        if (key != null && !fromConfig) {
            URI base = runningHub();
            try {
                document = fetch(base, key, chosen);
                err.println("lantaarn: DPIA fact sheet of the hub at " + base);
            } catch (ConnectException e) {
                err.println("lantaarn: no hub answers at " + base + "; starting one on the configuration of "
                        + main.home());
            }
        }
        if (document == null) {
            document = fromConfiguration(chosen, err);
        }
        write(document, chosen, err);
        return 0;
    }

    private String apiKey() throws IOException {
        if (apiKeyFile != null) {
            if (!Files.isRegularFile(apiKeyFile)) {
                throw new ToolException(ToolsMain.INVALID_INPUT, "--api-key-file " + apiKeyFile
                        + " is not a file");
            }
            String key = Files.readString(apiKeyFile, StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw new ToolException(ToolsMain.INVALID_INPUT, "--api-key-file " + apiKeyFile + " is empty");
            }
            return key;
        }
        String key = System.getenv(API_KEY_VARIABLE);
        return key == null || key.isBlank() ? null : key.strip();
    }

    /** --url, else the port the home's running hub wrote, else LANTAARN_HTTP_PORT or 8080 on localhost. */
    private URI runningHub() {
        if (url != null) {
            try {
                URI base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                if (base.getScheme() == null || base.getHost() == null) {
                    throw new IllegalArgumentException("no scheme or host");
                }
                return base;
            } catch (IllegalArgumentException e) {
                throw new ToolException(ToolsMain.INVALID_INPUT, "--url must be a URL such as "
                        + "http://localhost:8080, not '" + url + "'");
            }
        }
        Path info = main.home().resolve("data/run/hub.properties");
        if (Files.isRegularFile(info)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(info)) {
                properties.load(in);
                String pid = properties.getProperty("pid");
                String port = properties.getProperty("http.port");
                boolean alive = pid != null && ProcessHandle.of(Long.parseLong(pid.strip()))
                        .map(ProcessHandle::isAlive).orElse(false);
                if (alive && port != null) {
                    return URI.create("http://localhost:" + Integer.parseInt(port.strip()));
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable or stale file: fall back to the default port
            }
        }
        String port = System.getenv("LANTAARN_HTTP_PORT");
        return URI.create("http://localhost:" + (port == null || port.isBlank() ? "8080" : port.strip()));
    }

    /** GET /api/v1/dpia; a refusal (wrong key, old hub) ends the command with the hub's own words. */
    static String fetch(URI base, String key, String format) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/dpia?format=" + format))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(
                StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new ToolException(ToolsMain.REFUSED, "the hub at " + base + " answered " + response.statusCode()
                    + " to GET /api/v1/dpia: " + detail(response.body()));
        }
        return response.body();
    }

    private static String detail(String body) {
        int start = body.indexOf("\"detail\":\"");
        if (start < 0) {
            return body.length() > 300 ? body.substring(0, 300) + "..." : body;
        }
        int end = body.indexOf("\",", start + 10);
        return body.substring(start + 10, end < 0 ? body.length() : end).replace("\\\"", "\"");
    }

    private void write(String document, String chosen, PrintWriter err) throws IOException {
        if ("-".equals(output)) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(document);
            out.flush();
            return;
        }
        Path file = Path.of(output != null ? output : "dpia-fact-sheet." + chosen).toAbsolutePath().normalize();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Path temporary = Files.createTempFile(file.getParent(), ".dpia-", ".tmp");
        try {
            Files.writeString(temporary, document, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        err.println("lantaarn: wrote the DPIA fact sheet to " + file);
    }

    /** Starts the hub on a temporary copy of the home's configuration, fetches the sheet, stops it, deletes it. */
    private String fromConfiguration(String chosen, PrintWriter err) throws IOException, InterruptedException {
        Path hubJar = Path.of(requiredProperty("lantaarn.hubJar"));
        if (!Files.isRegularFile(hubJar)) {
            throw new ToolException(ToolsMain.REFUSED, "the hub's jar " + hubJar + " is missing: run ./lantaarn build");
        }
        String java = System.getProperty("lantaarn.java", ProcessHandle.current().info().command().orElse("java"));
        Path temporary = Files.createTempDirectory("lantaarn-dpia-");
        Process hub = null;
        try {
            int http = freePort();
            TemporaryHome.create(main.home(), temporary, http, freePort(), freePort());
            String key = new ClientStore(temporary).add(TOOL_CLIENT, List.of("operator"),
                    "./lantaarn dpia: reads the DPIA fact sheet of this temporary hub").key();
            Path log = temporary.resolve("data/hub-output.txt");
            List<String> command = new ArrayList<>(List.of(java, "-Dlantaarn.home=" + temporary,
                    "-Dorg.osgi.service.http.port=" + http,
                    "-Dorg.osgi.framework.storage=" + temporary.resolve("data/felix-cache"),
                    "-Dorg.ops4j.pax.logging.property.file=" + temporary.resolve("etc/org.ops4j.pax.logging.cfg"),
                    "-jar", hubJar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(temporary.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("LANTAARN_"));
            err.println("lantaarn: starting the hub on a copy of the configuration of " + main.home()
                    + " (port " + http + ", 127.0.0.1)...");
            err.flush();
            hub = builder.start();
            hub.getOutputStream().close();
            URI base = URI.create("http://127.0.0.1:" + http);
            awaitReady(hub, log);
            awaitSettled(base, key);
            return fetch(base, key, chosen);
        } finally {
            if (hub != null) {
                stop(hub);
            }
            deleteTree(temporary);
        }
    }

    private void awaitReady(Process hub, Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        while (Instant.now().isBefore(deadline)) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
            if (text.lines().anyMatch(l -> l.startsWith("Lantaarn ready in ")
                    || l.startsWith("Lantaarn started with problems in "))) {
                return;
            }
            if (!hub.isAlive()) {
                throw new ToolException(ToolsMain.REFUSED, "the temporary hub ended (exit " + hub.exitValue()
                        + ") before it was ready:\n" + tail(text));
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new ToolException(ToolsMain.REFUSED, "the temporary hub was not ready within " + timeoutSeconds
                + " s (--timeout)");
    }

    /**
     * The ready line comes once every bundle started; adapter instances, routes and bundles of deploy/ may follow
     * a moment later. Waits (at most 30 s) until health is UP, then the sheet is taken as it is.
     */
    private static void awaitSettled(URI base, String key) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base
                        + "/api/v1/health")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<Void> sheet = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/dpia"))
                        .header("Authorization", "Bearer " + key).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (health.body().startsWith("{\"status\":\"UP\"") && sheet.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static void stop(Process hub) throws InterruptedException {
        hub.destroy();
        if (!hub.waitFor(60, TimeUnit.SECONDS)) {
            hub.destroyForcibly();
            hub.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new ToolException(ToolsMain.REFUSED, "without a running hub this command needs the hub's jar: run "
                    + "it as ./lantaarn dpia (system property " + name + " is not set)");
        }
        return value;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

}
