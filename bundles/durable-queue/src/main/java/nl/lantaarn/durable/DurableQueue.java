package nl.lantaarn.durable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * One named queue of a {@link DurableStore}: entries (bytes) under a sequence number that grows with every append, in
 * append order. An entry stays until {@link #remove(long)}: the owner removes it once it was delivered or
 * dead-lettered. Thread-safe; {@link #append(byte[])} and {@link #remove(long)} only change the store's memory and
 * never wait for the disk (the store's committer writes within a few milliseconds; {@link #awaitCommitted(Duration)}
 * waits for that).
 */
public final class DurableQueue {

    /** One entry, in sequence order. */
    public record Entry(long sequence, byte[] value) {
    }

    /**
     * A time mark is written at most this often: every entry appended after a mark and before the next one was
     * appended less than this (plus scheduling slack) after the mark's time.
     */
    static final long MARK_MILLIS = 1_000;
    private static final long SLACK_MILLIS = 1_000;

    private final DurableStore store;
    private final String name;
    private final MVMap<Long, byte[]> map;
    /** Sequence number to wall-clock millis of its append, for the first entry of each second with appends. */
    private final MVMap<Long, Long> marks;
    private volatile long lastMark;
    private final AtomicLong next;
    private final AtomicInteger size;
    private volatile int capacity;

    DurableQueue(DurableStore store, String name, MVMap<Long, byte[]> map, MVMap<Long, Long> marks, int capacity) {
        this.store = store;
        this.name = name;
        this.map = map;
        this.marks = marks;
        Long first = map.firstKey();
        if (first != null && marks.floorKey(first) == null) {
            // entries of a file from before time marks: taken as appended now, so never removed too early
            marks.put(first, System.currentTimeMillis());
        }
        Long last = map.lastKey();
        this.next = new AtomicLong(last == null ? 1 : last + 1);
        this.size = new AtomicInteger((int) Math.min(Integer.MAX_VALUE, map.sizeAsLong()));
        this.capacity = capacity;
    }

    public String name() {
        return name;
    }

    public int capacity() {
        return capacity;
    }

    /** Changes the bound for later appends; entries already in the queue stay. */
    public void capacity(int newCapacity) {
        if (newCapacity < 1) {
            throw new IllegalArgumentException("capacity of outbox queue '" + name + "' must be at least 1, was "
                    + newCapacity);
        }
        this.capacity = newCapacity;
    }

    /**
     * Appends an entry; it is on disk once the store's committer committed it (a few milliseconds; see
     * {@link #awaitCommitted(Duration)}).
     *
     * @return the entry's sequence number, for {@link #remove(long)}
     * @throws QueueFullException    when the queue holds {@link #capacity()} entries
     * @throws DurableStoreException when the store is closed or failed
     */
    public long append(byte[] value) throws QueueFullException {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            throw new QueueFullException(name, capacity);
        }
        long now = System.currentTimeMillis();
        long sequence = next.getAndIncrement();
        try {
            map.put(sequence, value);
            if (now - lastMark >= MARK_MILLIS) {
                // at most once a second: the cost of knowing how old entries are is one map put per second
                lastMark = now;
                marks.put(sequence, now);
            }
        } catch (RuntimeException e) {
            size.decrementAndGet();
            throw store.failed("append to queue '" + name + "'", e);
        }
        store.changed();
        return sequence;
    }

    /** Removes a delivered (or dead-lettered) entry; nothing happens when it is gone already. */
    public void remove(long sequence) {
        byte[] removed;
        try {
            removed = map.remove(sequence);
        } catch (RuntimeException e) {
            throw store.failed("remove from queue '" + name + "'", e);
        }
        if (removed != null) {
            size.decrementAndGet();
            store.changed();
        }
    }

    /** Waits until everything appended to the store so far is committed; false when that took longer. */
    public boolean awaitCommitted(Duration timeout) throws InterruptedException {
        return store.awaitCommitted(timeout);
    }

    /** Entries held now. */
    public int size() {
        return size.get();
    }

    /** The sequence number the next append gets: entries below it were appended before this call. */
    public long nextSequence() {
        return next.get();
    }

    /**
     * Up to {@code max} entries with a sequence number of at least {@code from} and below {@code before}, in
     * sequence order: for reading a backlog page by page while new entries are appended behind it.
     */
    public List<Entry> entries(long from, long before, int max) {
        List<Entry> result = new ArrayList<>(Math.min(max, 256));
        try {
            Cursor<Long, byte[]> cursor = map.cursor(from);
            while (cursor.hasNext() && result.size() < max) {
                long key = cursor.next();
                if (key >= before) {
                    break;
                }
                result.add(new Entry(key, cursor.getValue()));
            }
        } catch (RuntimeException e) {
            throw store.failed("read queue '" + name + "'", e);
        }
        return result;
    }

    /**
     * A time by which the entry had certainly been appended, from the queue's time marks (about a second after the
     * append); {@code null} when it is unknown.
     */
    public Instant appendedBy(long sequence) {
        try {
            Long mark = marks.floorKey(sequence);
            Long time = mark == null ? null : marks.get(mark);
            return time == null ? null : Instant.ofEpochMilli(time + MARK_MILLIS + SLACK_MILLIS);
        } catch (RuntimeException e) {
            throw store.failed("read the time marks of queue '" + name + "'", e);
        }
    }

    /**
     * Removes every entry the predicate selects, given the time by which it had been appended ({@code null} when
     * unknown, see {@link #appendedBy}) and its bytes; for retention and erasure, off the hot path.
     *
     * @return how many entries were removed
     */
    public long removeIf(BiPredicate<Instant, byte[]> remove) {
        long removed = 0;
        long before = nextSequence();
        long from = 0;
        while (true) {
            List<Entry> page = entries(from, before, 256);
            if (page.isEmpty()) {
                break;
            }
            for (Entry entry : page) {
                if (remove.test(appendedBy(entry.sequence()), entry.value())) {
                    remove(entry.sequence());
                    removed++;
                }
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
        pruneMarks();
        return removed;
    }

    /** Drops the time marks no entry needs any more (all below the one that dates the first entry). */
    private void pruneMarks() {
        try {
            Long first = map.firstKey();
            Long keep = first == null ? marks.lastKey() : marks.floorKey(first);
            if (keep == null) {
                return;
            }
            Long mark = marks.firstKey();
            while (mark != null && mark < keep) {
                marks.remove(mark);
                mark = marks.higherKey(mark);
            }
            store.changed();
        } catch (RuntimeException e) {
            throw store.failed("prune the time marks of queue '" + name + "'", e);
        }
    }

    @Override
    public String toString() {
        return "DurableQueue[" + name + ", " + size() + " of " + capacity + "]";
    }
}
