package nl.lantaarn.adapter.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import nl.lantaarn.adapter.api.InboundMessage;

/**
 * One recorded payload that an adapter must map to at least one valid thing update: a name for test reports, the
 * origin it arrives on (an MQTT topic, a URL, a file name), the raw bytes and optional transport attributes. Immutable.
 */
public final class Sample {

    /** The arrival time of every sample message, fixed so mappings that fall back to it are reproducible. */
    public static final Instant RECEIVED_AT = Instant.parse("2026-11-24T12:00:00Z");

    /** Samples larger than this are refused: a sample is a single payload, not a data set. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private final String name;
    private final String origin;
    private final byte[] payload;
    private final Map<String, String> attributes;

    private Sample(String name, String origin, byte[] payload, Map<String, String> attributes) {
        this.name = Objects.requireNonNull(name, "name");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.payload = Objects.requireNonNull(payload, "payload").clone();
        this.attributes = Map.copyOf(attributes);
    }

    /**
     * @param name    shown in test names, e.g. {@code uplink-with-gps}
     * @param origin  where the payload arrives, e.g. the MQTT topic {@code v3/city@ttn/devices/n-7/up}
     * @param payload the raw bytes (copied)
     */
    public static Sample of(String name, String origin, byte[] payload) {
        return new Sample(name, origin, payload, Map.of());
    }

    /** @param attributes transport details, see the constants of {@link InboundMessage} */
    public static Sample of(String name, String origin, byte[] payload, Map<String, String> attributes) {
        return new Sample(name, origin, payload, attributes);
    }

    /** A UTF-8 text payload, e.g. a JSON literal in the test. */
    public static Sample of(String name, String origin, String payload) {
        return of(name, origin, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A payload read from a file; the sample's name is the file name. */
    public static Sample fromFile(Path file, String origin) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new IllegalArgumentException("sample " + file + " has " + size + " bytes; a sample must be one "
                        + "payload of at most " + MAX_BYTES + " bytes");
            }
            return of(file.getFileName().toString(), origin, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample " + file.toAbsolutePath(), e);
        }
    }

    /**
     * Every regular file in {@code folder} (not its subfolders) whose name matches {@code glob}, sorted by name.
     *
     * @param glob e.g. {@code *.json}
     * @throws IllegalArgumentException when no file matches, so a misplaced folder cannot pass silently
     */
    public static List<Sample> fromFolder(Path folder, String glob, String origin) {
        PathMatcher matcher = folder.getFileSystem().getPathMatcher("glob:" + glob);
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(Files::isRegularFile)
                    .filter(file -> matcher.matches(file.getFileName()))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list sample folder " + folder.toAbsolutePath(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no sample files matching '" + glob + "' in "
                    + folder.toAbsolutePath());
        }
        return files.stream().map(file -> fromFile(file, origin)).collect(Collectors.toUnmodifiableList());
    }

    public String name() {
        return name;
    }

    public String origin() {
        return origin;
    }

    /** A copy of the raw payload. */
    public byte[] payload() {
        return payload.clone();
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    /** The payload as the hub would hand it to the adapter, received at {@link #RECEIVED_AT}. */
    public InboundMessage message() {
        return new InboundMessage(origin, payload.clone(), RECEIVED_AT, attributes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample other && name.equals(other.name) && origin.equals(other.origin)
                && Arrays.equals(payload, other.payload) && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, origin, Arrays.hashCode(payload), attributes);
    }

    @Override
    public String toString() {
        return name;
    }
}
