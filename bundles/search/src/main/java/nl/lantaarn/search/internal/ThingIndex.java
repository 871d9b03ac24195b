package nl.lantaarn.search.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;

import nl.lantaarn.things.model.HubConventions;

/**
 * Every thing flattened into columns: one {@link Column} per JSON path (objects included, so that {@code exists} on
 * {@code features/noise} is one look-up), each thing one slot. A query scans primitive arrays, which for 100,000 things
 * takes well under a millisecond per condition, so no per-field tree index is needed; locations are kept as two
 * {@code double[]} for the geo conditions.
 * <p>
 * One writer at a time (the index's own thread, in batches) and any number of readers, under a read-write lock.
 */
final class ThingIndex {

    /**
     * The special fields of a thing's stored JSON that are searchable; the others (such as {@code _metadata}, which
     * would multiply the paths) are never indexed.
     */
    static final Set<String> SEARCHABLE_SPECIAL = Set.of("_revision", "_modified", "_created");
    static final String REVISION = "_revision";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Integer> slots = new HashMap<>();
    private final Map<String, Integer> pathIds = new HashMap<>();
    private Column[] columns = new Column[64];
    private int columnCount;
    private String[] ids = new String[1024];
    private long[] revisions = new long[1024];
    private int[][] pathsOfSlot = new int[1024][];
    private double[] lon = new double[1024];
    private double[] lat = new double[1024];
    private final BitSet live = new BitSet();
    private int slotLimit;
    private int[] free = new int[64];
    private int freeCount;
    // scratch for one upsert, used only under the write lock
    private int[] scratch = new int[64];
    private int scratchSize;

    // ---------------------------------------------------------------- writing (callers hold no lock)

    /**
     * Indexes the thing unless the index already holds a newer revision of it.
     *
     * @return whether the index changed
     */
    boolean upsert(Thing thing) {
        lock.writeLock().lock();
        try {
            return upsertLocked(thing);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Applies a batch of changes, in order, under one write lock. */
    void apply(List<Change> changes) {
        lock.writeLock().lock();
        try {
            for (Change change : changes) {
                if (change.reset() && change.thingId() != null) {
                    removeLocked(change.thingId(), Long.MAX_VALUE);
                }
                if (change.thing() != null) {
                    upsertLocked(change.thing());
                } else {
                    removeLocked(change.thingId(), change.revision());
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Removes the thing unless the index holds a revision newer than {@code revision}.
     *
     * @return whether the thing was there and is gone now
     */
    boolean remove(String thingId, long revision) {
        lock.writeLock().lock();
        try {
            return removeLocked(thingId, revision);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * One indexed change: a thing to upsert, or (thing null) a removal of thingId at revision. With {@code reset}, what
     * the index holds of the thing is dropped first, whatever its revision (the thing was deleted or created anew).
     */
    record Change(String thingId, long revision, Thing thing, boolean reset) {
    }

    /**
     * Indexes things given as their stored Ditto JSON, flattened beforehand ({@link StoredThingFlattener}, outside the
     * lock), under one write lock, unless the index holds a newer revision of one.
     */
    void applyStored(List<StoredThingFlattener.Flat> things) {
        lock.writeLock().lock();
        try {
            for (StoredThingFlattener.Flat flat : things) {
                upsertFlatLocked(flat);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void upsertFlatLocked(StoredThingFlattener.Flat flat) {
        int slot = slotFor(flat.thingId, flat.revision);
        if (slot < 0) {
            return;
        }
        scratchSize = 0;
        for (int i = 0; i < flat.size; i++) {
            Column column = column(flat.paths[i], slot);
            byte kind = flat.kinds[i];
            switch (kind) {
                case Column.NUMBER -> column.setNumber(slot, flat.numbers[i]);
                case Column.STRING, Column.ARRAY -> column.setRef(slot, kind, flat.refs[i]);
                default -> column.setKind(slot, kind);
            }
        }
        keepPaths(slot);
        lon[slot] = flat.lon;
        lat[slot] = flat.lat;
    }

    /** The slot of the thing at this revision, taken if new; -1 when the index holds a newer revision. */
    private int slotFor(String id, long revision) {
        Integer existing = slots.get(id);
        int slot;
        if (existing != null) {
            slot = existing;
            if (revision < revisions[slot]) {
                return -1;
            }
        } else {
            slot = freeCount > 0 ? free[--freeCount] : slotLimit++;
            ensureSlotCapacity(slot + 1);
            slots.put(id, slot);
            ids[slot] = id;
            live.set(slot);
        }
        revisions[slot] = revision;
        return slot;
    }

    /** The paths set since {@code scratchSize = 0} are now the slot's: clears the ones it had before and not now. */
    private void keepPaths(int slot) {
        int[] now = Arrays.copyOf(scratch, scratchSize);
        Arrays.sort(now);
        int[] before = pathsOfSlot[slot];
        if (before != null) {
            clearMissing(slot, before, now);
        }
        pathsOfSlot[slot] = now;
    }

    private boolean upsertLocked(Thing thing) {
        String id = thing.getEntityId().map(Object::toString).orElse(null);
        if (id == null) {
            return false;
        }
        long revision = thing.getRevision().map(r -> r.toLong()).orElse(0L);
        return upsertLocked(id, revision, thing.toJson(), thing);
    }

    /**
     * @param json  the thing's JSON: its regular fields when {@code thing} is given (whose revision and times are then
     *              indexed from it), else as stored, with its special fields
     */
    private boolean upsertLocked(String id, long revision, JsonObject json, Thing thing) {
        int slot = slotFor(id, revision);
        if (slot < 0) {
            return false;
        }
        scratchSize = 0;
        flattenObject("", json, slot);
        if (thing != null) {
            thing.getRevision().ifPresent(r -> setNumber(REVISION, slot, r.toLong()));
            thing.getModified().ifPresent(m -> setString("_modified", slot, m.toString()));
            thing.getCreated().ifPresent(c -> setString("_created", slot, c.toString()));
        }
        keepPaths(slot);
        setLocation(slot, json);
        return true;
    }

    private boolean removeLocked(String id, long revision) {
        Integer existing = slots.get(id);
        if (existing == null) {
            return false;
        }
        int slot = existing;
        if (revision < revisions[slot]) {
            return false;
        }
        int[] paths = pathsOfSlot[slot];
        if (paths != null) {
            for (int pathId : paths) {
                columns[pathId].clear(slot);
            }
        }
        pathsOfSlot[slot] = null;
        slots.remove(id);
        ids[slot] = null;
        revisions[slot] = 0;
        lon[slot] = Double.NaN;
        lat[slot] = Double.NaN;
        live.clear(slot);
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
        return true;
    }

    private void clearMissing(int slot, int[] before, int[] now) {
        int j = 0;
        for (int pathId : before) {
            while (j < now.length && now[j] < pathId) {
                j++;
            }
            if (j >= now.length || now[j] != pathId) {
                columns[pathId].clear(slot);
            }
        }
    }

    private void flattenObject(String prefix, JsonObject object, int slot) {
        for (JsonField field : object) {
            String key = field.getKeyName();
            if (prefix.isEmpty() && key.startsWith("_") && !SEARCHABLE_SPECIAL.contains(key)) {
                continue;
            }
            String path = prefix.isEmpty() ? key : prefix + "/" + key;
            JsonValue value = field.getValue();
            if (value.isObject()) {
                column(path, slot).setKind(slot, Column.OBJECT);
                flattenObject(path, value.asObject(), slot);
            } else {
                setValue(path, slot, value);
            }
        }
    }

    private void setValue(String path, int slot, JsonValue value) {
        Column column = column(path, slot);
        if (value.isNumber()) {
            column.setNumber(slot, value.asDouble());
        } else if (value.isString()) {
            column.setRef(slot, Column.STRING, value.asString());
        } else if (value.isBoolean()) {
            column.setKind(slot, value.asBoolean() ? Column.TRUE : Column.FALSE);
        } else if (value.isArray()) {
            column.setRef(slot, Column.ARRAY, arrayElements(value.asArray()));
        } else {
            column.setKind(slot, Column.NULL);
        }
    }

    private void setNumber(String path, int slot, double value) {
        column(path, slot).setNumber(slot, value);
    }

    private void setString(String path, int slot, String value) {
        column(path, slot).setRef(slot, Column.STRING, value);
    }

    /** The column of a path, created if new; records that the slot has this path. */
    private Column column(String path, int slot) {
        Integer id = pathIds.get(path);
        if (id == null) {
            id = columnCount;
            if (columnCount == columns.length) {
                columns = Arrays.copyOf(columns, columns.length * 2);
            }
            columns[columnCount++] = new Column(path);
            pathIds.put(path, id);
        }
        if (scratchSize == scratch.length) {
            scratch = Arrays.copyOf(scratch, scratch.length * 2);
        }
        scratch[scratchSize++] = id;
        return columns[id];
    }

    /** Array elements as comparable Java values: Double, String, Boolean, or {@link Values#NOT_COMPARABLE}. */
    private static Object[] arrayElements(JsonArray array) {
        Object[] elements = new Object[array.getSize()];
        int i = 0;
        for (JsonValue element : array) {
            if (element.isNumber()) {
                elements[i++] = element.asDouble();
            } else if (element.isString()) {
                elements[i++] = element.asString();
            } else if (element.isBoolean()) {
                elements[i++] = element.asBoolean();
            } else if (element.isNull()) {
                elements[i++] = Values.NULL;
            } else {
                elements[i++] = Values.NOT_COMPARABLE;
            }
        }
        return elements;
    }

    private void setLocation(int slot, JsonObject json) {
        double x = Double.NaN;
        double y = Double.NaN;
        JsonValue location = json.getValue("attributes/" + HubConventions.LOCATION).orElse(null);
        if (location != null && location.isObject()) {
            JsonValue coordinates = location.asObject().getValue("coordinates").orElse(null);
            if (coordinates != null && coordinates.isArray() && coordinates.asArray().getSize() >= 2) {
                JsonValue first = coordinates.asArray().get(0).orElseThrow();
                JsonValue second = coordinates.asArray().get(1).orElseThrow();
                if (first.isNumber() && second.isNumber()) {
                    double candidateLon = first.asDouble();
                    double candidateLat = second.asDouble();
                    if (candidateLon >= -180 && candidateLon <= 180 && candidateLat >= -90 && candidateLat <= 90) {
                        x = candidateLon;
                        y = candidateLat;
                    }
                }
            }
        }
        lon[slot] = x;
        lat[slot] = y;
    }

    private void ensureSlotCapacity(int size) {
        if (size <= ids.length) {
            return;
        }
        int capacity = Math.max(size, ids.length * 2);
        ids = Arrays.copyOf(ids, capacity);
        revisions = Arrays.copyOf(revisions, capacity);
        pathsOfSlot = Arrays.copyOf(pathsOfSlot, capacity);
        int old = lon.length;
        lon = Arrays.copyOf(lon, capacity);
        lat = Arrays.copyOf(lat, capacity);
        Arrays.fill(lon, old, capacity, Double.NaN);
        Arrays.fill(lat, old, capacity, Double.NaN);
    }

    // ---------------------------------------------------------------- reading (callers hold the read lock)

    /** Runs a read under the read lock. */
    <T> T read(Supplier<T> reader) {
        lock.readLock().lock();
        try {
            return reader.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Number of things held. */
    int size() {
        return read(slots::size);
    }

    /** Number of distinct JSON paths held. */
    int paths() {
        return read(() -> columnCount);
    }

    /** Slots of the things held; a copy the caller may change. */
    BitSet liveCopy() {
        return (BitSet) live.clone();
    }

    /** One more than the highest slot in use. */
    int slotLimit() {
        return slotLimit;
    }

    /** The column of an exact path, or null when no thing has it. */
    Column column(String path) {
        Integer id = pathIds.get(path);
        return id == null ? null : columns[id];
    }

    /** Columns whose path matches the segments, where a {@code *} segment matches any one segment. */
    List<Column> columnsMatching(String[] pattern) {
        List<Column> matching = new ArrayList<>();
        for (int i = 0; i < columnCount; i++) {
            String[] segments = columns[i].segments;
            if (segments.length != pattern.length) {
                continue;
            }
            boolean match = true;
            for (int s = 0; s < segments.length && match; s++) {
                match = "*".equals(pattern[s]) || pattern[s].equals(segments[s]);
            }
            if (match) {
                matching.add(columns[i]);
            }
        }
        return matching;
    }

    /** The slot of a thing id, or -1. */
    int slotOf(String thingId) {
        Integer slot = slots.get(thingId);
        return slot == null ? -1 : slot;
    }

    String thingId(int slot) {
        return ids[slot];
    }

    /** Longitude of the thing's location, NaN when it has none. */
    double lon(int slot) {
        return lon[slot];
    }

    double lat(int slot) {
        return lat[slot];
    }

    double[] lons() {
        return lon;
    }

    double[] lats() {
        return lat;
    }
}
