package nl.lantaarn.search.internal;

/**
 * How indexed values compare with RQL values: numbers with numbers, strings with strings (ordinal, so ISO-8601
 * timestamps order by time), booleans with booleans ({@code false < true}); an array matches when one of its elements
 * does; values of different kinds never match.
 */
final class Values {

    /** A JSON null inside an indexed array. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    /** An object or array inside an indexed array: present, but never equal to or ordered against a value. */
    static final Object NOT_COMPARABLE = new Object() {
        @Override
        public String toString() {
            return "{...}";
        }
    };

    private Values() {
        throw new AssertionError("no instances");
    }

    /** Comparison operators of RQL that compare one value. */
    enum Op {
        EQ, GT, GE, LT, LE;

        boolean test(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
            };
        }
    }

    /**
     * Compares an array element with an RQL operand.
     *
     * @return the comparison, or {@link Integer#MIN_VALUE} when the two cannot be compared
     */
    static int compareElement(Object element, Object operand) {
        if (operand instanceof Double d) {
            return element instanceof Double e ? Double.compare(e, d) : Integer.MIN_VALUE;
        }
        if (operand instanceof String s) {
            return element instanceof String e ? e.compareTo(s) : Integer.MIN_VALUE;
        }
        if (operand instanceof Boolean b) {
            return element instanceof Boolean e ? Boolean.compare(e, b) : Integer.MIN_VALUE;
        }
        if (operand == NULL) {
            return element == NULL ? 0 : Integer.MIN_VALUE;
        }
        return Integer.MIN_VALUE;
    }

    /** Whether any element of an indexed array satisfies {@code op operand}. */
    static boolean anyElement(Object[] elements, Values.Op op, Object operand) {
        for (Object element : elements) {
            int comparison = compareElement(element, operand);
            if (comparison != Integer.MIN_VALUE && op.test(comparison)) {
                return true;
            }
        }
        return false;
    }
}
