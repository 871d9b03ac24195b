package nl.lantaarn.durable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named {@link DurableQueue}s in one H2 MVStore file, one map per queue. Appends and removals change memory only; a
 * background committer commits them in groups a few milliseconds later. An MVStore commit writes a new chunk to the
 * file and the last complete chunk wins at the next open, so after {@code kill -9} (the operating system keeps what
 * the process wrote) every committed entry is there again. The committer also forces the file to the disk now and
 * then ({@link Options#syncIntervalMillis()}), which bounds what a power loss can take, and compacts the file so it
 * stays near the size of what the queues hold: sparse chunks are rewritten while traffic flows, and once the queues
 * are idle for a compaction interval the live chunks are moved to the start of the file and the file is truncated.
 * <p>
 * One owner per file: MVStore locks it, a second open (another hub on the same home) fails with a message saying so.
 */
public final class DurableStore implements AutoCloseable {

    /**
     * @param commitDelayMillis     how long the committer waits after a change to gather more into one commit
     * @param syncIntervalMillis    at most this long between forcing committed data to the disk; 0: never (a process
     *                              kill loses nothing committed either way; a power loss may lose what was not forced)
     * @param compactIntervalMillis how often sparse chunks are rewritten
     * @param cacheMb               MVStore page cache
     */
    public record Options(long commitDelayMillis, long syncIntervalMillis, long compactIntervalMillis, int cacheMb) {

        public Options {
            if (commitDelayMillis < 0 || syncIntervalMillis < 0 || compactIntervalMillis < 1 || cacheMb < 1) {
                throw new IllegalArgumentException("invalid outbox store options " + commitDelayMillis + "/"
                        + syncIntervalMillis + "/" + compactIntervalMillis + "/" + cacheMb);
            }
        }

        /** 2 ms commit delay, forced to disk every second, compaction every 30 s, 4 MB cache. */
        public static Options defaults() {
            return new Options(2, 1000, 30_000, 4);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DurableStore.class);
    private static final String QUEUE_PREFIX = "queue.";
    private static final String MARKS_PREFIX = "marks.";
    /** Idle wake-up of the committer, for syncing and compaction while nothing changes. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** An idle file is shrunk when larger than this and less than this percentage of its chunks is live data. */
    private static final long SHRINK_ABOVE_BYTES = 1024 * 1024;
    private static final int SHRINK_BELOW_FILL_PERCENT = 50;
    private static final int SHRINK_MAX_MILLIS = 500;

    private final Path file;
    private final Options options;
    private final MVStore store;
    private final Map<String, DurableQueue> queues = new ConcurrentHashMap<>();
    /** Counts changes (appends, removals); the committer commits up to a count and then publishes it. */
    private final AtomicLong changes = new AtomicLong();
    private final Object committedLock = new Object();
    private final Thread committer;
    private long committed;
    private volatile boolean closed;
    private volatile String failure;
    private volatile boolean committerWaiting;

    private DurableStore(Path file, Options options, MVStore store) {
        this.file = file;
        this.options = options;
        this.store = store;
        this.committer = new Thread(this::commitLoop, "outbox-commit " + file.getFileName());
        this.committer.setDaemon(true);
    }

    /**
     * Opens (or creates) the store file and starts its committer.
     *
     * @throws DurableStoreException when the file cannot be opened: in use by another process, damaged, not writable
     */
    public static DurableStore open(Path file, Options options) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new DurableStoreException("Cannot create the outbox folder " + absolute.getParent() + ": " + e
                    + ". Make its parent folder writable for the user that runs the hub.", e);
        }
        MVStore store;
        try {
            store = new MVStore.Builder()
                    .fileName(absolute.toString())
                    // commits are made by this class's committer only
                    .autoCommitDisabled()
                    .cacheSize(options.cacheMb())
                    .open();
        } catch (MVStoreException | IllegalStateException | IllegalArgumentException e) {
            int code = e instanceof MVStoreException mv ? mv.getErrorCode() : -1;
            if (code == DataUtils.ERROR_FILE_LOCKED) {
                throw new DurableStoreException("The queue file " + absolute + " is in use by another process. Stop "
                        + "the other hub that uses this home, or give this hub its own home (lantaarn.home).", e);
            }
            if (code == DataUtils.ERROR_FILE_CORRUPT) {
                throw new DurableStoreException("The queue file " + absolute + " is damaged: " + e.getMessage()
                        + ". Move it away to start with empty queues (what they held is then not delivered).", e);
            }
            throw new DurableStoreException("Cannot open the queue file " + absolute + ": " + e.getMessage()
                    + ". Make the folder writable for the user that runs the hub and check that its volume has free "
                    + "space.", e);
        }
        if (store.isReadOnly()) {
            store.closeImmediately();
            throw new DurableStoreException("The queue file " + absolute + " is read-only. Make it writable for the "
                    + "user that runs the hub.", null);
        }
        // Space of superseded chunks may be reused once a sync covered their successors (MVStore's default waits
        // 45 s, which lets a busy outbox file grow to 45 s of traffic).
        if (options.syncIntervalMillis() > 0) {
            store.setRetentionTime((int) Math.min(Integer.MAX_VALUE, Math.max(1000, 4 * options.syncIntervalMillis())));
        }
        DurableStore durable = new DurableStore(absolute, options, store);
        durable.committer.start();
        return durable;
    }

    public Path file() {
        return file;
    }

    /**
     * The queue of this name, opened on first use with the entries the file holds for it (also those of an earlier
     * run); later calls return the same queue and set its capacity.
     */
    public DurableQueue queue(String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity of outbox queue '" + name + "' must be at least 1, was "
                    + capacity);
        }
        checkOpen();
        DurableQueue queue = queues.computeIfAbsent(name, n -> {
            try {
                MVMap<Long, byte[]> map = store.openMap(QUEUE_PREFIX + n, mapType());
                MVMap<Long, Long> marks = store.openMap(MARKS_PREFIX + n, new MVMap.Builder<Long, Long>()
                        .keyType(LongDataType.INSTANCE).valueType(LongDataType.INSTANCE));
                return new DurableQueue(this, n, map, marks, capacity);
            } catch (RuntimeException e) {
                throw failed("open queue '" + n + "'", e);
            }
        });
        queue.capacity(capacity);
        return queue;
    }

    private static MVMap.Builder<Long, byte[]> mapType() {
        return new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE);
    }

    /**
     * Entries held per queue that has any, by name: those opened in this run and those of an earlier run that no one
     * opened (yet), e.g. of a route or channel that no longer exists.
     */
    public Map<String, Integer> backlog() {
        Map<String, Integer> result = new TreeMap<>();
        if (closed) {
            return result;
        }
        try {
            for (String mapName : store.getMapNames()) {
                if (!mapName.startsWith(QUEUE_PREFIX)) {
                    continue;
                }
                String name = mapName.substring(QUEUE_PREFIX.length());
                DurableQueue queue = queues.get(name);
                long size = queue != null ? queue.size() : store.openMap(mapName, mapType()).sizeAsLong();
                if (size > 0) {
                    result.put(name, (int) Math.min(Integer.MAX_VALUE, size));
                }
            }
        } catch (RuntimeException e) {
            // for health reports only: say nothing rather than fail the report
            LOG.debug("Listing the queues of {} failed", file, e);
        }
        return result;
    }

    /**
     * Every queue the file holds, opened in this run or not (those of an earlier run are opened here with an
     * unbounded capacity until their owner opens them): for retention and erasure over all entries.
     */
    public List<DurableQueue> allQueues() {
        checkOpen();
        List<DurableQueue> result = new ArrayList<>();
        for (String mapName : store.getMapNames()) {
            if (mapName.startsWith(QUEUE_PREFIX)) {
                String name = mapName.substring(QUEUE_PREFIX.length());
                DurableQueue open = queues.get(name);
                result.add(open != null ? open : queue(name, Integer.MAX_VALUE));
            }
        }
        return result;
    }

    /**
     * Waits until every change made before this call is committed to the file.
     *
     * @return false when the commit did not come within the timeout (see {@link #failure()})
     */
    public boolean awaitCommitted(Duration timeout) throws InterruptedException {
        long target = changes.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (committedLock) {
            while (committed < target) {
                if (closed) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(committedLock, left);
            }
        }
        return true;
    }

    /** Why the last commit failed, or {@code null} when it worked. */
    public String failure() {
        return failure;
    }

    /** Commits what is left, stops the committer and closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        stopCommitter();
        try {
            store.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the queue file {} failed ({}); its last commit stands", file, e.toString());
            store.closeImmediately();
        }
        synchronized (committedLock) {
            committedLock.notifyAll();
        }
    }

    /**
     * For tests: stops as a killed process would, without a last commit; what was committed is in the file.
     */
    void closeLikeAKill() {
        stopCommitter();
        store.closeImmediately();
    }

    /** Marks the store closed and waits for the committer to end. */
    private void stopCommitter() {
        closed = true;
        // never interrupt it: an interrupt during a file write closes MVStore's file channel
        LockSupport.unpark(committer);
        try {
            committer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called after every append and removal: wakes the committer. */
    void changed() {
        changes.incrementAndGet();
        if (committerWaiting) {
            LockSupport.unpark(committer);
        }
    }

    DurableStoreException failed(String what, RuntimeException e) {
        if (closed) {
            return new DurableStoreException("Cannot " + what + ": the queue file " + file + " is closed", e);
        }
        return new DurableStoreException("Cannot " + what + " in the queue file " + file + ": " + e.getMessage()
                + ". Check that its volume has free space and is writable.", e);
    }

    private void checkOpen() {
        if (closed) {
            throw new DurableStoreException("The queue file " + file + " is closed", null);
        }
    }

    private void commitLoop() {
        long lastSync = System.nanoTime();
        long lastCompact = lastSync;
        long changesAtLastCompact = -1;
        long syncedUpTo = 0;
        while (!closed) {
            long target = changes.get();
            boolean pending = target != committedCount();
            if (!pending) {
                committerWaiting = true;
                // re-check after announcing the wait, so a change made in between is not missed
                if (changes.get() == target) {
                    LockSupport.parkNanos(this, IDLE_NANOS);
                }
                committerWaiting = false;
            } else {
                if (options.commitDelayMillis() > 0) {
                    // not parkNanos: appends unpark the committer, this wait gathers them into one commit
                    try {
                        Thread.sleep(options.commitDelayMillis());
                    } catch (InterruptedException e) {
                        // closing: commit what there is, below
                    }
                }
                commit(changes.get());
            }
            long now = System.nanoTime();
            if (options.syncIntervalMillis() > 0 && committedCount() != syncedUpTo
                    && now - lastSync >= TimeUnit.MILLISECONDS.toNanos(options.syncIntervalMillis())) {
                syncedUpTo = committedCount();
                sync();
                lastSync = now;
            }
            if (now - lastCompact >= TimeUnit.MILLISECONDS.toNanos(options.compactIntervalMillis())) {
                long seen = changes.get();
                compact(seen == changesAtLastCompact);
                changesAtLastCompact = changes.get();
                lastCompact = now;
            }
        }
        commit(changes.get());
    }

    private long committedCount() {
        synchronized (committedLock) {
            return committed;
        }
    }

    private void commit(long upTo) {
        try {
            store.commit();
            if (failure != null) {
                LOG.info("Commits to the outbox file {} work again", file);
                failure = null;
            }
            synchronized (committedLock) {
                committed = Math.max(committed, upTo);
                committedLock.notifyAll();
            }
        } catch (RuntimeException e) {
            if (failure == null) {
                LOG.warn("Commit to the outbox file {} failed: {}. Entries stay in memory and are committed once it "
                        + "works; free disk space on that volume", file, e.toString());
            }
            failure = e.toString();
            if (!closed) {
                // no busy loop against a full disk
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        }
    }

    private void sync() {
        try {
            store.sync();
        } catch (RuntimeException e) {
            LOG.debug("Forcing the outbox file {} to the disk failed", file, e);
        }
    }

    /**
     * After an erasure: waits for the commit of the removals, then rewrites every chunk that still holds live data, so
     * that the erased entries are in no chunk in use (MVStore overwrites the freed chunks as it reuses their space).
     */
    public void compactNow() {
        try {
            awaitCommitted(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (store.compact(100, Integer.MAX_VALUE)) {
                changed();
            }
        } catch (RuntimeException e) {
            LOG.debug("Compacting the outbox file {} failed", file, e);
        }
    }

    private void compact(boolean idle) {
        try {
            // rewrite chunks that are less than half full, at most 4 MB at a time
            if (store.compact(50, 4 * 1024 * 1024)) {
                store.commit();
            }
            // Rewriting frees space inside the file, but the file only shrinks when no live chunk sits at its end.
            // Moving the live chunks to the start holds the store lock (commits wait), so only while idle.
            if (idle && store.getFileStore().size() > SHRINK_ABOVE_BYTES
                    && store.getFileStore().getChunksFillRate() < SHRINK_BELOW_FILL_PERCENT) {
                int retention = store.getRetentionTime();
                try {
                    store.compactFile(SHRINK_MAX_MILLIS);
                } finally {
                    // compactFile drops the retention time to 0; keep what protects the last synced version
                    store.setRetentionTime(retention);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Compacting the outbox file {} failed", file, e);
        }
    }
}
