package nl.lantaarn.twin.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.eclipse.ditto.things.model.ThingId;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.runtime.api.HubHome;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.twin.api.TwinStoreException;
import nl.lantaarn.twin.internal.store.Journal.Generation;
import nl.lantaarn.twin.spi.StoredThing;
import nl.lantaarn.twin.spi.TwinStore;

/**
 * The embedded twin store, the hub's default: an H2 MVStore file ({@code <home>/data/twin/things.mv}) with a
 * write-ahead journal beside it.
 * <p>
 * A write is acknowledged once its record is appended to the journal (group commit, see {@link Journal}); that
 * survives a crash of the process. With {@code sync} on, the journal is also forced to the disk before the
 * acknowledgement, which survives a power loss. Once a second the checkpointer copies the latest state of every changed
 * thing into the MVStore file in one commit and deletes the journal segments that commit covers, so the MVStore file
 * (crash safe by itself: append-only chunks, the last complete commit wins) pays one commit per second instead of one
 * per write. At start the journal segments newer than the last checkpoint are replayed into the file.
 * <p>
 * A folder that cannot be written, a full disk or a file in use by another process never stops the component: every
 * call then throws a {@link TwinStoreException} that names the path and what to do, health says the same, and the
 * store retries by itself.
 */
@Component(service = {TwinStore.class, HealthContributor.class}, configurationPid = EmbeddedTwinStore.PID,
        property = "service.ranking:Integer=0")
@Designate(ocd = EmbeddedTwinStore.Config.class)
public final class EmbeddedTwinStore implements TwinStore, HealthContributor {

    static final String PID = "nl.lantaarn.twin.store";
    private static final String CONFIG_FILE = "etc/" + PID + ".cfg";

    @ObjectClassDefinition(name = "Lantaarn twin store (embedded)",
            description = "The embedded store of the hub's things: an H2 MVStore file with a write-ahead journal.")
    public @interface Config {
        @AttributeDefinition(name = "File", description = "The MVStore file. A relative path is resolved against the hub"
                + " home (lantaarn.home). The journal segments (<name>.journal.<n>) are kept beside it.")
        String file() default "data/twin/things.mv";

        @AttributeDefinition(name = "Sync to disk", description = "Force each write to the disk (fsync) before it is "
                + "acknowledged. Off: an acknowledged write survives a crash of the hub (kill -9) but not a power loss "
                + "of the machine. On: it also survives a power loss, at the cost of a disk flush per group of writes.")
        boolean sync() default false;

        @AttributeDefinition(name = "Checkpoint interval (ms)", description = "How often the journal is copied into the"
                + " MVStore file.", min = "50")
        int checkpointMillis() default 1000;

        @AttributeDefinition(name = "Cache (MB)", description = "Page cache of the MVStore file. Reads are served from"
                + " memory anyway; this only speeds up checkpoints.", min = "1")
        int cacheMb() default 16;

        @AttributeDefinition(name = "Retry interval (s)", description = "How long after a failure to open or write the "
                + "store it is tried again.", min = "1")
        int retrySeconds() default 5;
    }

    /** Everything the store needs, resolved; package-private for tests. */
    record Settings(Path file, boolean sync, long checkpointMillis, int cacheMb, long retryMillis,
            Journal.SegmentOpener opener) {

        static Settings of(Path file) {
            return new Settings(file, false, 1000, 16, 5000, EmbeddedTwinStore::openSegment);
        }

        Settings withCheckpointMillis(long millis) {
            return new Settings(file, sync, millis, cacheMb, retryMillis, opener);
        }

        Settings withRetryMillis(long millis) {
            return new Settings(file, sync, checkpointMillis, cacheMb, millis, opener);
        }

        Settings withSync(boolean on) {
            return new Settings(file, on, checkpointMillis, cacheMb, retryMillis, opener);
        }

        Settings withOpener(Journal.SegmentOpener segmentOpener) {
            return new Settings(file, sync, checkpointMillis, cacheMb, retryMillis, segmentOpener);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedTwinStore.class);
    private static final String FORMAT = "lantaarn-twin-1";
    private static final String META_FORMAT = "format";
    private static final String META_CHECKPOINTED = "checkpointedSegment";
    /** A journal segment this large is checkpointed without waiting for the interval. */
    private static final long EARLY_CHECKPOINT_BYTES = 64L * 1024 * 1024;

    private final Settings settings;
    private final Path file;
    private final Path directory;
    private final String journalPrefix;
    private final LongSupplier clock = () -> System.nanoTime() / 1_000_000;
    private final ScheduledExecutorService checkpointer;
    private final AtomicBoolean earlyCheckpoint = new AtomicBoolean();

    private final Object openLock = new Object();
    private volatile Journal journal;
    private volatile MVStore mvStore;
    private volatile MVMap<String, byte[]> things;
    private volatile MVMap<String, String> meta;
    private volatile TwinStoreException openError;
    private long retryOpenAt;
    private volatile String checkpointFailure;
    private String lastJournalFailure;

    @Activate
    public EmbeddedTwinStore(BundleContext context, Config config) {
        this(new Settings(HubHome.of(context).resolve(config.file()).toAbsolutePath().normalize(), config.sync(),
                config.checkpointMillis(), config.cacheMb(), config.retrySeconds() * 1000L,
                EmbeddedTwinStore::openSegment));
    }

    EmbeddedTwinStore(Settings settings) {
        this.settings = settings;
        this.file = settings.file();
        this.directory = file.getParent();
        String name = file.getFileName().toString();
        this.journalPrefix = (name.endsWith(".mv") ? name.substring(0, name.length() - 3) : name) + ".journal.";
        this.checkpointer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "twin-store-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        try {
            open();
        } catch (TwinStoreException e) {
            // keep running: calls fail with this error and retry; health shows it
            LOG.warn("{}", sentence(e));
        }
        checkpointer.scheduleWithFixedDelay(this::checkpointQuietly, settings.checkpointMillis(),
                settings.checkpointMillis(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    public void close() {
        checkpointer.shutdown();
        try {
            if (!checkpointer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("The twin store checkpoint did not finish within 30 s; the journal in {} is replayed at the"
                        + " next start", directory);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (openLock) {
            Journal open = journal;
            if (open != null) {
                checkpointQuietly(); // the last changes into the file, so the next start has no journal to replay
                open.close();
            }
            closeMvStore(true);
            journal = null;
            openError = new TwinStoreException(null, "The twin store " + file + " is closed",
                    "The hub is stopping or the store is being reconfigured; retry the write.", null);
            retryOpenAt = Long.MAX_VALUE;
        }
        LOG.debug("Twin store {} closed", file);
    }

    // --- TwinStore

    @Override
    public void loadAll(Consumer<StoredThing> sink) {
        Journal open = ensureOpen(null);
        Map<ThingId, JournalRecord> journalled = open.latestOfAll();
        MVMap<String, byte[]> map = map(null);
        try {
            for (Cursor<String, byte[]> cursor = map.cursor(null); cursor.hasNext();) {
                ThingId id = ThingId.of(cursor.next());
                if (!journalled.containsKey(id)) {
                    sink.accept(decode(id, cursor.getValue()));
                }
            }
        } catch (MVStoreException | IllegalStateException e) {
            throw readFailed(null, e);
        }
        for (JournalRecord record : journalled.values()) {
            if (!record.isDelete()) {
                sink.accept(record.thing());
            }
        }
    }

    /** One stored thing as the file keeps it, for {@link #loadAllEncoded}. */
    @FunctionalInterface
    public interface EncodedSink {
        /** @param json the thing's JSON in UTF-8, a copy the sink may keep */
        void accept(String thingId, long revision, byte[] json);
    }

    /**
     * What {@link #loadAll} gives, for the twin of this bundle: each thing as its id's text, revision and JSON bytes,
     * without parsing the id (it was checked when written) or decoding the JSON into a text that the twin would only
     * encode again; for a million things that is most of the start's reading.
     */
    public void loadAllEncoded(EncodedSink sink) {
        Journal open = ensureOpen(null);
        Map<ThingId, JournalRecord> journalled = open.latestOfAll();
        Set<String> journalledIds = new HashSet<>();
        journalled.keySet().forEach(id -> journalledIds.add(id.toString()));
        MVMap<String, byte[]> map = map(null);
        try {
            for (Cursor<String, byte[]> cursor = map.cursor(null); cursor.hasNext();) {
                String id = cursor.next();
                if (!journalledIds.contains(id)) {
                    byte[] value = cursor.getValue();
                    sink.accept(id, ByteBuffer.wrap(value).getLong(), Arrays.copyOfRange(value, 8, value.length));
                }
            }
        } catch (MVStoreException | IllegalStateException e) {
            throw readFailed(null, e);
        }
        for (JournalRecord record : journalled.values()) {
            if (!record.isDelete()) {
                StoredThing thing = record.thing();
                sink.accept(thing.thingId().toString(), thing.revision(),
                        thing.json().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Override
    public Optional<StoredThing> get(ThingId thingId) {
        JournalRecord record = ensureOpen(thingId).latest(thingId);
        if (record != null) {
            return Optional.ofNullable(record.thing());
        }
        try {
            byte[] value = map(thingId).get(thingId.toString());
            return value == null ? Optional.empty() : Optional.of(decode(thingId, value));
        } catch (MVStoreException | IllegalStateException e) {
            throw readFailed(thingId, e);
        }
    }

    @Override
    public void put(StoredThing thing) {
        append(JournalRecord.put(thing));
    }

    @Override
    public void delete(ThingId thingId) {
        append(JournalRecord.delete(thingId));
    }

    @Override
    public String location() {
        return file.toString();
    }

    private void append(JournalRecord record) {
        Journal open = ensureOpen(record.thingId());
        open.append(record);
        if (open.currentSegmentBytes() > EARLY_CHECKPOINT_BYTES && earlyCheckpoint.compareAndSet(false, true)) {
            try {
                checkpointer.execute(this::checkpointQuietly);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                earlyCheckpoint.set(false); // stopping
            }
        }
    }

    // --- health

    @Override
    public String component() {
        return "twin-store";
    }

    @Override
    public ComponentHealth health() {
        Journal open = journal;
        if (open == null) {
            TwinStoreException error = openError;
            return ComponentHealth.down(error == null ? "the twin store " + file + " is not open"
                    : sentence(error));
        }
        String journalFailure = open.failure();
        if (journalFailure != null) {
            return ComponentHealth.down("writes are refused: cannot write the journal in " + directory + ": "
                    + journalFailure + ". Free disk space on that volume and make the folder writable for the user "
                    + "that runs the hub; writes resume by themselves.");
        }
        String checkpoint = checkpointFailure;
        if (checkpoint != null) {
            return ComponentHealth.degraded("checkpoints into " + file + " fail: " + checkpoint + ". Acknowledged "
                    + "changes are safe in the journal beside it, which grows until this is fixed: free disk space on "
                    + "that volume.");
        }
        long[] groups = open.groupStatistics();
        String grouping = groups[0] == 0 ? "" : String.format(", %.1f writes per journal write",
                (double) groups[1] / groups[0]);
        return ComponentHealth.up(file + " (" + sizeOf(file) / 1024 + " KB" + grouping
                + (settings.sync() ? ", synced to disk" : "") + ")");
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    // --- opening and recovery

    /** The open journal, opening the store first when it is not (at most once per retry interval). */
    private Journal ensureOpen(ThingId thingId) {
        Journal open = journal;
        if (open != null) {
            return open;
        }
        synchronized (openLock) {
            if (journal != null) {
                return journal;
            }
            if (clock.getAsLong() < retryOpenAt && openError != null) {
                throw withThing(openError, thingId);
            }
            try {
                open();
            } catch (TwinStoreException e) {
                throw withThing(e, thingId);
            }
            return journal;
        }
    }

    /** The refusal as one text for logs and health: what went wrong, then what to do. */
    static String sentence(TwinStoreException e) {
        String message = e.getMessage();
        return message + (message.endsWith(".") ? " " : ". ") + e.description();
    }

    private static TwinStoreException withThing(TwinStoreException e, ThingId thingId) {
        return thingId == null ? e : new TwinStoreException(thingId, e.getMessage(), e.description(), e.getCause());
    }

    /** Opens the MVStore file, replays the journal left by the last run into it and starts a new journal. */
    private void open() {
        synchronized (openLock) {
            try {
                try {
                    Files.createDirectories(directory);
                } catch (IOException e) {
                    throw new TwinStoreException(null, "Cannot create the twin store folder " + directory + ": " + e,
                            "Make its parent folder writable for the user that runs the hub, or set 'file' in "
                                    + CONFIG_FILE + " to a writable place.", e);
                }
                openMvStore();
                long nextSeq = replayJournal();
                Journal opened = new Journal(directory, journalPrefix, nextSeq, settings.sync(), settings.opener(),
                        settings.retryMillis(), clock);
                opened.start();
                journal = opened;
                if (openError != null) {
                    LOG.info("Twin store {} is open again", file);
                }
                openError = null;
                LOG.debug("Twin store {} open: {} things, journal from segment {}", file, things.sizeAsLong(), nextSeq);
            } catch (TwinStoreException e) {
                closeMvStore(false);
                openError = e;
                retryOpenAt = clock.getAsLong() + settings.retryMillis();
                throw e;
            }
        }
    }

    private void openMvStore() {
        MVStore store;
        try {
            store = new MVStore.Builder()
                    .fileName(file.toString())
                    // commits happen only at checkpoints, made by this class; no background writer
                    .autoCommitDisabled()
                    .cacheSize(settings.cacheMb())
                    .open();
        } catch (MVStoreException | IllegalStateException | IllegalArgumentException e) {
            throw openFailed(e);
        }
        // Every checkpoint is forced to the disk (below), so space of chunks that later checkpoints superseded can be
        // reused after two intervals instead of MVStore's 45 s, which keeps the file near the size of its live data.
        store.setRetentionTime((int) Math.min(Integer.MAX_VALUE, 2 * settings.checkpointMillis()));
        if (store.isReadOnly()) {
            store.closeImmediately();
            throw new TwinStoreException(null, "The twin store file " + file + " is read-only",
                    "Make it writable for the user that runs the hub.", null);
        }
        try {
            MVMap<String, String> metaMap = store.openMap("lantaarn");
            String format = metaMap.get(META_FORMAT);
            if (format == null) {
                metaMap.put(META_FORMAT, FORMAT);
            } else if (!FORMAT.equals(format)) {
                store.closeImmediately();
                throw new TwinStoreException(null, "The twin store file " + file + " has format '" + format
                        + "', this hub reads '" + FORMAT + "'", "Use the hub version that wrote it, or move the file "
                        + "away to start with an empty twin.", null);
            }
            this.things = store.openMap("things", new MVMap.Builder<String, byte[]>()
                    .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
            this.meta = metaMap;
            this.mvStore = store;
        } catch (MVStoreException | IllegalStateException e) {
            store.closeImmediately();
            throw openFailed(e);
        }
    }

    private TwinStoreException openFailed(RuntimeException e) {
        int code = e instanceof MVStoreException mv ? mv.getErrorCode() : -1;
        if (code == DataUtils.ERROR_FILE_LOCKED) {
            return new TwinStoreException(null, "The twin store file " + file + " is in use by another process",
                    "Stop the other hub that uses this home, or give this hub its own home (lantaarn.home) or its own"
                            + " 'file' in " + CONFIG_FILE + ".", e);
        }
        if (code == DataUtils.ERROR_FILE_CORRUPT) {
            return new TwinStoreException(null, "The twin store file " + file + " is damaged: " + e.getMessage(),
                    "Restore it from a backup, or move it away to start with an empty twin.", e);
        }
        return new TwinStoreException(null, "Cannot open the twin store file " + file + ": " + e.getMessage(),
                "Make " + directory + " writable for the user that runs the hub and check that its volume has free "
                        + "space, or set 'file' in " + CONFIG_FILE + ".", e);
    }

    /**
     * Applies the journal segments newer than the last checkpoint to the file, commits, and deletes all segments.
     *
     * @return the number for the next segment
     */
    private long replayJournal() {
        TreeMap<Long, Path> segments = journalSegments();
        long checkpointed = Long.parseLong(meta.getOrDefault(META_CHECKPOINTED, "0"));
        long records = 0;
        long torn = 0;
        try {
            for (Map.Entry<Long, Path> segment : segments.entrySet()) {
                if (segment.getKey() <= checkpointed) {
                    continue; // already in the file; its deletion did not happen before the last stop
                }
                long[] count = new long[1];
                torn += JournalRecord.readSegment(segment.getValue(), record -> {
                    apply(record);
                    count[0]++;
                });
                records += count[0];
            }
            long last = segments.isEmpty() ? checkpointed : Math.max(checkpointed, segments.lastKey());
            meta.put(META_CHECKPOINTED, Long.toString(last));
            mvStore.commit();
            mvStore.sync();
            for (Path segment : segments.values()) {
                Files.deleteIfExists(segment);
            }
            if (!segments.isEmpty()) {
                LOG.debug("Replayed {} journal records from {} segments into {}{}", records, segments.size(), file,
                        torn == 0 ? "" : " (" + torn + " bytes of an unacknowledged, torn last record ignored)");
            }
            return last + 1;
        } catch (IOException | MVStoreException | IllegalStateException e) {
            throw new TwinStoreException(null, "Cannot replay the twin journal in " + directory + " into " + file + ": "
                    + e, "Check that the folder is readable and writable by the user that runs the hub and that "
                    + "its volume has free space.", e);
        }
    }

    private TreeMap<Long, Path> journalSegments() {
        TreeMap<Long, Path> segments = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(path -> {
                String name = path.getFileName().toString();
                if (name.startsWith(journalPrefix)) {
                    try {
                        segments.put(Long.parseLong(name.substring(journalPrefix.length())), path);
                    } catch (NumberFormatException e) {
                        // not one of ours
                    }
                }
            });
        } catch (IOException e) {
            throw new TwinStoreException(null, "Cannot list the twin store folder " + directory + ": " + e,
                    "Make it readable for the user that runs the hub.", e);
        }
        return segments;
    }

    private void apply(JournalRecord record) {
        String key = record.thingId().toString();
        if (record.isDelete()) {
            things.remove(key);
        } else {
            things.put(key, encode(record.thing()));
        }
    }

    /** The things map, reopening the MVStore file after a failed checkpoint when the retry time has come. */
    private MVMap<String, byte[]> map(ThingId thingId) {
        MVMap<String, byte[]> map = things;
        MVStore store = mvStore;
        if (map != null && store != null && !store.isClosed()) {
            return map;
        }
        throw new TwinStoreException(thingId, "The twin store file " + file + " is not open: " + checkpointFailure,
                "Free disk space on its volume and check its permissions; the store reopens it by itself.", null);
    }

    private TwinStoreException readFailed(ThingId thingId, RuntimeException e) {
        return new TwinStoreException(thingId, "Cannot read the twin store file " + file + ": " + e.getMessage(),
                "Check the file and its volume; the store reopens it by itself.", e);
    }

    private void closeMvStore(boolean orderly) {
        MVStore store = mvStore;
        mvStore = null;
        things = null;
        meta = null;
        if (store != null && !store.isClosed()) {
            if (orderly) {
                try {
                    store.close();
                    return;
                } catch (MVStoreException | IllegalStateException e) {
                    LOG.debug("Closing {} failed; its last commit stands", file, e);
                }
            }
            store.closeImmediately();
        }
    }

    // --- checkpoints

    private void checkpointQuietly() {
        earlyCheckpoint.set(false);
        try {
            checkpoint();
        } catch (RuntimeException e) {
            LOG.warn("Twin store checkpoint into {} failed unexpectedly", file, e);
        }
    }

    /** Copies the journal into the MVStore file in one commit and drops the segments that commit covers. */
    void checkpoint() {
        Journal open = journal;
        if (open == null) {
            try {
                ensureOpen(null); // keeps retrying a store that could not be opened
            } catch (TwinStoreException e) {
                return;
            }
            open = journal;
        }
        reportJournalState(open);
        open.rotate();
        List<Generation> sealed = open.sealed();
        if (sealed.isEmpty()) {
            return;
        }
        synchronized (openLock) {
            try {
                if (mvStore == null || mvStore.isClosed()) {
                    openMvStore();
                }
                long lastSegment = 0;
                for (Generation generation : sealed) {
                    for (JournalRecord record : generation.latest.values()) {
                        apply(record);
                    }
                    lastSegment = Math.max(lastSegment, generation.maxSegment);
                }
                if (lastSegment > 0) {
                    meta.put(META_CHECKPOINTED, Long.toString(lastSegment));
                }
                mvStore.commit();
                // rewrite sparse chunks now and then, so the file does not grow with old versions
                if (mvStore.compact(50, 4 * 1024 * 1024)) {
                    mvStore.commit();
                }
                // one flush per checkpoint, whatever 'sync' says: the file stays consistent across a power loss, and
                // the segments deleted below are never needed again
                mvStore.sync();
                if (checkpointFailure != null) {
                    LOG.info("Twin store checkpoints into {} work again", file);
                    checkpointFailure = null;
                }
            } catch (TwinStoreException | MVStoreException | IllegalStateException e) {
                if (checkpointFailure == null) {
                    LOG.warn("Twin store checkpoint into {} failed: {}. Changes stay in the journal until it works; "
                            + "free disk space on that volume", file, e.getMessage());
                }
                checkpointFailure = e.getMessage();
                closeMvStore(false);
                return;
            }
        }
        try {
            open.checkpointed(sealed);
        } catch (IOException e) {
            // the file records which segments it holds: leftovers are skipped at the next start
            LOG.debug("Could not delete a checkpointed journal segment in {}", directory, e);
        }
    }

    private void reportJournalState(Journal open) {
        String failure = open.failure();
        if (failure != null && !failure.equals(lastJournalFailure)) {
            LOG.warn("Twin store writes are refused: {}. Free disk space on the volume of {} and make it writable "
                    + "for the user that runs the hub", failure, directory);
        } else if (failure == null && lastJournalFailure != null) {
            LOG.info("Twin store journal in {} is writable again", directory);
        }
        lastJournalFailure = failure;
    }

    // --- encoding

    /** The value in the MVStore file: the revision, then the thing's JSON in UTF-8. */
    static byte[] encode(StoredThing thing) {
        byte[] json = thing.json().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length).putLong(thing.revision()).put(json).array();
    }

    static StoredThing decode(ThingId thingId, byte[] value) {
        long revision = ByteBuffer.wrap(value).getLong();
        return new StoredThing(thingId, revision, new String(value, 8, value.length - 8, StandardCharsets.UTF_8));
    }

    static FileChannel openSegment(Path segment) throws IOException {
        return FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Makes a new file's directory entry durable (best effort; not every platform can open a folder). */
    static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // nothing more to do on this platform
        }
    }

    /**
     * For tests: stops like a killed process would, without a last checkpoint or commit; what was acknowledged is in
     * the journal segments and the file's last checkpoint, nothing else.
     */
    void abandon() {
        checkpointer.shutdownNow();
        try {
            checkpointer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (openLock) {
            Journal open = journal;
            if (open != null) {
                open.close();
            }
            closeMvStore(false);
            journal = null;
            retryOpenAt = Long.MAX_VALUE;
        }
    }

    /** For tests and measurements: journal writes and records written. */
    long[] journalGroups() {
        Journal open = journal;
        return open == null ? new long[2] : open.groupStatistics();
    }

    /** Segment files present now, for tests. */
    List<Path> journalFiles() {
        return new ArrayList<>(journalSegments().values());
    }
}
