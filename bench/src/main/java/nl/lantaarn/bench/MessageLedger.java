package nl.lantaarn.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What {@code load} knows of each message {@code g}: when it was published (nanoseconds since the run's start),
 * whether the broker acknowledged it or the publish failed, and how often its output arrived. Grows in chunks of
 * 65,536 messages, so a run at {@code --rate max} needs no size up front: 8 bytes and 1 byte a message.
 *
 * <p>The publishing threads write the publish side ({@link #published}, {@link #acknowledged}, {@link #failed});
 * one reading thread owns the output side ({@link #arrived}); the report reads both after the run.
 */
final class MessageLedger {

    private static final int CHUNK_BITS = 16;
    private static final int CHUNK = 1 << CHUNK_BITS;
    /** Most messages one run tracks: 2^31, more than a few minutes at any rate one machine publishes. */
    static final long CAPACITY = 1L << 31;
    private static final long ACKNOWLEDGED = 1L << 62;
    private static final long FAILED = 1L << 61;
    private static final long TIME = FAILED - 1;

    private final AtomicReferenceArray<AtomicLongArray> published =
            new AtomicReferenceArray<>((int) (CAPACITY >>> CHUNK_BITS));
    private final byte[][] arrivals = new byte[(int) (CAPACITY >>> CHUNK_BITS)][];
    private final AtomicLong end = new AtomicLong();

    /** Records that message {@code g} is published {@code nanosSinceStart} (0 or more) after the start. */
    void published(long g, long nanosSinceStart) {
        chunk(g).set(offset(g), (Math.max(0, nanosSinceStart) + 1) & TIME);
        end.accumulateAndGet(g + 1, Math::max);
    }

    /** The broker acknowledged message {@code g} (QoS 1), or the client wrote it (QoS 0). */
    void acknowledged(long g) {
        AtomicLongArray chunk = chunk(g);
        int at = offset(g);
        chunk.set(at, chunk.get(at) | ACKNOWLEDGED);
    }

    void failed(long g) {
        AtomicLongArray chunk = chunk(g);
        int at = offset(g);
        chunk.set(at, chunk.get(at) | FAILED);
    }

    /** One more than the highest message published. */
    long end() {
        return end.get();
    }

    /** When message {@code g} was published, nanoseconds since the start; -1 when it was not (in this run). */
    long publishedNanos(long g) {
        long state = state(g);
        return state == 0 ? -1 : (state & TIME) - 1;
    }

    boolean isAcknowledged(long g) {
        return (state(g) & ACKNOWLEDGED) != 0;
    }

    boolean isFailed(long g) {
        return (state(g) & FAILED) != 0;
    }

    /** Counts an output of message {@code g} (reading thread only); returns how many arrived before it. */
    int arrived(long g) {
        int index = (int) (g >>> CHUNK_BITS);
        byte[] chunk = arrivals[index];
        if (chunk == null) {
            chunk = new byte[CHUNK];
            arrivals[index] = chunk;
        }
        int at = offset(g);
        int before = chunk[at];
        if (before < Byte.MAX_VALUE) {
            chunk[at] = (byte) (before + 1);
        }
        return before;
    }

    /** How many outputs of message {@code g} arrived (up to 127). */
    int arrivals(long g) {
        byte[] chunk = arrivals[(int) (g >>> CHUNK_BITS)];
        return chunk == null ? 0 : chunk[offset(g)];
    }

    private long state(long g) {
        if (g < 0 || g >= CAPACITY) {
            return 0;
        }
        AtomicLongArray chunk = published.get((int) (g >>> CHUNK_BITS));
        return chunk == null ? 0 : chunk.get(offset(g));
    }

    private AtomicLongArray chunk(long g) {
        if (g < 0 || g >= CAPACITY) {
            throw new IllegalArgumentException("message " + g + " is beyond what one run tracks (" + CAPACITY + ")");
        }
        int index = (int) (g >>> CHUNK_BITS);
        AtomicLongArray chunk = published.get(index);
        if (chunk == null) {
            published.compareAndSet(index, null, new AtomicLongArray(CHUNK));
            chunk = published.get(index);
        }
        return chunk;
    }

    private static int offset(long g) {
        return (int) (g & (CHUNK - 1));
    }
}
