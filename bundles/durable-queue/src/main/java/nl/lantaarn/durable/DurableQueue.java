package nl.lantaarn.durable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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

    private final DurableStore store;
    private final String name;
    private final MVMap<Long, byte[]> map;
    private final AtomicLong next;
    private final AtomicInteger size;
    private volatile int capacity;

    DurableQueue(DurableStore store, String name, MVMap<Long, byte[]> map, int capacity) {
        this.store = store;
        this.name = name;
        this.map = map;
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
        long sequence = next.getAndIncrement();
        try {
            map.put(sequence, value);
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

    @Override
    public String toString() {
        return "DurableQueue[" + name + ", " + size() + " of " + capacity + "]";
    }
}
