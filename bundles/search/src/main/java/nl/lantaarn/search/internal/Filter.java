package nl.lantaarn.search.internal;

import java.util.BitSet;
import java.util.List;

import nl.lantaarn.things.model.Wildcards;

/**
 * A compiled search condition: evaluated against the whole index at once, it gives the slots of the matching things.
 * Callers hold the index's read lock.
 */
interface Filter {

    BitSet evaluate(ThingIndex index);

    /** Matches every thing. */
    Filter ALL = ThingIndex::liveCopy;

    /** {@code and(...)}: every condition holds. */
    record And(List<Filter> children) implements Filter {
        @Override
        public BitSet evaluate(ThingIndex index) {
            BitSet result = null;
            for (Filter child : children) {
                BitSet bits = child.evaluate(index);
                if (result == null) {
                    result = bits;
                } else {
                    result.and(bits);
                }
                if (result.isEmpty()) {
                    break;
                }
            }
            return result == null ? index.liveCopy() : result;
        }
    }

    /** {@code or(...)}: at least one condition holds. */
    record Or(List<Filter> children) implements Filter {
        @Override
        public BitSet evaluate(ThingIndex index) {
            BitSet result = new BitSet();
            for (Filter child : children) {
                result.or(child.evaluate(index));
            }
            return result;
        }
    }

    /** {@code not(...)}: every thing for which the condition does not hold. */
    record Not(Filter child) implements Filter {
        @Override
        public BitSet evaluate(ThingIndex index) {
            BitSet result = index.liveCopy();
            result.andNot(child.evaluate(index));
            return result;
        }
    }

    /** {@code exists(path)}: the thing has a value (of any kind, objects included) at the path. */
    record Exists(PathRef path) implements Filter {
        @Override
        public BitSet evaluate(ThingIndex index) {
            BitSet result = new BitSet();
            for (Column column : path.columns(index)) {
                for (int c = 0; c < column.chunks(); c++) {
                    byte[] types = column.typeChunk(c);
                    if (types == null) {
                        continue;
                    }
                    int base = c << Column.CHUNK_BITS;
                    for (int i = 0; i < Column.CHUNK; i++) {
                        if (types[i] != Column.ABSENT) {
                            result.set(base + i);
                        }
                    }
                }
            }
            return result;
        }
    }

    /**
     * {@code eq}, {@code gt}, {@code ge}, {@code lt}, {@code le} and (with several operands) {@code in}: the value at
     * the path compares as asked with one of the operands (Double, String, Boolean or {@link Values#NULL}).
     */
    record Compare(PathRef path, Values.Op op, List<Object> operands) implements Filter {
        @Override
        public BitSet evaluate(ThingIndex index) {
            BitSet result = new BitSet();
            if (op == Values.Op.EQ && path.isThingId()) {
                for (Object operand : operands) {
                    int slot = operand instanceof String id ? index.slotOf(id) : -1;
                    if (slot >= 0) {
                        result.set(slot);
                    }
                }
                return result;
            }
            for (Column column : path.columns(index)) {
                for (Object operand : operands) {
                    scan(column, operand, result);
                }
            }
            return result;
        }

        private void scan(Column column, Object operand, BitSet result) {
            for (int c = 0; c < column.chunks(); c++) {
                byte[] types = column.typeChunk(c);
                if (types == null) {
                    continue;
                }
                int base = c << Column.CHUNK_BITS;
                double[] numbers = column.numberChunk(c);
                Object[] refs = column.refChunk(c);
                if (operand instanceof Double d) {
                    double v = d;
                    for (int i = 0; i < Column.CHUNK; i++) {
                        byte type = types[i];
                        if (type == Column.NUMBER ? op.test(Double.compare(numbers[i], v))
                                : type == Column.ARRAY && Values.anyElement((Object[]) refs[i], op, operand)) {
                            result.set(base + i);
                        }
                    }
                } else if (operand instanceof String s) {
                    for (int i = 0; i < Column.CHUNK; i++) {
                        byte type = types[i];
                        if (type == Column.STRING ? op.test(((String) refs[i]).compareTo(s))
                                : type == Column.ARRAY && Values.anyElement((Object[]) refs[i], op, operand)) {
                            result.set(base + i);
                        }
                    }
                } else if (operand instanceof Boolean b) {
                    for (int i = 0; i < Column.CHUNK; i++) {
                        byte type = types[i];
                        if (type == Column.TRUE || type == Column.FALSE
                                ? op.test(Boolean.compare(type == Column.TRUE, b))
                                : type == Column.ARRAY && Values.anyElement((Object[]) refs[i], op, operand)) {
                            result.set(base + i);
                        }
                    }
                } else {
                    for (int i = 0; i < Column.CHUNK; i++) {
                        byte type = types[i];
                        if (type == Column.NULL
                                || type == Column.ARRAY && Values.anyElement((Object[]) refs[i], op, operand)) {
                            result.set(base + i);
                        }
                    }
                }
            }
        }
    }

    /** {@code like(path,pattern)}: a string value matches the pattern ({@code *} any characters, {@code ?} one). */
    record Like(PathRef path, LikePattern pattern) implements Filter {
        @Override
        public BitSet evaluate(ThingIndex index) {
            BitSet result = new BitSet();
            for (Column column : path.columns(index)) {
                for (int c = 0; c < column.chunks(); c++) {
                    byte[] types = column.typeChunk(c);
                    if (types == null) {
                        continue;
                    }
                    int base = c << Column.CHUNK_BITS;
                    Object[] refs = column.refChunk(c);
                    for (int i = 0; i < Column.CHUNK; i++) {
                        if (types[i] == Column.STRING ? pattern.matches((String) refs[i])
                                : types[i] == Column.ARRAY && anyMatches((Object[]) refs[i])) {
                            result.set(base + i);
                        }
                    }
                }
            }
            return result;
        }

        private boolean anyMatches(Object[] elements) {
            for (Object element : elements) {
                if (element instanceof String s && pattern.matches(s)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A Ditto {@code like} pattern: {@code *} any characters, {@code ?} one. The common shapes (prefix, suffix, infix,
     * exact) are plain string tests; the rest is matched by {@link #wildcard} without regular expressions, whose
     * backtracking a crafted pattern such as {@code *a*a*a*a*b} would make take exponential time.
     */
    final class LikePattern {
        private final String pattern;
        private final String literal;
        private final int shape; // 0 exact, 1 prefix, 2 suffix, 3 infix, 4 wildcards inside

        LikePattern(String pattern) {
            this.pattern = pattern;
            String inner = pattern;
            boolean leading = inner.startsWith("*");
            boolean trailing = inner.length() > (leading ? 1 : 0) && inner.endsWith("*");
            inner = inner.substring(leading ? 1 : 0, inner.length() - (trailing ? 1 : 0));
            if (pattern.equals("*")) {
                literal = "";
                shape = 1;
            } else if (inner.indexOf('*') < 0 && inner.indexOf('?') < 0) {
                literal = inner;
                shape = leading ? (trailing ? 3 : 2) : (trailing ? 1 : 0);
            } else {
                literal = null;
                shape = 4;
            }
        }

        boolean matches(String value) {
            return switch (shape) {
                case 0 -> value.equals(literal);
                case 1 -> value.startsWith(literal);
                case 2 -> value.endsWith(literal);
                case 3 -> value.contains(literal);
                default -> Wildcards.matches(pattern, value);
            };
        }
    }

    /** A searchable path: exact, or with {@code *} segments (e.g. {@code features/{@literal *}/properties/laeq}). */
    record PathRef(String path, String[] segments, boolean wildcard) {

        static PathRef of(String path) {
            String[] segments = path.split("/", -1);
            boolean wildcard = false;
            for (String segment : segments) {
                wildcard |= "*".equals(segment);
            }
            return new PathRef(path, segments, wildcard);
        }

        boolean isThingId() {
            return "thingId".equals(path);
        }

        List<Column> columns(ThingIndex index) {
            if (wildcard) {
                return index.columnsMatching(segments);
            }
            Column column = index.column(path);
            return column == null ? List.of() : List.of(column);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PathRef p && p.path.equals(path);
        }

        @Override
        public int hashCode() {
            return path.hashCode();
        }

        @Override
        public String toString() {
            return path;
        }
    }
}
