package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;

/**
 * One run of the repository's {@code ./lantaarn} as a child process, for the tests that meet the hub as a user does,
 * outside any framework ({@link LauncherScenarioIT}, {@link DeliveryAfterCrashIT}): its standard output and error go
 * to files, kept for diagnosis. {@link Runs} starts them for one test and stops what the test left running.
 */
final class LauncherProcess {

    /** System property set by the build: the repository root, which holds {@code ./lantaarn}. */
    static final String REPOSITORY = "lantaarn.itest.repository";
    static final Pattern READY_LINE = Pattern.compile("^Lantaarn (ready|started with problems) in [0-9.]+ s: .*");
    private static final Duration POLL = Duration.ofMillis(200);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Duration patience;

    private LauncherProcess(String name, Process process, Path stdout, Path stderr, Duration patience) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.patience = patience;
    }

    Process process() {
        return process;
    }

    String out() {
        return read(stdout);
    }

    String err() {
        return read(stderr);
    }

    List<String> outLines() {
        return out().lines().collect(Collectors.toList());
    }

    /** For failure messages: the state of the process and the end of what it printed. */
    String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "./lantaarn " + name + " (pid " + process.pid() + ", " + state + ")\n--- stdout (" + stdout + "):\n"
                + tail(out()) + "\n--- stderr (" + stderr + "):\n" + tail(err()) + "\n---";
    }

    /** The one ready line; fails at once when the launcher builds or ends before it. */
    String awaitReadyLine() {
        try {
            return await("the ready line of ./lantaarn " + name).atMost(patience).pollInterval(POLL).until(() -> {
                failIfBuilding();
                Optional<String> line = outLines().stream().filter(l -> READY_LINE.matcher(l).matches())
                        .findFirst();
                if (line.isEmpty() && !process.isAlive()) {
                    throw new AssertionError("./lantaarn ended before the hub was ready: " + describe());
                }
                return line;
            }, Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("No ready line within " + patience + ": " + describe(), e);
        }
    }

    void failIfBuilding() {
        String building = (err() + "\n" + out()).lines().filter(l -> l.contains("building")).findFirst()
                .orElse(null);
        if (building != null) {
            throw new AssertionError("./lantaarn started a build (\"" + building + "\") although the reactor built the "
                    + "distribution and the simulator before itests; see which input is newer than the jar. "
                    + describe());
        }
    }

    /** Waits until the process ended (a simulator, say); fails when it did not, or when it started a build. */
    void awaitExit() throws InterruptedException {
        if (!process.waitFor(patience.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("Did not end within " + patience + ": " + describe());
        }
        failIfBuilding();
    }

    static Path hubInfoFile(Path home) {
        return home.resolve("data/run/hub.properties");
    }

    /** {@code data/run/hub.properties} of {@code home}: written right after the ready line is printed. */
    Properties awaitHubInfo(Path home) {
        Path file = hubInfoFile(home);
        try {
            return await(file + " written").atMost(patience).pollInterval(POLL).until(() -> {
                Properties properties = new Properties();
                if (Files.isRegularFile(file)) {
                    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        properties.load(in);
                    }
                }
                return properties;
            }, properties -> properties.containsKey("pid"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(file + " not written within " + patience + ": " + describe(), e);
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().collect(Collectors.toList());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String read(Path file) {
        try {
            // the JVM writes in the platform charset; never fail on a byte that is not UTF-8
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /**
     * The runs of {@code ./lantaarn} of one test, from the repository root, their output under
     * {@code target/itest-work/<Test>-<method>-<time>-<id>/} next to the hub's home.
     */
    static final class Runs {

        private final Path repository;
        private final Path work;
        private final Duration patience;
        private final List<LauncherProcess> started = new ArrayList<>();

        private Runs(Path repository, Path work, Duration patience) {
            this.repository = repository;
            this.work = work;
            this.patience = patience;
        }

        /** A fresh work folder for {@code method} of {@code testClass}; every wait lasts up to {@code patience}. */
        static Runs of(Class<?> testClass, String method, Duration patience) throws IOException {
            Path repository = Path.of(requiredProperty(REPOSITORY)).toAbsolutePath().normalize();
            Path root = Path.of(requiredProperty(HubTestOptions.WORK)).toAbsolutePath().normalize();
            String name = testClass.getSimpleName() + "-" + method + "-" + LocalDateTime.now().format(STAMP) + "-"
                    + UUID.randomUUID().toString().substring(0, 8);
            return new Runs(repository, Files.createDirectories(root.resolve(name)), patience);
        }

        Path repository() {
            return repository;
        }

        Path work() {
            return work;
        }

        /** How a bench script ended: within the patience or not, its exit code, and its output (stdout and stderr). */
        record ScriptRun(boolean ended, int exitCode, String out) {
        }

        /**
         * Runs a script of the repository ({@code bench/compare.sh}, ...) from the repository root with these
         * arguments, without the LANTAARN_ variables (and the others named) of the test's environment, for up to the
         * patience; one that does not end by then is stopped, its children (hubs, brokers, load clients) first. Its
         * output goes to {@code <outputName>} in the work folder.
         */
        ScriptRun script(String outputName, List<String> dropVariables, String script, String... args)
                throws IOException, InterruptedException {
            Path output = work.resolve(outputName);
            List<String> command = new ArrayList<>();
            command.add(repository.resolve(script).toString());
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("LANTAARN_") || dropVariables.contains(key));
            Process process = builder.start();
            boolean ended = process.waitFor(patience.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            return new ScriptRun(ended, ended ? process.exitValue() : -1,
                    Files.readString(output, StandardCharsets.UTF_8));
        }

        /** Runs {@code ./lantaarn <args>} from the repository root, as a user does, with these LANTAARN_ variables. */
        LauncherProcess launch(String name, Map<String, String> lantaarnEnvironment, String... args)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(repository.resolve("lantaarn").toString());
            command.addAll(List.of(args));
            Path stdout = work.resolve(name + ".stdout.txt");
            Path stderr = work.resolve(name + ".stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(key -> key.startsWith("LANTAARN_") && !key.equals("LANTAARN_JAVA_OPTS"));
            environment.putAll(lantaarnEnvironment);
            // the JDK that runs the tests, unless the build names one
            environment.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            process.getOutputStream().close();
            LauncherProcess run = new LauncherProcess(name, process, stdout, stderr, patience);
            started.add(run);
            return run;
        }

        /**
         * {@code ./lantaarn <args>} (the hub) with a home and its ports, as {@code LANTAARN_*} variables; HTTPS on a
         * free port too, so that no test meets another's (or a developer's) hub on the default 8443.
         */
        LauncherProcess launchHub(String name, Path home, int httpPort, int mqttPort, String... args)
                throws IOException {
            return launchHub(name, home, httpPort, mqttPort, HubTestOptions.freePort(), args);
        }

        LauncherProcess launchHub(String name, Path home, int httpPort, int mqttPort, int httpsPort, String... args)
                throws IOException {
            return launch(name, Map.of("LANTAARN_HOME", home.toString(), "LANTAARN_HTTP_PORT",
                    Integer.toString(httpPort), "LANTAARN_MQTT_PORT", Integer.toString(mqttPort),
                    "LANTAARN_HTTPS_PORT", Integer.toString(httpsPort)), args);
        }

        /**
         * Stops every process started (TERM to it and its descendants, e.g. a build the launcher started, then KILL
         * after {@code stopPatience}), by handle; returns those that had to be killed.
         */
        List<String> stopAll(Duration stopPatience) {
            List<String> survivors = new ArrayList<>();
            for (LauncherProcess run : started) {
                List<ProcessHandle> tree = new ArrayList<>();
                tree.add(run.process.toHandle());
                run.process.descendants().forEach(tree::add);
                tree.forEach(ProcessHandle::destroy);
                for (ProcessHandle handle : tree) {
                    try {
                        handle.onExit().get(stopPatience.toSeconds(), TimeUnit.SECONDS);
                    } catch (Exception e) {
                        handle.destroyForcibly();
                        survivors.add(handle.pid() + " " + handle.info().commandLine().orElse("(" + run.name + ")"));
                    }
                }
            }
            started.clear();
            return survivors;
        }

        /**
         * {@code ./lantaarn} builds the hub or the simulator when its jar is missing or older than a build input; the
         * reactor builds both before itests, so it must not. Checked with the launcher's own rule (see {@code stale}
         * in the script), so that a stale jar fails the test at once instead of starting a Maven build inside it.
         */
        void assertFresh(Path jar, String... folders) throws IOException {
            assertThat(jar).as("built by the reactor before itests (./mvnw verify, or ./mvnw install -DskipTests)")
                    .isRegularFile();
            FileTime built = Files.getLastModifiedTime(jar);
            List<Path> newer = new ArrayList<>();
            Path rootPom = repository.resolve("pom.xml");
            if (Files.isRegularFile(rootPom) && Files.getLastModifiedTime(rootPom).compareTo(built) > 0) {
                newer.add(rootPom);
            }
            for (String folder : folders) {
                Path start = repository.resolve(folder);
                if (!newer.isEmpty() || !Files.isDirectory(start)) {
                    continue;
                }
                Files.walkFileTree(start, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        String name = dir.getFileName().toString();
                        boolean skip = name.equals("target") || name.equals("node_modules")
                                || dir.endsWith("src/test");
                        return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        String name = file.getFileName().toString();
                        String path = "/" + repository.relativize(file).toString().replace('\\', '/');
                        boolean input = name.equals("pom.xml") || name.endsWith(".bndrun") || name.endsWith(".bnd")
                                || path.contains("/src/main/");
                        if (input && attrs.lastModifiedTime().compareTo(built) > 0) {
                            newer.add(file);
                            return FileVisitResult.TERMINATE;
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
            assertThat(newer).as("build inputs newer than %s: ./lantaarn would "
                    + "rebuild it. The reactor builds it before itests; after changing sources build again (./mvnw "
                    + "install -DskipTests) before ./mvnw -pl itests verify", jar).isEmpty();
        }

        /** The hub's jar, with the folders whose sources it is built from. */
        void assertDistributionFresh() throws IOException {
            assertFresh(repository.resolve("distribution/target/lantaarn.jar"), "api", "things-model", "bundles",
                    "adapters", "distribution");
        }
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name
                    + " is not set: run the integration tests through Maven (./mvnw verify), which sets it");
        }
        return value;
    }
}
