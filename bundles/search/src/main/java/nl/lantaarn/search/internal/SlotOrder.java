package nl.lantaarn.search.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Orders slots by a {@link Sort}, thing id last; picks the first {@code k} matches after a cursor without sorting
 * them all (a bounded heap). Callers hold the index's read lock.
 */
final class SlotOrder {

    private final ThingIndex index;
    private final Column[] columns;
    private final boolean[] descending;

    SlotOrder(ThingIndex index, Sort sort) {
        this.index = index;
        List<Sort.Field> fields = sort.fields();
        this.columns = new Column[fields.size()];
        this.descending = new boolean[fields.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = index.column(fields.get(i).path().path());
            descending[i] = fields.get(i).descending();
        }
    }

    int compare(int a, int b) {
        for (int i = 0; i < columns.length; i++) {
            int c = compareField(columns[i], a, b);
            if (c != 0) {
                return descending[i] ? -c : c;
            }
        }
        return index.thingId(a).compareTo(index.thingId(b));
    }

    /** Whether the slot comes after the cursor's position. */
    boolean after(int slot, Cursor cursor) {
        for (int i = 0; i < columns.length; i++) {
            int c = compareKey(columns[i], slot, cursor.keys().get(i));
            if (c != 0) {
                return descending[i] ? c < 0 : c > 0;
            }
        }
        return index.thingId(slot).compareTo(cursor.thingId()) > 0;
    }

    /** The sort values of a slot, for a cursor. */
    List<Cursor.Key> keys(int slot) {
        List<Cursor.Key> keys = new ArrayList<>(columns.length);
        for (Column column : columns) {
            byte type = column == null ? Column.ABSENT : column.type(slot);
            keys.add(switch (type) {
                case Column.NUMBER -> new Cursor.Key(type, column.number(slot), null);
                case Column.STRING -> new Cursor.Key(type, 0, (String) column.ref(slot));
                default -> new Cursor.Key(type, 0, null);
            });
        }
        return keys;
    }

    /**
     * The first {@code k} matching slots in order, starting after the cursor when there is one.
     */
    int[] first(BitSet matches, Cursor cursor, int k) {
        // max-heap on this order: the root is the last of the best k seen so far
        int[] heap = new int[k];
        int size = 0;
        for (int slot = matches.nextSetBit(0); slot >= 0; slot = matches.nextSetBit(slot + 1)) {
            if (cursor != null && !after(slot, cursor)) {
                continue;
            }
            if (size < k) {
                heap[size] = slot;
                siftUp(heap, size++);
            } else if (compare(slot, heap[0]) < 0) {
                heap[0] = slot;
                siftDown(heap, size);
            }
        }
        int[] ordered = new int[size];
        for (int i = size - 1; i >= 0; i--) {
            ordered[i] = heap[0];
            heap[0] = heap[i];
            siftDown(heap, i);
        }
        return ordered;
    }

    private void siftUp(int[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (compare(heap[i], heap[parent]) <= 0) {
                return;
            }
            swap(heap, i, parent);
            i = parent;
        }
    }

    private void siftDown(int[] heap, int size) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int largest = left;
            int right = left + 1;
            if (right < size && compare(heap[right], heap[left]) > 0) {
                largest = right;
            }
            if (compare(heap[largest], heap[i]) <= 0) {
                return;
            }
            swap(heap, i, largest);
            i = largest;
        }
    }

    private static void swap(int[] heap, int i, int j) {
        int t = heap[i];
        heap[i] = heap[j];
        heap[j] = t;
    }

    private static int compareField(Column column, int a, int b) {
        if (column == null) {
            return 0;
        }
        byte ta = column.type(a);
        byte tb = column.type(b);
        int c = Integer.compare(Column.rank(ta), Column.rank(tb));
        if (c != 0) {
            return c;
        }
        return switch (ta) {
            case Column.NUMBER -> Double.compare(column.number(a), column.number(b));
            case Column.STRING -> ((String) column.ref(a)).compareTo((String) column.ref(b));
            case Column.FALSE, Column.TRUE -> Byte.compare(ta, tb);
            default -> 0;
        };
    }

    private static int compareKey(Column column, int slot, Cursor.Key key) {
        byte ta = column == null ? Column.ABSENT : column.type(slot);
        int c = Integer.compare(Column.rank(ta), Column.rank(key.type()));
        if (c != 0) {
            return c;
        }
        return switch (ta) {
            case Column.NUMBER -> Double.compare(column.number(slot), key.number());
            case Column.STRING -> ((String) column.ref(slot)).compareTo(key.string());
            case Column.FALSE, Column.TRUE -> Byte.compare(ta, key.type());
            default -> 0;
        };
    }
}
