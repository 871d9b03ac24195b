package nl.lantaarn.audit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import nl.lantaarn.audit.api.AuditKind;

/**
 * Checks a trail folder link by link and names the first break: an entry whose content no longer matches its hash
 * (altered), an entry that does not link to the one before it (inserted, or the one before it altered and re-hashed),
 * a gap in the sequence (removed), a file missing in the middle, or a trail whose oldest entries are gone without a
 * retention entry accounting for them. Reads the files only, so it works whether or not the hub runs; a last line
 * still being written (no line break yet) is left out.
 */
public final class TrailVerifier {

    /** How a retention entry names the file it removed and the last entry in it: the anchor for the rest. */
    static final Pattern ANCHOR = Pattern.compile("up to sequence (\\d+), last hash ([0-9a-f]{64})");

    /**
     * The first break found.
     *
     * @param file     the file's name
     * @param line     the line number in it (1 for the first)
     * @param sequence the entry's sequence number, or -1 when the line could not be read
     * @param what     {@code altered}, {@code inserted}, {@code removed} or {@code unreadable}
     * @param detail   a sentence for the operator
     */
    public record Break(String file, long line, long sequence, String what, String detail) {
        @Override
        public String toString() {
            return what + " at " + file + " line " + line + (sequence >= 0 ? " (sequence " + sequence + ")" : "")
                    + ": " + detail;
        }
    }

    /**
     * @param files     trail files read
     * @param entries   entries checked
     * @param first     the first entry's sequence number (0 when there is none)
     * @param last      the last entry's sequence number
     * @param lastHash  the last entry's hash
     * @param problem   the first break, or empty when every link holds
     * @param note      something that is not a break but worth saying (a last line still being written), or empty
     */
    public record Result(int files, long entries, long first, long last, String lastHash, Optional<Break> problem,
            String note) {
        public boolean intact() {
            return problem.isEmpty();
        }
    }

    private TrailVerifier() {
        throw new AssertionError();
    }

    public static Result verify(Path directory) throws IOException {
        List<Path> files = TrailFiles.list(directory);
        Map<String, long[]> anchorSequences = new TreeMap<>();
        Map<String, String> anchorHashes = new TreeMap<>();
        collectAnchors(files, anchorSequences, anchorHashes);
        long entries = 0;
        long first = 0;
        long previousSequence = -1;
        String previousHash = null;
        String beforePreviousHash = null;
        String previousFile = null;
        long previousLine = 0;
        String note = "";
        for (int index = 0; index < files.size(); index++) {
            Path file = files.get(index);
            String name = file.getFileName().toString();
            boolean newest = index == files.size() - 1;
            boolean complete = endsWithLineBreak(file);
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String text;
                long number = 0;
                String pending = reader.readLine();
                while ((text = pending) != null) {
                    number++;
                    pending = reader.readLine();
                    if (pending == null && !complete) {
                        if (newest) {
                            note = "the last line of " + name + " has no line break yet (being written, or left by "
                                    + "an abrupt stop; the hub removes it when it starts) and was not checked";
                            break;
                        }
                        return result(files, entries, first, previousSequence, previousHash, new Break(name, number,
                                -1, "unreadable", "a line without a line break in a file that is not the newest"),
                                note);
                    }
                    StringBuilder why = new StringBuilder();
                    Optional<TrailLine.Parsed> read = TrailLine.parse(text, why);
                    if (read.isEmpty()) {
                        return result(files, entries, first, previousSequence, previousHash,
                                new Break(name, number, -1, "altered", "the line is not an audit entry: " + why),
                                note);
                    }
                    TrailLine.Parsed line = read.get();
                    long sequence = line.sequence();
                    if (!line.intact()) {
                        return result(files, entries, first, previousSequence, previousHash, new Break(name, number,
                                sequence, "altered", "the entry's content does not match its hash: it was changed "
                                        + "after it was written"), note);
                    }
                    if (previousHash == null) {
                        Optional<Break> start = checkStart(name, number, line, anchorSequences, anchorHashes);
                        if (start.isPresent()) {
                            return result(files, entries, first, previousSequence, previousHash, start.get(), note);
                        }
                        first = sequence;
                    } else if (sequence > previousSequence + 1) {
                        return result(files, entries, first, previousSequence, previousHash, new Break(name, number,
                                sequence, "removed", (sequence - previousSequence - 1) + " entries (sequence "
                                        + (previousSequence + 1) + (sequence - previousSequence > 2
                                                ? " to " + (sequence - 1) : "")
                                        + ") are missing after " + previousFile + " line " + previousLine), note);
                    } else if (sequence <= previousSequence && line.hash().equals(previousHash)) {
                        return result(files, entries, first, previousSequence, previousHash, new Break(name, number,
                                sequence, "inserted", "the entry is a copy of the one before it (" + previousFile
                                        + " line " + previousLine + ")"), note);
                    } else if (sequence <= previousSequence) {
                        boolean linksOverPrevious = line.prev().equals(beforePreviousHash);
                        return result(files, linksOverPrevious ? entries - 1 : entries, first, previousSequence,
                                previousHash, linksOverPrevious
                                ? new Break(previousFile, previousLine, previousSequence, "inserted", "the entry "
                                        + "was not written by the hub: the next entry (" + name + " line " + number
                                        + ", sequence " + sequence + ") links to the entry before it")
                                : new Break(name, number, sequence, "inserted", "sequence " + sequence
                                        + " comes again after sequence " + previousSequence), note);
                    } else if (!line.prev().equals(previousHash)) {
                        return result(files, entries, first, previousSequence, previousHash, new Break(previousFile,
                                previousLine, previousSequence, "altered", "the entry was changed or replaced after "
                                        + "it was written: the next entry (" + name + " line " + number
                                        + ") links to a different hash"), note);
                    }
                    entries++;
                    beforePreviousHash = previousHash;
                    previousHash = line.hash();
                    previousSequence = sequence;
                    previousFile = name;
                    previousLine = number;
                }
            }
        }
        return new Result(files.size(), entries, first, Math.max(0, previousSequence),
                previousHash == null ? TrailLine.GENESIS : previousHash, Optional.empty(), note);
    }

    private static Result result(List<Path> files, long entries, long first, long last, String lastHash,
            Break problem, String note) {
        return new Result(files.size(), entries, first, Math.max(0, last),
                lastHash == null ? TrailLine.GENESIS : lastHash, Optional.of(problem), note);
    }

    /** The oldest entry held: the first ever, or the one after the last entry of a file retention removed. */
    private static Optional<Break> checkStart(String name, long number, TrailLine.Parsed line,
            Map<String, long[]> anchorSequences, Map<String, String> anchorHashes) {
        if (line.sequence() == 1 && line.prev().equals(TrailLine.GENESIS)) {
            return Optional.empty();
        }
        // the newest file removed by retention that is older than this one must end where this one begins
        String anchorFile = ((TreeMap<String, long[]>) anchorSequences).lowerKey(name);
        if (anchorFile == null) {
            return Optional.of(new Break(name, number, line.sequence(), "removed", "the trail starts at sequence "
                    + line.sequence() + ", but no retention entry says that the entries before it were removed "
                    + "on purpose: a file or its first lines were deleted"));
        }
        long anchorSequence = anchorSequences.get(anchorFile)[0];
        if (anchorSequence + 1 != line.sequence() || !anchorHashes.get(anchorFile).equals(line.prev())) {
            return Optional.of(new Break(name, number, line.sequence(), "removed", "retention removed " + anchorFile
                    + " ending at sequence " + anchorSequence + ", but the oldest entry held is sequence "
                    + line.sequence() + " and does not link to it: a file or lines after " + anchorFile
                    + " were deleted"));
        }
        return Optional.empty();
    }

    private static void collectAnchors(List<Path> files, Map<String, long[]> sequences, Map<String, String> hashes)
            throws IOException {
        String marker = "\"kind\":\"" + AuditKind.TRAIL.id() + "\"";
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String text;
                while ((text = reader.readLine()) != null) {
                    if (!text.contains(marker) || !text.contains("\"outcome\":\"deleted\"")) {
                        continue;
                    }
                    Optional<TrailLine.Parsed> read = TrailLine.parse(text, new StringBuilder());
                    if (read.isPresent() && read.get().intact()) {
                        Matcher anchor = ANCHOR.matcher(read.get().entry().detail());
                        if (anchor.find()) {
                            sequences.put(read.get().entry().resource(), new long[] {Long.parseLong(anchor.group(1))});
                            hashes.put(read.get().entry().resource(), anchor.group(2));
                        }
                    }
                }
            }
        }
    }

    private static boolean endsWithLineBreak(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length == 0) {
                return true;
            }
            raf.seek(length - 1);
            return raf.read() == '\n';
        }
    }
}
