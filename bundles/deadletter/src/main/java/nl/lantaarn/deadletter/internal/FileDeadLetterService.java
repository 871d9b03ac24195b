package nl.lantaarn.deadletter.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldDefinition;
import org.eclipse.ditto.json.JsonObject;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterQuery;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.personaldata.api.DataSubject;
import nl.lantaarn.personaldata.api.PersonalDataStore;
import nl.lantaarn.personaldata.api.RetentionRules;
import nl.lantaarn.runtime.api.HubHome;

/**
 * Dead letters kept in an append-only JSON-lines file under {@code <home>/data/dead-letters/}, with the newest ones in
 * memory for listing. Each line is a dead letter, or an operation on an earlier one ({@code "op":"remove"} after a
 * successful replay, {@code "op":"reason"} after a replay that was rejected again), applied in file order at start.
 * Every line is written before the call returns, so dead letters, removals and new reasons survive a crash. When
 * superseded lines outnumber the live dead letters, the file is rewritten with only the live ones.
 * <p>
 * Rejected payloads are rare compared with accepted ones, so one lock for the file and the index is no hot-path cost.
 * Every live dead letter is indexed by id (id and file offset); only the newest {@code memoryLimit} are held whole.
 */
@Component(service = {DeadLetterService.class, HealthContributor.class, PersonalDataStore.class},
        configurationPid = "nl.lantaarn.deadletter")
@Designate(ocd = FileDeadLetterService.Config.class)
public final class FileDeadLetterService implements DeadLetterService, HealthContributor, PersonalDataStore {

    @ObjectClassDefinition(name = "Lantaarn dead letters", description = "Where rejected payloads are kept.")
    public @interface Config {
        @AttributeDefinition(name = "Directory", description = "Folder of the dead-letter file; relative to the hub home.")
        String directory() default "data/dead-letters";

        @AttributeDefinition(name = "Listed in memory", description = "How many of the newest dead letters are held in "
                + "memory; listing and filtering cover these.", min = "1")
        int memoryLimit() default 10_000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileDeadLetterService.class);
    static final String FILE_NAME = "dead-letters.jsonl";
    /** Superseded lines tolerated before a rewrite, whatever the number of live dead letters. */
    static final int COMPACT_MIN_GARBAGE = 1000;
    /** A line longer than this is not a dead letter this service wrote (payloads are bounded well below it). */
    private static final int MAX_LINE_BYTES = 64 * 1024 * 1024;
    private static final JsonFieldDefinition<String> OP = JsonFactory.newStringFieldDefinition("op");
    private static final JsonFieldDefinition<String> ID = JsonFactory.newStringFieldDefinition("id");
    private static final JsonFieldDefinition<String> REASON = JsonFactory.newStringFieldDefinition("reason");

    private final Path directory;
    private final Path file;
    private final int memoryLimit;
    private final WarnLimiter warnLimiter = new WarnLimiter(10, 60_000);
    /** Live dead letters in file order (by sequence number). */
    private final NavigableMap<Long, Slot> live = new TreeMap<>();
    private final Map<String, Slot> byId = new HashMap<>();
    /** The newest live dead letters, held whole; a subset of {@link #live}. */
    private final NavigableMap<Long, Slot> held = new TreeMap<>();
    private final int compactMinGarbage;
    private FileChannel channel;
    /** Where the next line goes. */
    private long end;
    /** The file may end in a partial line (a failed write), so the next line starts on a fresh one. */
    private boolean dirty;
    private long nextSeq;
    /** Lines in the file that no longer describe a live dead letter: removed ones, operations, replaced records. */
    private long garbage;
    private String lastWriteError;

    /** One live dead letter: where its line is and, while among the newest, the letter itself. */
    private static final class Slot {
        final long seq;
        final String id;
        /** Offset of its record line, or -1 when writing it failed (then it lives in memory only). */
        long offset;
        /** Its reason when changed after its record line was written, else {@code null}. */
        String reason;
        DeadLetter letter;

        Slot(long seq, String id, long offset) {
            this.seq = seq;
            this.id = id;
            this.offset = offset;
        }
    }

    @Activate
    public FileDeadLetterService(BundleContext context, Config config) {
        this(HubHome.of(context).resolve(config.directory()), config.memoryLimit());
    }

    /** Outside OSGi: the HTTP API's tests run against the real service on a temporary folder. */
    public FileDeadLetterService(Path directory, int memoryLimit) {
        this(directory, memoryLimit, COMPACT_MIN_GARBAGE);
    }

    FileDeadLetterService(Path directory, int memoryLimit, int compactMinGarbage) {
        this.directory = directory;
        this.file = directory.resolve(FILE_NAME);
        this.memoryLimit = Math.max(1, memoryLimit);
        this.compactMinGarbage = compactMinGarbage;
        try {
            Files.createDirectories(directory);
            channel = open(file);
            load();
            end = channel.size();
            dirty = endsWithPartialLine();
            if (shouldCompact()) {
                compactQuietly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the dead-letter file " + file
                    + "; check that the folder is writable or set 'directory' in etc/nl.lantaarn.deadletter.cfg", e);
        }
        LOG.debug("Dead letters kept in {} ({} live)", file, live.size());
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public DeadLetter record(String source, String origin, String reason, byte[] payload, Instant receivedAt) {
        DeadLetter letter = new DeadLetter(UUID.randomUUID().toString(), source, origin, reason, receivedAt, payload);
        synchronized (this) {
            long offset;
            try {
                offset = append(toJson(letter));
                lastWriteError = null;
            } catch (IOException e) {
                // Still listed from memory; health says the file is failing so an operator can act.
                if (lastWriteError == null) {
                    LOG.error("Cannot write dead letter {} to {}: {}", letter.id(), file, e.toString());
                }
                lastWriteError = e.toString();
                offset = -1;
            }
            Slot slot = new Slot(nextSeq++, letter.id(), offset);
            slot.letter = letter;
            live.put(slot.seq, slot);
            byId.put(slot.id, slot);
            held.put(slot.seq, slot);
            trimHeld();
        }
        if (warnLimiter.tryAcquire()) {
            LOG.warn("Dead letter {} from {} ({}): {}", letter.id(), source, origin, reason);
        } else {
            LOG.debug("Dead letter {} from {} ({}): {}", letter.id(), source, origin, reason);
        }
        return letter;
    }

    @Override
    public List<DeadLetter> list(String source, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return list(new DeadLetterQuery(source, null, null, null, limit));
    }

    @Override
    public synchronized List<DeadLetter> list(DeadLetterQuery query) {
        Objects.requireNonNull(query, "query");
        List<DeadLetter> result = new ArrayList<>(Math.min(query.limit(), held.size()));
        for (Slot slot : held.descendingMap().values()) {
            if (result.size() >= query.limit()) {
                break;
            }
            if (query.matches(slot.letter)) {
                result.add(slot.letter);
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- personal data: retention, erasure, export

    @Override
    public String name() {
        return "dead-letters";
    }

    /** Removes the dead letters received longer ago than the retention of their source (an adapter's manifest). */
    @Override
    public long expire(RetentionRules rules, Instant now) {
        Map<String, Instant> cutoffs = new HashMap<>();
        return removeWhere(letter -> letter.receivedAt().isBefore(
                cutoffs.computeIfAbsent(letter.source(), source -> now.minus(rules.source(source)))));
    }

    @Override
    public synchronized List<String> export(DataSubject subject) {
        List<String> result = new ArrayList<>();
        for (DeadLetter letter : allLetters()) {
            if (concerns(letter, subject)) {
                result.add(JsonObject.newBuilder().set("id", letter.id()).set("source", letter.source())
                        .set("origin", letter.origin()).set("reason", letter.reason())
                        .set("receivedAt", letter.receivedAt().toString()).set("payload", letter.payloadAsString())
                        .build().toString());
            }
        }
        return result;
    }

    /**
     * Removes the dead letters whose payload, origin or reason contains the thing id (or the thing's name, for
     * vendors' payloads that carry only their device id) or the pseudonym, and rewrites the file at once so that no
     * copy stays in it.
     */
    @Override
    public long erase(DataSubject subject) {
        return removeWhere(letter -> concerns(letter, subject));
    }

    private static boolean concerns(DeadLetter letter, DataSubject subject) {
        if (subject.occursIn(letter.origin()) || subject.occursIn(letter.reason())
                || subject.occursIn(letter.payload())) {
            return true;
        }
        if (subject.kind() == DataSubject.Kind.THING) {
            String name = subject.value().substring(subject.value().indexOf(':') + 1);
            return name.length() >= DataSubject.MIN_LENGTH && (containsWord(letter.payloadAsString(), name)
                    || containsWord(letter.origin(), name));
        }
        return false;
    }

    /** Whether {@code word} occurs in {@code text} not as a part of a longer name (letters, digits, '-', '_'). */
    static boolean containsWord(String text, String word) {
        int at = text.indexOf(word);
        while (at >= 0) {
            int end = at + word.length();
            if ((at == 0 || !nameChar(text.charAt(at - 1))) && (end == text.length() || !nameChar(text.charAt(end)))) {
                return true;
            }
            at = text.indexOf(word, at + 1);
        }
        return false;
    }

    private static boolean nameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_';
    }

    /** Every live dead letter, also those held on disk only. */
    private List<DeadLetter> allLetters() {
        List<DeadLetter> result = new ArrayList<>(live.size());
        for (Slot slot : live.values()) {
            DeadLetter letter = slot.letter != null ? slot.letter : readLetter(slot);
            if (letter != null) {
                result.add(letter);
            }
        }
        return result;
    }

    private synchronized long removeWhere(java.util.function.Predicate<DeadLetter> test) {
        long removed = 0;
        for (DeadLetter letter : allLetters()) {
            if (test.test(letter) && remove(letter.id())) {
                removed++;
            }
        }
        if (removed > 0) {
            // the removed letters' lines must leave the file now, not at the next compaction
            compactQuietly();
        }
        return removed;
    }

    @Override
    public synchronized Optional<DeadLetter> get(String id) {
        Slot slot = id == null ? null : byId.get(id);
        if (slot == null) {
            return Optional.empty();
        }
        if (slot.letter != null) {
            return Optional.of(slot.letter);
        }
        return Optional.ofNullable(readLetter(slot));
    }

    @Override
    public synchronized boolean remove(String id) {
        Slot slot = id == null ? null : byId.get(id);
        if (slot == null) {
            return false;
        }
        if (slot.offset >= 0) {
            writeOperation(JsonObject.newBuilder().set("op", "remove").set("id", id)
                    .set("at", Instant.now().toString()).build(), "removal of dead letter " + id);
            garbage += 2; // its record line and the removal
        }
        live.remove(slot.seq);
        byId.remove(id);
        if (held.remove(slot.seq) != null) {
            refillHeld();
        }
        if (shouldCompact()) {
            compactQuietly();
        }
        return true;
    }

    @Override
    public synchronized boolean updateReason(String id, String reason) {
        Objects.requireNonNull(reason, "reason");
        Slot slot = id == null ? null : byId.get(id);
        if (slot == null) {
            return false;
        }
        if (slot.offset >= 0) {
            writeOperation(JsonObject.newBuilder().set("op", "reason").set("id", id).set("reason", reason)
                    .set("at", Instant.now().toString()).build(), "new reason of dead letter " + id);
            garbage++;
            slot.reason = reason;
        }
        if (slot.letter != null) {
            slot.letter = withReason(slot.letter, reason);
        }
        if (shouldCompact()) {
            compactQuietly();
        }
        return true;
    }

    @Override
    public synchronized long count() {
        return live.size();
    }

    @Override
    public String component() {
        return "dead-letters";
    }

    @Override
    public synchronized ComponentHealth health() {
        if (lastWriteError != null) {
            return ComponentHealth.degraded("cannot write " + file + ": " + lastWriteError);
        }
        return ComponentHealth.up(live.size() + " dead letters");
    }

    @Deactivate
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing {} failed", file, e);
        }
    }

    /** Lines in the file, for tests: live records plus superseded lines. */
    synchronized long linesInFile() {
        return live.values().stream().filter(slot -> slot.offset >= 0).count() + garbage;
    }

    // --- the in-memory window ---------------------------------------------------------------------------------------

    private void trimHeld() {
        while (held.size() > memoryLimit) {
            Slot oldest = held.pollFirstEntry().getValue();
            oldest.letter = null;
            if (oldest.offset < 0) {
                // never written, so it cannot be read back: it is gone once it leaves memory
                live.remove(oldest.seq);
                byId.remove(oldest.id);
            }
        }
    }

    /** After a removal, the newest dead letter not held yet takes the free place, so listing still sees the newest. */
    private void refillHeld() {
        while (held.size() < memoryLimit) {
            Map.Entry<Long, Slot> next = held.isEmpty() ? live.lastEntry() : live.lowerEntry(held.firstKey());
            if (next == null) {
                return;
            }
            Slot slot = next.getValue();
            DeadLetter letter = readLetter(slot);
            if (letter == null) {
                return;
            }
            slot.letter = letter;
            held.put(slot.seq, slot);
        }
    }

    private DeadLetter readLetter(Slot slot) {
        if (slot.offset < 0) {
            return null;
        }
        try {
            DeadLetter letter = fromJson(JsonObject.of(new String(readLine(slot.offset), StandardCharsets.UTF_8)));
            return slot.reason == null ? letter : withReason(letter, slot.reason);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read dead letter {} back from {} at offset {}: {}", slot.id, file, slot.offset,
                    e.toString());
            return null;
        }
    }

    private static DeadLetter withReason(DeadLetter letter, String reason) {
        return new DeadLetter(letter.id(), letter.source(), letter.origin(), reason, letter.receivedAt(),
                letter.payload());
    }

    // --- the file -------------------------------------------------------------------------------------------------

    /** Appends one line; returns its offset. */
    private long append(JsonObject json) throws IOException {
        if (dirty) {
            end = channel.size();
            if (endsWithPartialLine()) {
                writeFully(ByteBuffer.wrap(new byte[] {'\n'}), end);
                end++;
            }
            dirty = false;
        }
        byte[] line = (json.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        long offset = end;
        try {
            writeFully(ByteBuffer.wrap(line), offset);
        } catch (IOException e) {
            dirty = true;
            throw e;
        }
        end += line.length;
        return offset;
    }

    /** Removals and new reasons must be durable, else a replayed payload could come back after a restart. */
    private void writeOperation(JsonObject operation, String what) {
        try {
            append(operation);
            lastWriteError = null;
        } catch (IOException e) {
            lastWriteError = e.toString();
            throw new UncheckedIOException("Cannot write the " + what + " to " + file
                    + "; nothing was changed. Check that the disk is not full and the folder is writable.", e);
        }
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    private byte[] readLine(long offset) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        long at = offset;
        while (true) {
            buffer.clear();
            int read = channel.read(buffer, at);
            if (read <= 0) {
                return line.toByteArray();
            }
            byte[] bytes = buffer.array();
            for (int i = 0; i < read; i++) {
                if (bytes[i] == '\n') {
                    line.write(bytes, 0, i);
                    return line.toByteArray();
                }
            }
            line.write(bytes, 0, read);
            at += read;
            if (line.size() > MAX_LINE_BYTES) {
                throw new IOException("line at offset " + offset + " is longer than " + MAX_LINE_BYTES + " bytes");
            }
        }
    }

    private boolean endsWithPartialLine() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) != '\n';
    }

    /** Reads every line in file order, applying removals and new reasons; holds the newest whole. */
    private void load() throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
            long offset = 0;
            long lineStart = 0;
            int b;
            while ((b = in.read()) >= 0) {
                offset++;
                if (b == '\n') {
                    apply(line, lineStart);
                    line.reset();
                    lineStart = offset;
                } else if (line.size() <= MAX_LINE_BYTES) {
                    line.write(b);
                }
            }
            apply(line, lineStart); // a last line without newline: torn by a crash, or complete
        }
        for (Slot slot : live.descendingMap().values()) {
            if (held.size() >= memoryLimit) {
                break;
            }
            DeadLetter letter = readLetter(slot);
            if (letter != null) {
                slot.letter = letter;
                held.put(slot.seq, slot);
            }
        }
    }

    private void apply(ByteArrayOutputStream line, long offset) {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return;
        }
        JsonObject json;
        try {
            json = JsonObject.of(text);
        } catch (RuntimeException e) {
            // A torn line after a crash; the lines before and after it are intact.
            LOG.warn("Skipping an unreadable line at offset {} of {}: {}", offset, file, e.getMessage());
            garbage++;
            return;
        }
        String op = json.getValue(OP).orElse(null);
        String id = json.getValue(ID).orElse(null);
        if (id == null) {
            LOG.warn("Skipping a line without id at offset {} of {}", offset, file);
            garbage++;
            return;
        }
        Slot existing = byId.get(id);
        if (op == null) {
            if (existing != null) { // the same id twice: the later line wins
                live.remove(existing.seq);
                garbage++;
            }
            Slot slot = new Slot(nextSeq++, id, offset);
            live.put(slot.seq, slot);
            byId.put(id, slot);
        } else if (op.equals("remove")) {
            garbage++;
            if (existing != null) {
                live.remove(existing.seq);
                byId.remove(id);
                garbage++;
            }
        } else if (op.equals("reason")) {
            garbage++;
            String reason = json.getValue(REASON).orElse(null);
            if (existing != null && reason != null) {
                existing.reason = reason;
            }
        } else {
            LOG.warn("Skipping a line with unknown operation '{}' at offset {} of {}", op, offset, file);
            garbage++;
        }
    }

    private boolean shouldCompact() {
        return garbage >= compactMinGarbage && garbage > live.size();
    }

    private void compactQuietly() {
        try {
            compact();
        } catch (IOException e) {
            // the file is still complete and correct, only longer than needed; try again at the next change
            LOG.warn("Cannot rewrite {} without its superseded lines: {}", file, e.toString());
        }
    }

    /**
     * Rewrites the file with only the live dead letters, in order, each with its current reason, then replaces the
     * old file atomically: a crash leaves either the old or the new file, both complete.
     */
    private void compact() throws IOException {
        Path temp = directory.resolve(FILE_NAME + ".compacting");
        Map<Long, Long> newOffsets = new HashMap<>();
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long at = 0;
            for (Slot slot : live.values()) {
                byte[] line;
                if (slot.offset < 0 || slot.reason != null) {
                    DeadLetter letter = slot.letter != null ? slot.letter : readLetter(slot);
                    if (letter == null) {
                        throw new IOException("dead letter " + slot.id + " cannot be read back");
                    }
                    line = toJson(letter).toString().getBytes(StandardCharsets.UTF_8);
                } else {
                    line = readLine(slot.offset);
                }
                ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
                newOffsets.put(slot.seq, at);
                while (buffer.hasRemaining()) {
                    at += out.write(buffer);
                }
            }
            out.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        long before = end;
        channel.close();
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            channel = open(file); // the old file, unchanged
            end = channel.size();
            dirty = endsWithPartialLine();
            throw e;
        }
        channel = open(file);
        for (Slot slot : live.values()) {
            slot.offset = newOffsets.get(slot.seq);
            slot.reason = null;
        }
        end = channel.size();
        dirty = false;
        garbage = 0;
        LOG.debug("Rewrote {} with {} live dead letters ({} bytes, was {})", file, live.size(), end, before);
    }

    static JsonObject toJson(DeadLetter letter) {
        return JsonObject.newBuilder()
                .set("id", letter.id())
                .set("source", letter.source())
                .set("origin", letter.origin())
                .set("reason", letter.reason())
                .set("receivedAt", letter.receivedAt().toString())
                .set("payload", Base64.getEncoder().encodeToString(letter.payload()))
                .build();
    }

    static DeadLetter fromJson(JsonObject json) {
        return new DeadLetter(json.getValueOrThrow(ID), json.getValueOrThrow(key("source")),
                json.getValueOrThrow(key("origin")), json.getValueOrThrow(REASON),
                Instant.parse(json.getValueOrThrow(key("receivedAt"))),
                Base64.getDecoder().decode(json.<String>getValueOrThrow(key("payload"))));
    }

    private static JsonFieldDefinition<String> key(String name) {
        return JsonFactory.newStringFieldDefinition(name);
    }
}
