package nl.lantaarn.history.internal;

import java.nio.ByteBuffer;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * Key of one point: series id, time in microseconds since the epoch, and the thing's revision, which tells apart two
 * changes in the same microsecond. Ordered by series, then time, so a range of one series is one cursor scan.
 */
record PointKey(long series, long micros, long revision) implements Comparable<PointKey> {

    /** The first possible key of {@code series} at or after {@code micros}. */
    static PointKey first(long series, long micros) {
        return new PointKey(series, micros, Long.MIN_VALUE);
    }

    @Override
    public int compareTo(PointKey other) {
        int c = Long.compare(series, other.series);
        if (c == 0) {
            c = Long.compare(micros, other.micros);
        }
        return c != 0 ? c : Long.compare(revision, other.revision);
    }

    /** Variable-length longs: series ids and revisions are small, times share their high bytes. */
    static final class Type extends BasicDataType<PointKey> {

        static final Type INSTANCE = new Type();

        @Override
        public int getMemory(PointKey key) {
            return 40;
        }

        @Override
        public void write(WriteBuffer buffer, PointKey key) {
            buffer.putVarLong(key.series).putVarLong(key.micros).putVarLong(key.revision);
        }

        @Override
        public PointKey read(ByteBuffer buffer) {
            return new PointKey(DataUtils.readVarLong(buffer), DataUtils.readVarLong(buffer),
                    DataUtils.readVarLong(buffer));
        }

        @Override
        public int compare(PointKey a, PointKey b) {
            return a.compareTo(b);
        }

        @Override
        public PointKey[] createStorage(int size) {
            return new PointKey[size];
        }
    }
}
