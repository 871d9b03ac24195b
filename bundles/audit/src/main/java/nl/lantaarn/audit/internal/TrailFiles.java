package nl.lantaarn.audit.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The trail's files: {@code audit-YYYY-MM-DD.jsonl}, one per UTC day in which the writer wrote; the chain runs from
 * the oldest file's first line to the newest file's last. Other files in the folder are not the trail's.
 */
public final class TrailFiles {

    static final String PREFIX = "audit-";
    static final String SUFFIX = ".jsonl";

    private TrailFiles() {
        throw new AssertionError();
    }

    static String name(LocalDate day) {
        return PREFIX + day + SUFFIX;
    }

    /** The day of a trail file's name, or empty when it is not one. */
    static Optional<LocalDate> day(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(name.substring(PREFIX.length(), name.length() - SUFFIX.length())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The trail's files in {@code directory}, oldest first; none when there is no such folder. */
    public static List<Path> list(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path file : stream) {
                if (day(file).isPresent() && Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        }
        files.sort((a, b) -> day(a).orElseThrow().compareTo(day(b).orElseThrow()));
        return files;
    }
}
