package nl.lantaarn.twin.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.twin.api.TwinStoreException;

/**
 * The write-ahead journal of the embedded store: every acknowledged change is one record appended to the current
 * segment file before {@link #append} returns. Appends that arrive while a write is under way are written together
 * by the next writer (group commit: one {@code write} call, and one {@code fsync} when enabled, for the whole group),
 * so concurrent writers share the cost instead of queueing for it.
 * <p>
 * Every record also goes into the current {@link Generation}: the latest record per thing since the last rotation.
 * The checkpointer {@link #rotate() rotates} (seals the current generation and starts a new segment), copies the sealed
 * generations into the MVStore file, and then {@link #checkpointed drops} them with their segments. A generation's
 * records are exactly those in its segments, because rotation happens while no other write is under way.
 */
final class Journal {

    /** Opens a segment file for appending; a seam for tests that simulate a full disk. */
    interface SegmentOpener {
        FileChannel open(Path segment) throws IOException;
    }

    /** The latest record per thing since one rotation, and the segment files that hold them. */
    static final class Generation {
        final Map<ThingId, JournalRecord> latest = new HashMap<>();
        final List<Path> segments = new ArrayList<>(1);
        /** Number of the newest of {@link #segments}; 0 when there is none. */
        long maxSegment;
    }

    private static final int PENDING = 0;
    private static final int DONE = 1;
    private static final int FAILED = 2;

    /** One append waiting to be written. */
    private static final class Waiter {
        final JournalRecord record;
        final ByteBuffer bytes;
        Generation generation;
        JournalRecord previous;
        int state = PENDING;
        TwinStoreException error;

        Waiter(JournalRecord record) {
            this.record = record;
            this.bytes = record.encode();
        }
    }

    private final Path directory;
    private final String prefix;
    private final boolean sync;
    private final SegmentOpener opener;
    private final long retryMillis;
    private final LongSupplier clock;

    private final Object lock = new Object();
    // guarded by lock
    private FileChannel channel;
    private Path segment;
    private long nextSeq;
    private long segmentBytes;
    private Generation current = new Generation();
    private final ArrayDeque<Generation> sealed = new ArrayDeque<>();
    private List<Waiter> pending = new ArrayList<>();
    private boolean writing;
    private String failure;
    private Throwable failureCause;
    private long retryAt;
    private long groups;
    private long records;

    /**
     * @param nextSeq number of the first segment this journal creates; segments with lower numbers must be gone
     */
    Journal(Path directory, String prefix, long nextSeq, boolean sync, SegmentOpener opener, long retryMillis,
            LongSupplier clock) {
        this.directory = directory;
        this.prefix = prefix;
        this.nextSeq = nextSeq;
        this.sync = sync;
        this.opener = opener;
        this.retryMillis = retryMillis;
        this.clock = clock;
    }

    /** Creates the first segment; on failure the journal starts broken and retries on later appends. */
    void start() {
        synchronized (lock) {
            openSegment();
        }
    }

    /**
     * Appends the record; returns once it is written (and forced to the disk when {@code sync} is on).
     *
     * @throws TwinStoreException when the segment cannot be written; the record is then not part of the store's state
     */
    void append(JournalRecord record) {
        Waiter waiter = new Waiter(record);
        List<Waiter> batch;
        FileChannel target;
        synchronized (lock) {
            if (channel == null && !writing && clock.getAsLong() < retryAt) {
                throw refused(record.thingId());
            }
            waiter.generation = current;
            waiter.previous = current.latest.put(record.thingId(), record);
            pending.add(waiter);
            while (true) {
                if (waiter.state == DONE) {
                    return;
                }
                if (waiter.state == FAILED) {
                    throw waiter.error;
                }
                if (!writing) {
                    break;
                }
                waitForLock();
            }
            // this thread writes the group, its own record included
            writing = true;
            batch = pending;
            pending = new ArrayList<>();
            target = channelForBatch();
        }
        write(batch, target);
        synchronized (lock) {
            writing = false;
            lock.notifyAll();
            if (waiter.state == FAILED) {
                throw waiter.error;
            }
        }
    }

    /**
     * Seals the current generation and starts a new segment, after writing what is pending. No-op (returns
     * {@code false}) when nothing was appended since the last rotation.
     */
    boolean rotate() {
        List<Waiter> batch;
        FileChannel target;
        synchronized (lock) {
            while (writing) {
                waitForLock();
            }
            if (pending.isEmpty() && current.latest.isEmpty() && segmentBytes == 0) {
                return false;
            }
            writing = true;
            batch = pending;
            pending = new ArrayList<>();
            target = batch.isEmpty() ? channel : channelForBatch();
            // from here on appends go to the next generation (and, once it is open, the next segment)
            sealed.addLast(current);
            current = new Generation();
        }
        write(batch, target);
        synchronized (lock) {
            try {
                closeChannel();
                openSegment();
            } finally {
                writing = false;
                lock.notifyAll();
            }
        }
        return true;
    }

    /** The sealed generations, oldest first, for the checkpointer; they no longer change. */
    List<Generation> sealed() {
        synchronized (lock) {
            return new ArrayList<>(sealed);
        }
    }

    /** Drops generations that are now in the MVStore file, and deletes their segments. */
    void checkpointed(List<Generation> done) throws IOException {
        synchronized (lock) {
            sealed.removeAll(done);
        }
        for (Generation generation : done) {
            for (Path file : generation.segments) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The latest journalled record of the thing not yet checkpointed; {@code null} when there is none. */
    JournalRecord latest(ThingId thingId) {
        synchronized (lock) {
            JournalRecord record = current.latest.get(thingId);
            for (Iterator<Generation> it = sealed.descendingIterator(); record == null && it.hasNext();) {
                record = it.next().latest.get(thingId);
            }
            return record;
        }
    }

    /** Every journalled record not yet checkpointed, the latest per thing. */
    Map<ThingId, JournalRecord> latestOfAll() {
        synchronized (lock) {
            Map<ThingId, JournalRecord> all = new HashMap<>();
            for (Generation generation : sealed) {
                all.putAll(generation.latest);
            }
            all.putAll(current.latest);
            return all;
        }
    }

    /** Whether the journal can take appends now. */
    boolean isWritable() {
        synchronized (lock) {
            return channel != null;
        }
    }

    /** Why the journal is broken; {@code null} when it is not. */
    String failure() {
        synchronized (lock) {
            return channel == null ? failure : null;
        }
    }

    /** Bytes of journal not yet checkpointed, approximately. */
    long currentSegmentBytes() {
        synchronized (lock) {
            return segmentBytes;
        }
    }

    /** Groups written and records in them, to see how well appends are grouped. */
    long[] groupStatistics() {
        synchronized (lock) {
            return new long[] {groups, records};
        }
    }

    /** Closes the current segment (deleting it when nothing was written to it); later appends fail. */
    void close() {
        synchronized (lock) {
            while (writing) {
                waitForLock();
            }
            boolean empty = channel != null && segmentBytes == 0 && pending.isEmpty();
            closeChannel();
            if (empty) {
                try {
                    Files.deleteIfExists(segment);
                } catch (IOException e) {
                    // an empty segment is replayed as nothing at the next start
                }
            }
            failure = "the twin store is closed";
            retryAt = Long.MAX_VALUE;
        }
    }

    // --- under lock

    /** The channel to write the batch to, reopening a broken journal when its retry time has come. */
    private FileChannel channelForBatch() {
        if (channel == null && clock.getAsLong() >= retryAt) {
            openSegment();
        }
        return channel;
    }

    private void openSegment() {
        // a number is never used twice, even when creating its file failed
        long seq = nextSeq++;
        Path file = directory.resolve(prefix + String.format("%019d", seq));
        try {
            FileChannel opened = opener.open(file);
            if (sync) {
                EmbeddedTwinStore.syncDirectory(directory);
            }
            channel = opened;
            segment = file;
            segmentBytes = 0;
            current.segments.add(file);
            current.maxSegment = seq;
            failure = null;
            failureCause = null;
        } catch (IOException | RuntimeException e) {
            broken("cannot create the journal segment " + file + ": " + e, e);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                if (sync) {
                    channel.force(false);
                }
                channel.close();
            } catch (IOException e) {
                // its records were forced (sync) or are in the page cache already; nothing more to keep
            }
            channel = null;
        }
    }

    private void broken(String reason, Throwable cause) {
        closeChannel();
        failure = reason;
        failureCause = cause;
        retryAt = clock.getAsLong() + retryMillis;
    }

    private TwinStoreException refused(ThingId thingId) {
        return new TwinStoreException(thingId, "The twin store cannot write its journal in " + directory + ": "
                + failure + ". The change was not applied.",
                "Free disk space on the volume of " + directory + " and make the folder writable for the user that"
                        + " runs the hub; writes resume by themselves within " + (retryMillis / 1000 + 1) + " s.",
                failureCause);
    }

    private void waitForLock() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwinStoreException(null, "interrupted while waiting for the twin journal",
                    "The hub is stopping; retry the write.", e);
        }
    }

    // --- outside the lock, by the one thread that has set writing

    private void write(List<Waiter> batch, FileChannel target) {
        if (batch.isEmpty()) {
            return;
        }
        if (target == null) {
            synchronized (lock) {
                undo(batch);
                for (Waiter waiter : batch) {
                    waiter.state = FAILED;
                    waiter.error = refused(waiter.record.thingId());
                }
            }
            return;
        }
        ByteBuffer[] buffers = new ByteBuffer[batch.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = batch.get(i).bytes;
        }
        IOException error = null;
        long written = 0;
        try {
            // a gathering write appends the whole group with one system call (more only for very large groups)
            int from = 0;
            while (from < buffers.length) {
                written += target.write(buffers, from, Math.min(buffers.length - from, 1024));
                while (from < buffers.length && !buffers[from].hasRemaining()) {
                    from++;
                }
            }
            if (sync) {
                target.force(false);
            }
        } catch (IOException e) {
            error = e;
        }
        synchronized (lock) {
            if (error == null) {
                segmentBytes += written;
                groups++;
                records += batch.size();
                for (Waiter waiter : batch) {
                    waiter.state = DONE;
                }
                return;
            }
            // the records may be in the file in part or in full, but none counts
            undo(batch);
            if (channel == target) {
                // never append behind a torn record: the next write starts a new segment
                broken("writing " + segment + " failed: " + error, error);
            }
            for (Waiter waiter : batch) {
                waiter.state = FAILED;
                waiter.error = refused(waiter.record.thingId());
            }
        }
    }

    /** Takes failed records out of their generations again (under lock, newest first). */
    private static void undo(List<Waiter> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            Waiter waiter = batch.get(i);
            Map<ThingId, JournalRecord> latest = waiter.generation.latest;
            if (latest.get(waiter.record.thingId()) == waiter.record) {
                if (waiter.previous == null) {
                    latest.remove(waiter.record.thingId());
                } else {
                    latest.put(waiter.record.thingId(), waiter.previous);
                }
            }
        }
    }
}
