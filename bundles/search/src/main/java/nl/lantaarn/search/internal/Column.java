package nl.lantaarn.search.internal;

/**
 * The values of one JSON path for every slot, in chunks of {@value #CHUNK} slots so that a path that only some things
 * have costs memory only where it occurs. Numbers live in a {@code double[]}, strings and arrays in an {@code Object[]},
 * each allocated on first use per chunk. Not thread safe: {@link ThingIndex} guards it.
 */
final class Column {

    static final int CHUNK_BITS = 12;
    static final int CHUNK = 1 << CHUNK_BITS;
    static final int MASK = CHUNK - 1;

    /** Value kinds; also the sort rank of a kind ({@link #rank(byte)}). */
    static final byte ABSENT = 0;
    static final byte NULL = 1;
    static final byte NUMBER = 2;
    static final byte STRING = 3;
    static final byte OBJECT = 4;
    static final byte ARRAY = 5;
    static final byte FALSE = 6;
    static final byte TRUE = 7;

    final String path;
    final String[] segments;
    private byte[][] types = new byte[0][];
    private double[][] numbers = new double[0][];
    private Object[][] refs = new Object[0][];
    private int count;

    Column(String path) {
        this.path = path;
        this.segments = path.split("/", -1);
    }

    /** Slots that have a value here (of any kind). */
    int count() {
        return count;
    }

    /** Number of chunks allocated so far; chunk {@code c} covers slots {@code c*CHUNK ..}. */
    int chunks() {
        return types.length;
    }

    /** The kinds of chunk {@code c}, or null when no slot of that chunk has this path. */
    byte[] typeChunk(int c) {
        return c < types.length ? types[c] : null;
    }

    double[] numberChunk(int c) {
        return c < numbers.length ? numbers[c] : null;
    }

    Object[] refChunk(int c) {
        return c < refs.length ? refs[c] : null;
    }

    byte type(int slot) {
        int c = slot >>> CHUNK_BITS;
        byte[] chunk = c < types.length ? types[c] : null;
        return chunk == null ? ABSENT : chunk[slot & MASK];
    }

    double number(int slot) {
        return numbers[slot >>> CHUNK_BITS][slot & MASK];
    }

    Object ref(int slot) {
        return refs[slot >>> CHUNK_BITS][slot & MASK];
    }

    void setNumber(int slot, double value) {
        int c = slot >>> CHUNK_BITS;
        byte[] chunk = typeChunkForWrite(c);
        if (numbers[c] == null) {
            numbers[c] = new double[CHUNK];
        }
        numbers[c][slot & MASK] = value;
        setType(chunk, slot, NUMBER);
        clearRef(c, slot);
    }

    void setRef(int slot, byte type, Object value) {
        int c = slot >>> CHUNK_BITS;
        byte[] chunk = typeChunkForWrite(c);
        if (refs[c] == null) {
            refs[c] = new Object[CHUNK];
        }
        refs[c][slot & MASK] = value;
        setType(chunk, slot, type);
    }

    void setKind(int slot, byte type) {
        int c = slot >>> CHUNK_BITS;
        byte[] chunk = typeChunkForWrite(c);
        setType(chunk, slot, type);
        clearRef(c, slot);
    }

    void clear(int slot) {
        int c = slot >>> CHUNK_BITS;
        byte[] chunk = c < types.length ? types[c] : null;
        if (chunk == null || chunk[slot & MASK] == ABSENT) {
            return;
        }
        chunk[slot & MASK] = ABSENT;
        count--;
        clearRef(c, slot);
    }

    private void setType(byte[] chunk, int slot, byte type) {
        if (chunk[slot & MASK] == ABSENT) {
            count++;
        }
        chunk[slot & MASK] = type;
    }

    private void clearRef(int c, int slot) {
        // drop the reference so that a replaced string can be collected
        if (refs[c] != null) {
            refs[c][slot & MASK] = null;
        }
    }

    private byte[] typeChunkForWrite(int c) {
        if (c >= types.length) {
            int size = c + 1;
            types = java.util.Arrays.copyOf(types, size);
            numbers = java.util.Arrays.copyOf(numbers, size);
            refs = java.util.Arrays.copyOf(refs, size);
        }
        if (types[c] == null) {
            types[c] = new byte[CHUNK];
        }
        return types[c];
    }

    /** Sort rank of a kind: absent first, then null, numbers, strings, objects, arrays, booleans. */
    static int rank(byte type) {
        return type == TRUE ? FALSE : type;
    }
}
