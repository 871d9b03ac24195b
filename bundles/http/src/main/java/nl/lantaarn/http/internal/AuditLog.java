package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
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
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.ditto.json.JsonValue;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.runtime.api.HubHome;

/**
 * The request audit: one JSON line per API request in {@code data/audit/requests-YYYY-MM-DD.jsonl} (UTC dates),
 * appended by a background thread. A request only puts its record in a bounded, lock-free queue, so it never waits
 * for the disk; when the queue is full the record is lost, counted, marked in the file by a {@code records-lost}
 * line and reported as DEGRADED health until the hub restarts. Files older than {@code retentionDays} are deleted.
 */
@Component(service = {AuditLog.class, HealthContributor.class, MetricsSource.class},
        configurationPid = AuditLog.PID)
@Designate(ocd = AuditLog.Config.class)
public final class AuditLog implements HealthContributor, MetricsSource {

    static final String PID = "nl.lantaarn.http.audit";

    @ObjectClassDefinition(name = "Lantaarn API request audit")
    public @interface Config {
        @AttributeDefinition(description = "Folder of the audit files requests-YYYY-MM-DD.jsonl; relative to the hub "
                + "home.")
        String directory() default "data/audit";

        @AttributeDefinition(description = "Days an audit file is kept after its day; 0 keeps every file. The "
                + "records hold remote addresses (personal data): keep them as long as your logging policy says.",
                min = "0")
        int retentionDays() default 180;

        @AttributeDefinition(description = "Records that may wait for the disk; beyond it records are lost (counted, "
                + "marked in the file, health DEGRADED).", min = "1")
        int queueSize() default 100_000;
    }

    /** One request: when, who and why, what, the answer and from where. Never a key or a query string. */
    record Entry(long epochMillis, String client, String purpose, String method, String resource, int status,
            String remoteAddress) {
    }

    static final String ANONYMOUS = "anonymous";
    static final String PREFIX = "requests-";
    static final String SUFFIX = ".jsonl";
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final long DAY_MILLIS = TimeUnit.DAYS.toMillis(1);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** After a failed write, records are counted as lost without trying the disk again for this long. */
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int BATCH = 10_000;
    /** A longer path is cut: the record is to say what was asked for, not to keep whatever a client sends. */
    static final int MAX_RESOURCE = 2048;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /** What the configuration says; replaced as a whole when it changes (the component stays registered). */
    record Settings(Path directory, int retentionDays, int capacity) {
        Settings {
            directory = directory.toAbsolutePath().normalize();
            retentionDays = Math.max(0, retentionDays);
            capacity = Math.max(1, capacity);
        }
    }

    private volatile Settings settings;
    private final Clock clock;
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder lostQueueFull = new LongAdder();
    private final AtomicLong lostWriteFailed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile long lastLostAt;
    private volatile String writeError;
    private volatile String lastWriteError;
    private volatile Path currentFile;
    private volatile boolean running = true;
    private final Thread writer;

    // the writer thread's own state
    private FileChannel channel;
    private Path openDirectory;
    private long openDay = Long.MIN_VALUE;
    private long markedQueueFull;
    private long markedWriteFailed;
    private long retryAt;
    private final StringBuilder batch = new StringBuilder(64 * 1024);
    private long batchDay = Long.MIN_VALUE;
    private int batchRecords;

    @Activate
    public AuditLog(BundleContext context, Config config) {
        this(settings(context, config), Clock.systemUTC());
        start();
    }

    /** Not yet writing: {@link #start()} starts the writer thread. */
    AuditLog(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.writer = new Thread(this::writeLoop, "lantaarn-audit-writer");
        writer.setDaemon(true);
    }

    private static Settings settings(BundleContext context, Config config) {
        return new Settings(HubHome.of(context).resolve(config.directory()), config.retentionDays(),
                config.queueSize());
    }

    /** A changed configuration applies to the next records: a new folder from the next line on. */
    @Modified
    void modified(BundleContext context, Config config) {
        settings = settings(context, config);
    }

    void start() {
        writer.start();
    }

    /**
     * Queues a record; never blocks. When {@code queueSize} records wait already it is lost and counted.
     *
     * @param client the client's name, or {@code null} for a request without a known key
     */
    void record(long epochMillis, String client, String purpose, String method, String resource, int status,
            String remoteAddress) {
        if (queued.incrementAndGet() > settings.capacity()) {
            queued.decrementAndGet();
            lostQueueFull.increment();
            lastLostAt = epochMillis;
            return;
        }
        queue.offer(new Entry(epochMillis, client, purpose, method, resource, status, remoteAddress));
    }

    @Deactivate
    void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn("The audit writer did not finish within 10 s; {} records may not be written", queued.get());
        }
    }

    private void writeLoop() {
        deleteExpired(Math.floorDiv(clock.millis(), DAY_MILLIS));
        while (true) {
            boolean stopping = !running;
            int drained = drain();
            if (stopping && queue.isEmpty()) {
                break;
            }
            if (drained == 0) {
                LockSupport.parkNanos(IDLE_NANOS);
            }
        }
        closeFile();
    }

    /**
     * Writes what is queued (at most a batch, so that lines reach the file while requests keep coming) and the marks
     * of lost records: one write per day's file, so that a failed write loses a known number of records.
     */
    private int drain() {
        int drained = 0;
        Entry entry;
        while (drained < BATCH && (entry = queue.poll()) != null) {
            queued.decrementAndGet();
            drained++;
            add(entry);
        }
        markLost();
        writeBatch();
        return drained;
    }

    /** Adds a record's line to the batch; a batch holds one day's lines. */
    private void add(Entry entry) {
        long day = Math.floorDiv(entry.epochMillis(), DAY_MILLIS);
        if (day != batchDay && batch.length() > 0) {
            writeBatch();
        }
        batchDay = day;
        render(entry);
        batch.append('\n');
        batchRecords++;
    }

    /** {@code records-lost} lines when records were lost since the last ones, so that the file shows its gaps. */
    private void markLost() {
        long full = lostQueueFull.sum();
        if (full > markedQueueFull) {
            long at = lastLostAt;
            mark(at, full - markedQueueFull, JsonValue.of("the audit queue was full"));
            markedQueueFull = full;
        }
        long failedWrites = lostWriteFailed.get();
        if (failedWrites > markedWriteFailed && writeError == null) {
            mark(clock.millis(), failedWrites - markedWriteFailed,
                    JsonValue.of("the audit file could not be written: " + lastWriteError));
            markedWriteFailed = failedWrites;
        }
    }

    private void mark(long epochMillis, long lost, JsonValue reason) {
        long day = Math.floorDiv(epochMillis, DAY_MILLIS);
        if (day != batchDay && batch.length() > 0) {
            writeBatch();
        }
        batchDay = day;
        batch.append("{\"time\":\"").append(TIME.format(Instant.ofEpochMilli(epochMillis)))
                .append("\",\"event\":\"records-lost\",\"lost\":").append(lost).append(",\"reason\":")
                .append(reason).append("}\n");
    }

    private void render(Entry entry) {
        String resource = entry.resource() == null ? "" : entry.resource();
        if (resource.length() > MAX_RESOURCE) {
            resource = resource.substring(0, MAX_RESOURCE) + "...";
        }
        batch.append("{\"time\":\"").append(TIME.format(Instant.ofEpochMilli(entry.epochMillis())))
                .append("\",\"client\":").append(JsonValue.of(entry.client() == null ? ANONYMOUS : entry.client()))
                .append(",\"purpose\":").append(JsonValue.of(entry.client() == null ? null : entry.purpose()))
                .append(",\"method\":").append(JsonValue.of(entry.method()))
                .append(",\"resource\":").append(JsonValue.of(resource))
                .append(",\"status\":").append(entry.status())
                .append(",\"remoteAddress\":").append(JsonValue.of(entry.remoteAddress()))
                .append('}');
    }

    /** Appends the batch to its day's file; when that fails its records are counted as lost. */
    private void writeBatch() {
        if (batch.length() == 0) {
            return;
        }
        int records = batchRecords;
        try {
            if (channel == null && writeError != null && retryAt - System.nanoTime() > 0) {
                // the disk failed a moment ago: not tried again for every batch
                lostWriteFailed.addAndGet(records);
                return;
            }
            Settings current = settings;
            if (channel == null || batchDay != openDay || !current.directory().equals(openDirectory)) {
                open(batchDay, current);
            }
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(batch));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            written.addAndGet(records);
            writeError = null;
        } catch (IOException | RuntimeException e) {
            lostWriteFailed.addAndGet(records);
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (writeError == null) {
                LOG.error("Cannot write the request audit to {}: {}; records are lost (counted in /api/v1/health) "
                        + "until it can", currentFile, message);
            }
            writeError = message;
            lastWriteError = message;
            retryAt = System.nanoTime() + RETRY_NANOS;
            closeFile();
        } finally {
            batch.setLength(0);
            batchRecords = 0;
        }
    }

    private void open(long day, Settings current) throws IOException {
        closeFile();
        Path directory = current.directory();
        Path file = directory.resolve(PREFIX + LocalDate.ofEpochDay(day) + SUFFIX);
        currentFile = file;
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
        if (openDay != Long.MIN_VALUE && day > openDay) {
            deleteExpired(day);
        }
        openDay = day;
        openDirectory = directory;
    }

    private void closeFile() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing {} failed", currentFile, e);
            }
            channel = null;
        }
    }

    /** Deletes the audit files of days before {@code today - retentionDays}; other files are left alone. */
    private void deleteExpired(long today) {
        Path directory = settings.directory();
        int retentionDays = settings.retentionDays();
        if (retentionDays == 0 || !Files.isDirectory(directory)) {
            return;
        }
        LocalDate oldestKept = LocalDate.ofEpochDay(today - retentionDays);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                LocalDate date;
                try {
                    date = LocalDate.parse(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
                } catch (DateTimeParseException e) {
                    continue;
                }
                if (date.isBefore(oldestKept)) {
                    Files.deleteIfExists(file);
                    LOG.info("Deleted audit file {}: older than retentionDays = {}", file, retentionDays);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot delete expired audit files in {}: {}", directory, e.toString());
        }
    }

    /** Records lost since start, for any reason. */
    long lost() {
        return lostQueueFull.sum() + lostWriteFailed.get();
    }

    /** Requests written since start. */
    long written() {
        return written.get();
    }

    Path directory() {
        return settings.directory();
    }

    @Override
    public String component() {
        return "audit";
    }

    @Override
    public ComponentHealth health() {
        Settings current = settings;
        Path directory = current.directory();
        long full = lostQueueFull.sum();
        long failedWrites = lostWriteFailed.get();
        String error = writeError;
        if (error != null) {
            return ComponentHealth.degraded("cannot write the request audit to " + currentFile + ": " + error
                    + "; " + (full + failedWrites) + " audit records lost since the hub started. Check that "
                    + directory + " is writable and has space.");
        }
        if (full + failedWrites > 0) {
            StringBuilder detail = new StringBuilder().append(full + failedWrites)
                    .append(" audit records lost since the hub started");
            if (full > 0) {
                detail.append("; ").append(full).append(" because the queue of ").append(current.capacity())
                        .append(" was full (last at ").append(TIME.format(Instant.ofEpochMilli(lastLostAt)))
                        .append("): the disk was slower than the requests; raise queueSize in etc/").append(PID)
                        .append(".cfg or check the disk");
            }
            if (failedWrites > 0) {
                detail.append("; ").append(failedWrites).append(" because the file could not be written (")
                        .append(lastWriteError).append(')');
            }
            return ComponentHealth.degraded(detail.append(". Each gap is marked by a \"records-lost\" line in ")
                    .append(directory).append('.').toString());
        }
        return ComponentHealth.up(written.get() + " requests audited since the hub started, in " + directory
                + (current.retentionDays() == 0 ? "; files are kept"
                        : "; files are kept " + current.retentionDays() + " days"));
    }

    @Override
    public void appendMetrics(StringBuilder out) {
        out.append("# HELP lantaarn_audit_records_written_total API requests written to the request audit.\n")
                .append("# TYPE lantaarn_audit_records_written_total counter\n")
                .append("lantaarn_audit_records_written_total ").append(written.get()).append('\n')
                .append("# HELP lantaarn_audit_records_lost_total Audit records lost: the queue was full or the "
                        + "file could not be written.\n")
                .append("# TYPE lantaarn_audit_records_lost_total counter\n")
                .append("lantaarn_audit_records_lost_total ").append(lost()).append('\n')
                .append("# HELP lantaarn_audit_queue_size Audit records waiting for the disk.\n")
                .append("# TYPE lantaarn_audit_queue_size gauge\n")
                .append("lantaarn_audit_queue_size ").append(Math.max(0, queued.get())).append('\n');
    }
}
