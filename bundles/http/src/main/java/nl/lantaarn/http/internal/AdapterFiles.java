package nl.lantaarn.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

/**
 * The files through which adapters are managed while the hub runs: instance configurations in {@code etc/}
 * ({@code nl.lantaarn.adapter.<type>~<name>.cfg}) and adapter bundles in {@code deploy/}, both picked up by FileInstall.
 * Every file is written to a hidden temporary file first and then moved into place, so FileInstall never reads half a
 * file.
 */
final class AdapterFiles {

    static final String CONFIG_PREFIX = "nl.lantaarn.adapter.";
    static final Pattern PART = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");
    static final int MAX_PROPERTIES = 200;
    static final int MAX_VALUE_CHARS = 8192;
    static final String DEFAULT_NAME = "default";

    /** Bundles installed in the framework, for telling a deployed adapter bundle from a part of the hub. */
    interface InstalledBundles {
        /** Every installed bundle with this symbolic name. */
        List<Installed> withSymbolicName(String symbolicName);

        record Installed(String version, String location, String state) {
        }
    }

    /** A request the files cannot serve; the status and detail say why. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String title;

        Refused(int status, String title, String detail) {
            super(detail);
            this.status = status;
            this.title = title;
        }
    }

    /** An adapter instance id split into type and name: {@code ttn} is ttn/default, {@code ttn.eindhoven} ttn/eindhoven. */
    record Instance(String type, String name) {
        String id() {
            return DEFAULT_NAME.equals(name) ? type : type + "." + name;
        }

        String fileName() {
            return CONFIG_PREFIX + type + "~" + name + ".cfg";
        }
    }

    /** A bundle jar in {@code deploy/}. */
    record Jar(String file, String symbolicName, String version, long size, Instant modified, String state) {
    }

    /** An accepted upload. */
    record Deployed(String symbolicName, String version, String file, boolean replaced) {
    }

    private final Path etc;
    private final Path deploy;
    private final InstalledBundles installed;

    AdapterFiles(Path home, InstalledBundles installed) {
        this.etc = home.resolve("etc");
        this.deploy = home.resolve("deploy");
        this.installed = installed;
    }

    static Instance instance(String id) throws Refused {
        int dot = id.indexOf('.');
        String type = dot < 0 ? id : id.substring(0, dot);
        String name = dot < 0 ? DEFAULT_NAME : id.substring(dot + 1);
        if (!PART.matcher(type).matches() || !PART.matcher(name).matches()) {
            throw new Refused(400, "Invalid adapter id", "'" + id + "' is not an adapter instance id; use <type> for "
                    + "the default instance (e.g. ttn) or <type>.<name> (e.g. ttn.eindhoven), each part 1-63 "
                    + "lower-case letters, digits and dashes.");
        }
        return new Instance(type, name);
    }

    // --- configuration ----------------------------------------------------------------------------------------------

    /** The properties of a configuration body: a JSON object of strings (numbers and booleans are taken as text). */
    static Map<String, String> properties(JsonObject body) throws Refused {
        if (body.getSize() > MAX_PROPERTIES) {
            throw new Refused(400, "Too many properties", "The configuration has " + body.getSize()
                    + " properties; at most " + MAX_PROPERTIES + " are accepted.");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (JsonField field : body) {
            String key = field.getKeyName();
            if (!KEY.matcher(key).matches()) {
                throw new Refused(400, "Invalid property name", "Property name '" + shorten(key) + "' must be 1-128 "
                        + "letters, digits, dots, dashes and underscores, starting with a letter or digit.");
            }
            if (key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")) {
                throw new Refused(400, "Invalid property name", "Property '" + key + "' is set by the framework, not "
                        + "in a configuration; leave it out.");
            }
            JsonValue value = field.getValue();
            String text;
            if (value.isString()) {
                text = value.asString();
            } else if (value.isNumber() || value.isBoolean()) {
                text = value.toString();
            } else {
                throw new Refused(400, "Invalid property value", "Property '" + key + "' must be a string (or a "
                        + "number or boolean), was " + (value.isNull() ? "null" : value.isObject() ? "an object"
                                : "an array") + "; leave a property out to use its default.");
            }
            if (text.length() > MAX_VALUE_CHARS) {
                throw new Refused(400, "Invalid property value", "Property '" + key + "' is " + text.length()
                        + " characters long; at most " + MAX_VALUE_CHARS + " are accepted.");
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw new Refused(400, "Invalid property value", "Property '" + key + "' holds a line break or "
                            + "another control character at position " + (i + 1) + "; a value is one line of text.");
                }
            }
            properties.put(key, text);
        }
        return properties;
    }

    /**
     * The instance's configuration file: {@code <type>~<name>.cfg}; for the default instance an existing
     * {@code nl.lantaarn.adapter.<type>.cfg} (which the runtime reads as the default instance too) is used instead, so
     * that there are never two files for one instance.
     */
    Path configFile(Instance instance) {
        Path named = etc.resolve(instance.fileName());
        if (DEFAULT_NAME.equals(instance.name()) && !Files.exists(named)) {
            Path plain = etc.resolve(CONFIG_PREFIX + instance.type() + ".cfg");
            if (Files.exists(plain)) {
                return plain;
            }
        }
        return named;
    }

    /** Writes the instance's configuration file; true when it did not exist before. */
    boolean writeConfiguration(Instance instance, Map<String, String> properties, String client) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("# Adapter instance ").append(instance.id()).append(", written through the HTTP API (PUT /api/v1/")
                .append("adapters/").append(instance.id()).append("/configuration)\n# by ").append(client).append(" at ")
                .append(Instant.now()).append(". Edits here apply as well; the next PUT replaces this file.\n");
        properties.forEach((key, value) -> text.append(key).append(" = ").append(escape(value)).append('\n'));
        Path target = configFile(instance);
        boolean created = !Files.exists(target);
        writeAtomically(target, text.toString().getBytes(StandardCharsets.ISO_8859_1));
        return created;
    }

    boolean deleteConfiguration(Instance instance) throws IOException {
        return Files.deleteIfExists(configFile(instance));
    }

    /**
     * A value in the properties-file syntax: backslashes doubled, a leading space kept, everything outside printable
     * ASCII as a unicode escape, so the file reads the same whatever encoding the reader assumes.
     */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (i == 0 && c == ' ') {
                out.append("\\ ");
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void writeAtomically(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (var channel = Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            force(temp);
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void force(Path file) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // --- bundles ----------------------------------------------------------------------------------------------------

    /** A new hidden file in {@code deploy/} to receive an upload; FileInstall ignores it (not {@code *.jar}). */
    Path newUpload() throws IOException {
        Files.createDirectories(deploy);
        return Files.createFile(deploy.resolve(".upload-" + UUID.randomUUID() + ".tmp"));
    }

    OutputStream open(Path upload) throws IOException {
        return Files.newOutputStream(upload, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Checks an uploaded file and moves it to {@code deploy/<symbolicName>.jar}; the upload is gone afterwards,
     * whether it was accepted or not.
     */
    Deployed deploy(Path upload) throws IOException, Refused {
        try {
            Manifest manifest = manifest(upload);
            String symbolicName = symbolicName(manifest);
            String version = version(manifest);
            for (InstalledBundles.Installed bundle : installed.withSymbolicName(symbolicName)) {
                if (!inDeploy(bundle.location())) {
                    throw new Refused(409, "Bundle is part of the hub", "Bundle " + symbolicName + " " + bundle.version()
                            + " is part of the hub itself (installed from " + bundle.location() + "), not an adapter "
                            + "bundle; upgrade it with the distribution, or give the adapter its own symbolic name.");
                }
            }
            Path target = deploy.resolve(symbolicName + ".jar");
            for (Jar other : jars()) {
                if (symbolicName.equals(other.symbolicName()) && !other.file().equals(target.getFileName().toString())) {
                    throw new Refused(409, "Bundle already deployed", "deploy/" + other.file() + " already holds bundle "
                            + symbolicName + " " + other.version() + "; delete it first (DELETE /api/v1/adapters/bundles/"
                            + symbolicName + "), so that the bundle is not installed twice.");
                }
            }
            boolean replaced = Files.exists(target);
            force(upload);
            move(upload, target);
            return new Deployed(symbolicName, version, target.getFileName().toString(), replaced);
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    private static Manifest manifest(Path file) throws IOException, Refused {
        try (JarFile jar = new JarFile(file.toFile(), false)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                throw new Refused(422, "Not a bundle", "The jar has no META-INF/MANIFEST.MF; an adapter bundle needs "
                        + "one with Bundle-SymbolicName (the bnd-maven-plugin writes it).");
            }
            return manifest;
        } catch (ZipException | SecurityException e) {
            throw new Refused(422, "Not a jar", "The body is not a jar (zip) file (" + e.getMessage() + "); send the "
                    + "adapter bundle's .jar with Content-Type: application/java-archive.");
        }
    }

    private static String symbolicName(Manifest manifest) throws Refused {
        String header = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        if (header == null || header.isBlank()) {
            throw new Refused(422, "Not a bundle", "The jar's manifest has no Bundle-SymbolicName header, so it is "
                    + "not an OSGi bundle; build the adapter with the bnd-maven-plugin (see adapters/archetype).");
        }
        String name = header.split(";", 2)[0].trim();
        if (!SYMBOLIC_NAME.matcher(name).matches()) {
            throw new Refused(422, "Invalid symbolic name", "Bundle-SymbolicName '" + shorten(name) + "' must be "
                    + "letters, digits, dots, dashes and underscores, e.g. nl.lantaarn.adapters.ttn.");
        }
        return name;
    }

    private static String version(Manifest manifest) throws Refused {
        String header = manifest.getMainAttributes().getValue("Bundle-Version");
        if (header == null || header.isBlank()) {
            return "0.0.0";
        }
        try {
            return org.osgi.framework.Version.parseVersion(header.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw new Refused(422, "Invalid bundle version", "Bundle-Version '" + shorten(header) + "' is not an OSGi "
                    + "version (major.minor.micro.qualifier, e.g. 1.2.0).");
        }
    }

    /** Whether a bundle location is a jar in {@code deploy/} (as FileInstall installs them). */
    boolean inDeploy(String location) {
        if (location == null) {
            return false;
        }
        String text = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        try {
            Path parent = Path.of(URI.create(text)).toAbsolutePath().normalize().getParent();
            Path folder = deploy.toAbsolutePath().normalize();
            if (parent == null) {
                return false;
            }
            if (parent.equals(folder)) {
                return true;
            }
            return Files.exists(parent) && Files.exists(folder) && parent.toRealPath().equals(folder.toRealPath());
        } catch (RuntimeException | IOException e) {
            return false;
        }
    }

    /** The jars in {@code deploy/}, by file name. */
    List<Jar> jars() throws IOException {
        List<Jar> jars = new ArrayList<>();
        if (!Files.isDirectory(deploy)) {
            return jars;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(deploy, "*.jar")) {
            for (Path file : files) {
                if (!Files.isRegularFile(file) || file.getFileName().toString().startsWith(".")) {
                    continue;
                }
                String symbolicName = null;
                String version = null;
                try {
                    Manifest manifest = manifest(file);
                    symbolicName = symbolicName(manifest);
                    version = version(manifest);
                } catch (Refused | IOException e) {
                    // listed without a name: FileInstall cannot install it either
                }
                String state = null;
                if (symbolicName != null) {
                    state = installed.withSymbolicName(symbolicName).stream()
                            .filter(bundle -> inDeploy(bundle.location()))
                            .map(InstalledBundles.Installed::state).findFirst().orElse(null);
                }
                jars.add(new Jar(file.getFileName().toString(), symbolicName, version, Files.size(file),
                        Files.getLastModifiedTime(file).toInstant(), state));
            }
        }
        jars.sort(java.util.Comparator.comparing(Jar::file));
        return jars;
    }

    /** The jar in {@code deploy/} holding this bundle: {@code <symbolicName>.jar}, or another file with that name. */
    Optional<Path> jarOf(String symbolicName) throws IOException {
        Path named = deploy.resolve(symbolicName + ".jar");
        if (Files.isRegularFile(named)) {
            return Optional.of(named);
        }
        for (Jar jar : jars()) {
            if (symbolicName.equals(jar.symbolicName())) {
                return Optional.of(deploy.resolve(jar.file()));
            }
        }
        return Optional.empty();
    }

    static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
