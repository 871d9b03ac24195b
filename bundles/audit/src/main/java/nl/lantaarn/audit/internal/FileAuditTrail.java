package nl.lantaarn.audit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.jctools.queues.MpscArrayQueue;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.api.AuditLog;
import nl.lantaarn.audit.api.AuditPage;
import nl.lantaarn.audit.api.AuditQuery;
import nl.lantaarn.audit.api.AuditRecord;
import nl.lantaarn.audit.api.AuditTrail;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.runtime.api.HubHome;

/**
 * The hub's audit trail in {@code data/audit/audit-YYYY-MM-DD.jsonl} (see {@link TrailLine} for a line and its hash).
 * {@link #record} puts the entry, time-stamped, in a bounded lock-free queue and returns; one thread
 * ({@code lantaarn-audit-writer}) numbers the queued entries, chains them, appends them in one write per batch and
 * forces the file to the disk after each batch. At start it reads the last entry back, so the chain continues across
 * restarts. An entry that finds the queue full is lost: counted, marked in the trail by a {@code trail} entry and
 * reported as DEGRADED health until the hub restarts.
 */
@Component(service = {AuditTrail.class, AuditLog.class, HealthContributor.class}, configurationPid = FileAuditTrail.PID)
@Designate(ocd = FileAuditTrail.Config.class)
public final class FileAuditTrail implements AuditTrail, AuditLog, HealthContributor {

    static final String PID = "nl.lantaarn.audit";

    @ObjectClassDefinition(name = "Lantaarn audit trail")
    public @interface Config {
        @AttributeDefinition(description = "Folder of the trail's files audit-YYYY-MM-DD.jsonl; relative to the hub "
                + "home.")
        String directory() default "data/audit";

        @AttributeDefinition(description = "Days a file is kept after its day; 0 keeps every file. Entries hold "
                + "remote addresses and client names (personal data): keep them as long as your logging policy "
                + "says.", min = "0")
        int retentionDays() default 180;

        @AttributeDefinition(description = "Entries that may wait for the disk; beyond it entries are lost (counted, "
                + "marked in the trail, health DEGRADED).", min = "16")
        int queueSize() default 65_536;
    }

    /** What the configuration says. */
    record Settings(Path directory, int retentionDays, int queueSize) {
        Settings {
            directory = directory.toAbsolutePath().normalize();
            retentionDays = Math.max(0, retentionDays);
            queueSize = Math.max(16, queueSize);
        }
    }

    private record Pending(long epochMillis, AuditEntry entry) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileAuditTrail.class);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int BATCH = 10_000;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Settings settings;
    private final Clock clock;
    private final MpscArrayQueue<Pending> queue;
    private final LongAdder lostQueueFull = new LongAdder();
    private final AtomicLong lostWriteFailed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lastSequence = new AtomicLong();
    private volatile long lastLostAt;
    private volatile String writeError;
    private volatile String lastWriteError;
    private volatile boolean running = true;
    private final Thread writer;

    // the writer thread's own state
    private FileChannel channel;
    private Path openFile;
    private LocalDate openDay;
    private long sequence;
    private String prevHash = TrailLine.GENESIS;
    private boolean recovered;
    private long markedQueueFull;
    private long markedWriteFailed;
    private long retryAt;
    private final List<AuditEntry> trailNotes = new ArrayList<>();
    private final StringBuilder batch = new StringBuilder(64 * 1024);

    @Activate
    public FileAuditTrail(BundleContext context, Config config) {
        this(new Settings(HubHome.of(context).resolve(config.directory()), config.retentionDays(),
                config.queueSize()), Clock.systemUTC());
        start();
    }

    /** Writing to {@code directory} from now on, by the system clock: for tests of the modules that use the trail. */
    public FileAuditTrail(Path directory, int retentionDays, int queueSize) {
        this(new Settings(directory, retentionDays, queueSize), Clock.systemUTC());
        start();
    }

    /** Not yet writing: {@link #start()} starts the writer thread. */
    FileAuditTrail(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.queue = new MpscArrayQueue<>(settings.queueSize());
        this.writer = new Thread(this::writeLoop, "lantaarn-audit-writer");
        writer.setDaemon(true);
    }

    void start() {
        writer.start();
    }

    /** Queues the entry; never blocks. A full queue loses it: counted and reported (health, a trail entry). */
    @Override
    public void record(AuditEntry entry) {
        long now = clock.millis();
        if (!running || !queue.offer(new Pending(now, entry))) {
            lostQueueFull.increment();
            lastLostAt = now;
        }
    }

    /** Writes what is queued, then stops the writer (at most 10 s). */
    @Deactivate
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn("The audit writer did not finish within 10 s; {} entries may not be written", queue.size());
        }
    }

    private void writeLoop() {
        while (true) {
            boolean stopping = !running;
            int drained = 0;
            try {
                drained = drain();
            } catch (RuntimeException e) {
                LOG.error("The audit writer failed; it goes on with the next entries", e);
            }
            if (stopping && queue.isEmpty()) {
                break;
            }
            if (drained == 0) {
                LockSupport.parkNanos(IDLE_NANOS);
            }
        }
        closeFile();
    }

    /** Writes a batch of what is queued, with the trail's own notes first; one write and one force per batch. */
    private int drain() {
        if (!recovered) {
            if (channel == null && writeError != null && retryAt - System.nanoTime() > 0) {
                return countLostWhileFailing();
            }
            try {
                recover();
            } catch (IOException | RuntimeException e) {
                failed(e, 0);
                return countLostWhileFailing();
            }
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!today.equals(openDay)) {
            try {
                open(today);
                deleteExpired(today);
            } catch (IOException | RuntimeException e) {
                failed(e, 0);
                return countLostWhileFailing();
            }
        }
        long startSequence = sequence;
        String startHash = prevHash;
        long now = clock.millis();
        for (AuditEntry note : trailNotes) {
            append(now, note);
        }
        markLost(now);
        int entries = 0;
        Pending pending;
        while (entries < BATCH && (pending = queue.poll()) != null) {
            append(pending.epochMillis(), pending.entry());
            entries++;
        }
        if (batch.length() == 0) {
            return 0;
        }
        try {
            write();
            trailNotes.clear();
            written.addAndGet(sequence - startSequence);
            lastSequence.set(sequence);
            writeError = null;
        } catch (IOException | RuntimeException e) {
            // the chain in the file ends where it ended; these entries are lost, and counted
            sequence = startSequence;
            prevHash = startHash;
            failed(e, entries);
        } finally {
            batch.setLength(0);
        }
        return entries;
    }

    private int countLostWhileFailing() {
        int lost = 0;
        while (lost < BATCH && queue.poll() != null) {
            lost++;
        }
        lostWriteFailed.addAndGet(lost);
        return lost;
    }

    private void failed(Exception e, int entries) {
        lostWriteFailed.addAndGet(entries);
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (writeError == null) {
            LOG.error("Cannot write the audit trail to {}: {}; entries are lost (counted in /api/v1/health) until "
                    + "it can", openFile == null ? settings.directory() : openFile, message);
        }
        writeError = message;
        lastWriteError = message;
        retryAt = System.nanoTime() + RETRY_NANOS;
        closeFile();
        // read the end of the file back before the next write: a failed write may have left part of a line
        recovered = false;
        openDay = null;
    }

    private void append(long epochMillis, AuditEntry entry) {
        String line = TrailLine.render(sequence + 1, epochMillis, entry, prevHash);
        sequence++;
        prevHash = line.substring(line.length() - 66, line.length() - 2);
        batch.append(line).append('\n');
    }

    /** {@code trail} entries where entries were lost since the last ones, so that the trail shows its gaps. */
    private void markLost(long now) {
        long full = lostQueueFull.sum();
        if (full > markedQueueFull) {
            append(now, new AuditEntry(AuditKind.TRAIL, "hub", "", "queue", "", "lost",
                    (full - markedQueueFull) + " entries lost: the audit queue of " + settings.queueSize()
                            + " was full (last at " + Instant.ofEpochMilli(lastLostAt) + ")"));
            markedQueueFull = full;
        }
        long failedWrites = lostWriteFailed.get();
        if (failedWrites > markedWriteFailed) {
            append(now, new AuditEntry(AuditKind.TRAIL, "hub", "", "disk", "", "lost",
                    (failedWrites - markedWriteFailed) + " entries lost: the trail could not be written ("
                            + lastWriteError + ")"));
            markedWriteFailed = failedWrites;
        }
    }

    private void write() throws IOException {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(batch));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        // one force per batch: what record() queued before the batch survives a power cut once it returns
        channel.force(false);
    }

    /** Finds where the chain ends: the last entry of the newest file, after removing a partial last line. */
    private void recover() throws IOException {
        List<Path> files = TrailFiles.list(settings.directory());
        sequence = 0;
        prevHash = TrailLine.GENESIS;
        for (int index = files.size() - 1; index >= 0; index--) {
            Path file = files.get(index);
            long cut = removePartialLine(file);
            if (cut > 0) {
                trailNotes.add(new AuditEntry(AuditKind.TRAIL, "hub", "", file.getFileName().toString(), "",
                        "repaired", "removed a partial last line of " + cut + " bytes (a write cut short by an "
                                + "abrupt stop or a failed disk); the entries before it are intact"));
            }
            Optional<TrailLine.Parsed> last = lastEntry(file);
            if (last.isPresent()) {
                sequence = last.get().sequence();
                prevHash = last.get().hash();
                break;
            }
        }
        lastSequence.set(sequence);
        recovered = true;
    }

    /** Cuts a last line that has no line break (never a whole entry); the number of bytes removed. */
    private static long removePartialLine(Path file) throws IOException {
        try (FileChannel open = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = open.size();
            if (size == 0) {
                return 0;
            }
            long end = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                open.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end == size) {
                return 0;
            }
            open.truncate(end);
            open.force(true);
            return size - end;
        }
    }

    /** The last line of {@code file} that reads as an entry. */
    static Optional<TrailLine.Parsed> lastEntry(Path file) throws IOException {
        String lastLine = null;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                if (!text.isBlank()) {
                    lastLine = text;
                }
            }
        }
        return lastLine == null ? Optional.empty() : TrailLine.parse(lastLine, new StringBuilder());
    }

    private void open(LocalDate day) throws IOException {
        closeFile();
        Path directory = settings.directory();
        Path file = directory.resolve(TrailFiles.name(day));
        openFile = file;
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY)}
                    : new FileAttribute<?>[0]);
        }
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        channel = posix ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : FileChannel.open(file, options);
        openDay = day;
    }

    private void closeFile() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing {} failed", openFile, e);
            }
            channel = null;
        }
    }

    /**
     * Removes the files of days before {@code today - retentionDays}, oldest first. Each removal is first recorded in
     * the trail with the last entry of the removed file (its sequence and hash): the anchor from which the files
     * that remain are verified.
     */
    private void deleteExpired(LocalDate today) throws IOException {
        if (settings.retentionDays() == 0) {
            return;
        }
        LocalDate oldestKept = today.minusDays(settings.retentionDays());
        for (Path file : TrailFiles.list(settings.directory())) {
            LocalDate day = TrailFiles.day(file).orElseThrow();
            if (!day.isBefore(oldestKept) || file.equals(openFile)) {
                continue;
            }
            Optional<TrailLine.Parsed> last = lastEntry(file);
            if (last.isPresent()) {
                append(clock.millis(), new AuditEntry(AuditKind.TRAIL, "hub", "", file.getFileName().toString(), "",
                        "deleted", "retention (" + settings.retentionDays() + " days): removed entries up to sequence "
                                + last.get().sequence() + ", last hash " + last.get().hash()));
                try {
                    write();
                    written.incrementAndGet();
                    lastSequence.set(sequence);
                } finally {
                    batch.setLength(0);
                }
                LOG.info("Deleted audit file {} (older than retentionDays = {}); entries up to sequence {} are gone, "
                        + "the trail records the anchor for the rest", file, settings.retentionDays(), last.get().sequence());
            }
            Files.deleteIfExists(file);
        }
    }

    @Override
    public AuditPage query(AuditQuery query) throws IOException {
        List<Path> files = TrailFiles.list(settings.directory());
        // an entry lies in the file of the day it was written, which is its own day or, queued over midnight, the next
        LocalDate firstDay = query.from() == null ? null : LocalDate.ofInstant(query.from(), ZoneOffset.UTC);
        LocalDate lastDay = query.to() == null ? null : LocalDate.ofInstant(query.to(), ZoneOffset.UTC).plusDays(1);
        long before = query.before() == 0 ? Long.MAX_VALUE : query.before();
        int wanted = query.limit() + 1;
        List<AuditRecord> found = new ArrayList<>();
        for (int index = files.size() - 1; index >= 0 && found.size() < wanted; index--) {
            Path file = files.get(index);
            LocalDate day = TrailFiles.day(file).orElseThrow();
            if ((firstDay != null && day.isBefore(firstDay)) || (lastDay != null && day.isAfter(lastDay))) {
                continue;
            }
            Deque<AuditRecord> newest = new ArrayDeque<>();
            int room = wanted - found.size();
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String text;
                while ((text = reader.readLine()) != null) {
                    Optional<TrailLine.Parsed> line = TrailLine.parse(text, new StringBuilder());
                    if (line.isEmpty()) {
                        continue; // a line being written
                    }
                    if (line.get().sequence() >= before) {
                        break;
                    }
                    AuditRecord record = line.get().record();
                    if (query.matches(record)) {
                        newest.addLast(record);
                        if (newest.size() > room) {
                            newest.removeFirst();
                        }
                    }
                }
            }
            while (!newest.isEmpty()) {
                found.add(newest.removeLast());
            }
        }
        if (found.size() > query.limit()) {
            List<AuditRecord> page = found.subList(0, query.limit());
            return new AuditPage(page, OptionalLong.of(page.get(page.size() - 1).sequence()));
        }
        return new AuditPage(found, OptionalLong.empty());
    }

    @Override
    public Statistics statistics() {
        return new Statistics(written.get(), lost(), queue.size());
    }

    long lost() {
        return lostQueueFull.sum() + lostWriteFailed.get();
    }

    public Path directory() {
        return settings.directory();
    }

    @Override
    public String component() {
        return "audit";
    }

    @Override
    public ComponentHealth health() {
        Path directory = settings.directory();
        long full = lostQueueFull.sum();
        long failedWrites = lostWriteFailed.get();
        String error = writeError;
        if (error != null) {
            return ComponentHealth.degraded("cannot write the audit trail to " + directory + ": " + error + "; "
                    + (full + failedWrites) + " audit entries lost since the hub started. Check that " + directory
                    + " is writable and has space.");
        }
        if (full + failedWrites > 0) {
            StringBuilder detail = new StringBuilder().append(full + failedWrites)
                    .append(" audit entries lost since the hub started");
            if (full > 0) {
                detail.append("; ").append(full).append(" because the queue of ").append(settings.queueSize())
                        .append(" was full (last at ").append(Instant.ofEpochMilli(lastLostAt))
                        .append("): the disk was slower than the entries came; raise queueSize in etc/").append(PID)
                        .append(".cfg or check the disk");
            }
            if (failedWrites > 0) {
                detail.append("; ").append(failedWrites).append(" because the trail could not be written (")
                        .append(lastWriteError).append(')');
            }
            return ComponentHealth.degraded(detail.append(". Each gap is marked by a \"trail\" entry with outcome "
                    + "\"lost\".").toString());
        }
        return ComponentHealth.up(written.get() + " entries written since the hub started, in " + directory
                + " (last sequence " + lastSequence.get() + ")"
                + (settings.retentionDays() == 0 ? "; files are kept"
                        : "; files are kept " + settings.retentionDays() + " days"));
    }
}
