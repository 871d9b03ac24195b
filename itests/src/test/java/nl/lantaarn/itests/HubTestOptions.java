package nl.lantaarn.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Constants;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;

/**
 * The one place that says what a test framework holds: exactly the distribution's resolved run bundles
 * ({@code distribution/target/runbundles}), the framework properties of its launcher, a fresh hub home per test class,
 * and what Pax Exam itself needs (JUnit, Awaitility, AssertJ for the probe).
 * <p>
 * Runs outside the framework (in {@code @Configuration}); code inside the framework finds the home and ports through
 * the framework properties named here (see {@link Hub}).
 */
public final class HubTestOptions {

    /** Framework property: the HTTP port the hub listens on in this test. */
    public static final String HTTP_PORT = "lantaarn.itest.http.port";
    /** Framework property: host of the broker the test publishes to. */
    public static final String MQTT_HOST = "lantaarn.itest.mqtt.host";
    /** Framework property: port of the broker the test publishes to. */
    public static final String MQTT_PORT = "lantaarn.itest.mqtt.port";
    /** Framework property: {@code embedded} or {@code external}. */
    public static final String MQTT_BROKER = "lantaarn.itest.mqtt.broker";
    /** Framework property: the hub home directory, read by the hub. */
    public static final String HOME = "lantaarn.home";

    /** System properties set by the build (itests/pom.xml, failsafe). */
    static final String RUNBUNDLES = "lantaarn.itest.runbundles";
    static final String LAUNCHER = "lantaarn.itest.launcher";
    static final String ROUTES = "lantaarn.itest.routes";
    static final String ETC = "lantaarn.itest.etc";
    static final String CROWD_ADAPTER = "lantaarn.itest.crowdAdapter";
    static final String WORK = "lantaarn.itest.work";

    /** Pax Exam asks a test class for its configuration more than once: one home per class all the same. */
    private static final Map<Class<?>, Option[]> CONFIGURED = new ConcurrentHashMap<>();

    private HubTestOptions() {
        throw new AssertionError("no instances");
    }

    /** The hub on its embedded broker, in a fresh home for {@code testClass}. */
    public static Option[] embedded(Class<?> testClass) {
        return CONFIGURED.computeIfAbsent(testClass, c -> {
            HubHome home = HubHome.create(c);
            home.writeEmbeddedBrokerConfig();
            return options(home, "127.0.0.1", home.mqttPort(), "embedded");
        }).clone();
    }

    /** The hub connected to an external broker (anonymous access), its embedded broker off. */
    public static Option[] externalBroker(Class<?> testClass, String host, int port) {
        return CONFIGURED.computeIfAbsent(testClass, c -> {
            HubHome home = HubHome.create(c);
            home.writeExternalBrokerConfig(host, port);
            return options(home, host, port, "external");
        }).clone();
    }

    private static Option[] options(HubHome home, String mqttHost, int mqttPort, String broker) {
        List<Option> options = new ArrayList<>();
        options.add(workingDirectory(home.work().resolve("exam").toString()));
        options.add(cleanCaches(true));
        options.add(systemTimeout(120_000));

        // the distribution's own framework properties first, then what this test needs
        launcherProperties().forEach((key, value) -> options.add(frameworkProperty(key).value(value)));
        // what ./lantaarn passes as -D, for this test's home; values with ${lantaarn.home} follow it
        Path dir = home.dir();
        options.add(frameworkProperty(HOME).value(dir.toString()));
        options.add(frameworkProperty("org.ops4j.pax.logging.property.file")
                .value(startupLoggingConfig(home).toString()));
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(home.httpPort())));
        options.add(frameworkProperty("org.osgi.service.http.host").value("127.0.0.1"));
        // start every bundle before the framework reports STARTED, as the launcher does (the probe comes after)
        options.add(frameworkProperty("org.osgi.framework.startlevel.beginning")
                .value(Integer.toString(Constants.START_LEVEL_TEST_BUNDLE)));
        options.add(frameworkProperty(HTTP_PORT).value(Integer.toString(home.httpPort())));
        options.add(frameworkProperty(MQTT_HOST).value(mqttHost));
        options.add(frameworkProperty(MQTT_PORT).value(Integer.toString(mqttPort)));
        options.add(frameworkProperty(MQTT_BROKER).value(broker));

        // start level 1, as the launcher starts them: the hub comes up before Pax Exam's own bundles (level 2)
        for (Path jar : runBundles()) {
            UrlProvisionOption option = bundle(jar.toUri().toString()).startLevel(1);
            options.add(isFragment(jar) ? option.noStart() : option);
        }
        for (String systemPackage : launcherSystemPackages()) {
            options.add(systemPackage(systemPackage));
        }

        // what the probe needs besides the hub; Pax Exam's own bundles come from pax-exam-link-assembly
        options.add(junitBundles());
        options.add(mavenBundle("org.awaitility", "awaitility").versionAsInProject());
        options.add(mavenBundle("org.hamcrest", "hamcrest").versionAsInProject());
        options.add(mavenBundle("org.assertj", "assertj-core").versionAsInProject());
        options.add(mavenBundle("net.bytebuddy", "byte-buddy").versionAsInProject());
        return options.toArray(new Option[0]);
    }

    /**
     * The home's {@code etc/org.ops4j.pax.logging.cfg} with {@code ${lantaarn.home}} filled in, next to the home. Pax
     * Logging reads this file at start-up and resolves {@code ${...}} from system properties only, where
     * {@code ./lantaarn} passes {@code -Dlantaarn.home}; the test JVM runs many frameworks, each with its home in a
     * framework property, so the shipped file as it is would log into a folder literally named
     * {@code ${lantaarn.home}} in the working directory until FileInstall delivers {@code etc/} (which resolves
     * framework properties).
     */
    private static Path startupLoggingConfig(HubHome home) {
        Path shipped = home.dir().resolve("etc").resolve("org.ops4j.pax.logging.cfg");
        Path resolved = home.work().resolve("org.ops4j.pax.logging.cfg");
        if (!Files.isRegularFile(shipped)) {
            return shipped; // nothing to resolve: Pax Logging keeps its defaults, as with ./lantaarn
        }
        try {
            // forward slashes: a backslash is an escape in a properties file
            String dir = home.dir().toString().replace('\\', '/');
            write(resolved, Files.readString(shipped, StandardCharsets.UTF_8).replace("${" + HOME + "}", dir));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + shipped, e);
        }
        return resolved;
    }

    /** The jars of {@code distribution/target/runbundles}, in the order the distribution's launcher starts them. */
    static List<Path> runBundles() {
        Path folder = requiredPath(RUNBUNDLES);
        List<Path> jars = jarsIn(folder);
        if (jars.isEmpty()) {
            throw new IllegalStateException("No bundles in " + folder
                    + ": build the distribution first (./mvnw verify builds it before itests)");
        }
        return inLaunchOrder(folder, jars);
    }

    /**
     * The folder must hold what the executable jar launches, no more (a stale jar) and no less. The launcher's order is
     * the start order ({@code -runstartlevel} in the bndrun); Felix keeps it for bundles installed in that order on
     * one start level.
     */
    private static List<Path> inLaunchOrder(Path folder, List<Path> jars) {
        String launched = readLauncherProperties().getProperty("launch.bundles", "").trim();
        if (launched.isEmpty()) {
            throw new IllegalStateException(System.getProperty(LAUNCHER) + " launches no bundles (launch.bundles)");
        }
        List<String> order = new ArrayList<>();
        for (String entry : launched.split(",")) {
            order.add(entry.trim().substring(entry.trim().lastIndexOf('/') + 1));
        }
        Map<String, Path> present = new LinkedHashMap<>();
        jars.forEach(jar -> present.put(jar.getFileName().toString(), jar));
        Set<String> extra = new TreeSet<>(present.keySet());
        extra.removeAll(order);
        Set<String> missing = new TreeSet<>(order);
        missing.removeAll(present.keySet());
        if (!extra.isEmpty() || !missing.isEmpty()) {
            throw new IllegalStateException("The run bundles in " + folder + " differ from what "
                    + System.getProperty(LAUNCHER) + " launches: not launched " + extra + ", missing " + missing
                    + ". Rebuild the distribution from clean (./mvnw clean verify)");
        }
        // the launcher starts by start level (logging and ConfigAdmin, then FileInstall, then the rest), so that every
        // component finds its etc/ configuration when it first activates; one start level here, so sort by it
        Map<String, Integer> levels = launcherStartLevels();
        return order.stream().map(present::get)
                .sorted(java.util.Comparator.comparingInt(jar -> levels.getOrDefault(symbolicName(jar), Integer.MAX_VALUE)))
                .collect(Collectors.toList());
    }

    /** Bundle symbolic name to start level, from the launcher's {@code launch.runbundles.attrs}. */
    private static Map<String, Integer> launcherStartLevels() {
        Map<String, Integer> levels = new java.util.HashMap<>();
        String attrs = readLauncherProperties().getProperty("launch.runbundles.attrs", "");
        for (String entry : attrs.split(",")) {
            String[] parts = entry.trim().split(";");
            for (String part : parts) {
                if (part.startsWith("startlevel=")) {
                    levels.put(parts[0].trim(), Integer.parseInt(part.substring("startlevel=".length()).trim()));
                }
            }
        }
        return levels;
    }

    private static String symbolicName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            return name == null ? "" : name.split(";")[0].trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + jar, e);
        }
    }

    private static List<Path> jarsIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f)).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the run bundles in " + folder, e);
        }
    }

    private static boolean isFragment(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + jar, e);
        }
    }

    /**
     * The run properties of the distribution's executable jar ({@code launcher.properties}), so the test framework is
     * configured as {@code ./lantaarn} configures it. Launcher settings and the storage location stay Pax Exam's.
     */
    static Map<String, String> launcherProperties() {
        Map<String, String> result = new LinkedHashMap<>();
        Properties launcher = readLauncherProperties();
        for (String key : launcher.stringPropertyNames()) {
            // Pax Exam owns the framework's storage and start levels
            if (!key.startsWith("launch.") && !key.startsWith("org.osgi.framework.storage")
                    && !key.equals("org.osgi.framework.startlevel.beginning")
                    && !key.equals("org.osgi.framework.system.packages.extra")) {
                result.put(key, launcher.getProperty(key));
            }
        }
        return result;
    }

    /**
     * Packages the launcher adds to the system bundle ({@code -runsystempackages}). The framework's own
     * {@code org.osgi.*} packages, which bnd lists too, Felix exports anyway.
     */
    private static List<String> launcherSystemPackages() {
        Properties launcher = readLauncherProperties();
        List<String> packages = new ArrayList<>();
        for (String key : List.of("launch.system.packages", "org.osgi.framework.system.packages.extra")) {
            for (String clause : splitClauses(launcher.getProperty(key, ""))) {
                if (!clause.isEmpty() && !clause.startsWith("org.osgi.")) {
                    packages.add(clause);
                }
            }
        }
        return packages;
    }

    /** Splits an OSGi header at the commas that are not inside quotes. */
    private static List<String> splitClauses(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            clauses.add(current.toString().trim());
        }
        return clauses;
    }

    /** {@code launcher.properties} of {@code distribution/target/lantaarn.jar}: run properties, run bundles in order. */
    private static Properties readLauncherProperties() {
        Path jarPath = requiredPath(LAUNCHER);
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            var entry = jar.getEntry("launcher.properties");
            if (entry == null) {
                throw new IllegalStateException(jarPath + " has no launcher.properties: is it bnd's executable jar?");
            }
            Properties properties = new Properties();
            try (InputStream in = jar.getInputStream(entry)) {
                properties.load(in);
            }
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read launcher.properties from " + jarPath, e);
        }
    }

    static Path requiredPath(String systemProperty) {
        String value = System.getProperty(systemProperty);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + systemProperty
                    + " is not set: run the integration tests through Maven (./mvnw verify), which sets it");
        }
        Path path = Paths.get(value).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException(systemProperty + " points at " + path + ", which does not exist");
        }
        return path;
    }

    /** A port nothing listens on right now on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
