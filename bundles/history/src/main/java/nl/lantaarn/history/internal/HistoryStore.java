package nl.lantaarn.history.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

import nl.lantaarn.history.api.HistoryBucket;
import nl.lantaarn.history.api.HistoryPoint;
import nl.lantaarn.history.api.HistoryQuery;
import nl.lantaarn.history.api.HistoryQueryException;
import nl.lantaarn.history.api.HistoryResult;
import nl.lantaarn.history.api.HistoryUnavailableException;
import nl.lantaarn.history.api.Step;
import nl.lantaarn.personaldata.api.DataSubject;

/**
 * The time series in one H2 MVStore file, in three maps:
 * <ul>
 * <li>{@code series}: {@code thingId NUL feature NUL /property/path} to {@link SeriesInfo} (id and feature
 * definition); sorted, so the series of one thing are neighbours;</li>
 * <li>{@code points}: {@link PointKey} (series id, time in microseconds, revision) to the value; a range of one series
 * is one cursor scan;</li>
 * <li>{@code meta}: the format version and the next series id.</li>
 * </ul>
 * Changes are committed by the store's background writer every commit interval, in one batch; a crash loses at most
 * the changes of the last interval and never corrupts what was committed. {@link #record} must be called by one thread
 * at a time (the recorder's); queries and {@link #purge} may run on any thread at the same time, each on a snapshot.
 */
final class HistoryStore implements AutoCloseable {

    static final long FORMAT = 1;
    private static final char SEPARATOR = '\u0000';
    private static final String NEXT_SERIES_ID = "nextSeriesId";
    private static final String FORMAT_KEY = "format";

    private final Path file;
    private final MVStore store;
    private final MVMap<String, SeriesInfo> series;
    private final MVMap<PointKey, Object> points;
    private final MVMap<String, Long> meta;
    private long nextSeriesId;

    private HistoryStore(Path file, MVStore store) {
        this.file = file;
        this.store = store;
        this.series = store.openMap("series", new MVMap.Builder<String, SeriesInfo>()
                .keyType(StringDataType.INSTANCE).valueType(SeriesInfo.Type.INSTANCE));
        this.points = store.openMap("points", new MVMap.Builder<PointKey, Object>()
                .keyType(PointKey.Type.INSTANCE).valueType(Values.Type.INSTANCE));
        this.meta = store.openMap("meta", new MVMap.Builder<String, Long>()
                .keyType(StringDataType.INSTANCE).valueType(LongDataType.INSTANCE));
        Long format = meta.putIfAbsent(FORMAT_KEY, FORMAT);
        if (format != null && format != FORMAT) {
            throw new IllegalStateException("The history store " + file + " has format " + format + ", this version "
                    + "reads format " + FORMAT + "; move the file aside or set 'file' in etc/" + HistoryComponent.PID
                    + ".cfg");
        }
        this.nextSeriesId = meta.getOrDefault(NEXT_SERIES_ID, 1L);
    }

    /**
     * Opens or creates the store in {@code file}.
     *
     * @param commitIntervalMillis how often changes are written to the file
     * @param backgroundErrors     told when the background writer fails (e.g. the disk is full); the store is closed then
     * @throws HistoryUnavailableException when the file cannot be created, is locked by another process or is damaged;
     *                                     the message names the file and what to do
     */
    static HistoryStore open(Path file, int commitIntervalMillis, Thread.UncaughtExceptionHandler backgroundErrors) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            if (folder != null) {
                Files.createDirectories(folder);
            }
        } catch (IOException e) {
            throw new HistoryUnavailableException("Cannot create the folder of the history store " + file + ": " + e
                    + "; make it writable or set 'file' in etc/" + HistoryComponent.PID + ".cfg", e);
        }
        MVStore store;
        try {
            store = new MVStore.Builder()
                    .fileName(file.toString())
                    .backgroundExceptionHandler(backgroundErrors)
                    .open();
        } catch (RuntimeException e) {
            throw new HistoryUnavailableException("Cannot open the history store " + file + ": " + e.getMessage()
                    + "; check that the folder is writable, that no other hub uses the same home, and move a damaged "
                    + "file aside, or set 'file' in etc/" + HistoryComponent.PID + ".cfg", e);
        }
        try {
            store.setAutoCommitDelay(commitIntervalMillis);
            return new HistoryStore(file, store);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw new HistoryUnavailableException(e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    /**
     * Records one property value. Called by one thread at a time.
     *
     * @param definition the feature's definition identifier, "" for none; selects the retention
     * @throws IllegalStateException when the store is closed or failed
     */
    void record(String thingId, String feature, JsonPointer property, String definition, Instant time, long revision,
            Object value) {
        String name = seriesName(thingId, feature, property);
        SeriesInfo info = series.get(name);
        if (info == null) {
            info = new SeriesInfo(nextSeriesId++, definition);
            series.put(name, info);
            meta.put(NEXT_SERIES_ID, nextSeriesId);
        } else if (!info.definition().equals(definition)) {
            info = new SeriesInfo(info.id(), definition);
            series.put(name, info);
        }
        points.put(new PointKey(info.id(), micros(time), revision), value);
    }

    /** Answers a query from a snapshot of the store. */
    HistoryResult query(HistoryQuery query) {
        SeriesInfo info;
        try {
            info = series.get(seriesName(query.thingId().toString(), query.feature(), query.property()));
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        return query.step().isPresent() ? buckets(query, info) : points(query, info);
    }

    private HistoryResult points(HistoryQuery query, SeriesInfo info) {
        List<HistoryPoint> found = new ArrayList<>();
        if (info == null) {
            return HistoryResult.points(query, found, null);
        }
        long id = info.id();
        long to = micros(query.to());
        Instant next = null;
        long lastMicros = Long.MIN_VALUE;
        try {
            Cursor<PointKey, Object> cursor = points.cursor(PointKey.first(id, micros(query.from())),
                    PointKey.first(id, to), false);
            while (cursor.hasNext()) {
                PointKey key = cursor.next();
                if (key.series() != id || key.micros() >= to) {
                    break;
                }
                // a page ends between two times, so that the next one, from 'next', repeats nothing
                if (found.size() >= query.limit() && key.micros() != lastMicros) {
                    next = instant(key.micros());
                    break;
                }
                found.add(new HistoryPoint(instant(key.micros()), Values.toJson(cursor.getValue())));
                lastMicros = key.micros();
            }
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        return HistoryResult.points(query, found, next);
    }

    private HistoryResult buckets(HistoryQuery query, SeriesInfo info) {
        Step step = query.step().orElseThrow();
        Instant from = step.floor(query.from());
        Instant to = step.ceil(query.to());
        List<HistoryBucket> found = new ArrayList<>();
        if (info == null) {
            return HistoryResult.buckets(query, from, to, found, null);
        }
        long id = info.id();
        long toMicros = micros(to);
        long stepMicros = step.micros();
        Instant next = null;
        Bucket bucket = null;
        try {
            Cursor<PointKey, Object> cursor = points.cursor(PointKey.first(id, micros(from)),
                    PointKey.first(id, toMicros), false);
            while (cursor.hasNext()) {
                PointKey key = cursor.next();
                if (key.series() != id || key.micros() >= toMicros) {
                    break;
                }
                Object value = cursor.getValue();
                if (!Values.isNumber(value)) {
                    throw new HistoryQueryException("step", "Property '" + propertyText(query.property())
                            + "' of feature '" + query.feature() + "' of " + query.thingId() + " holds a value that is "
                            + "not a number (" + Values.toJson(value) + " at " + instant(key.micros()) + "); 'step' "
                            + "aggregates numbers only: leave 'step' out to read the values.");
                }
                long start = Math.floorDiv(key.micros(), stepMicros) * stepMicros;
                if (bucket == null || bucket.start != start) {
                    if (bucket != null) {
                        found.add(bucket.toBucket());
                        if (found.size() >= query.limit()) {
                            next = instant(start);
                            bucket = null;
                            break;
                        }
                    }
                    bucket = new Bucket(start);
                }
                bucket.add(((Number) value).doubleValue());
            }
        } catch (HistoryQueryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        if (bucket != null) {
            found.add(bucket.toBucket());
        }
        return HistoryResult.buckets(query, from, to, found, next);
    }

    /**
     * Removes the points older than the retention of their series at {@code now}. May run while points are recorded.
     *
     * @return how many points were removed
     */
    long purge(RetentionPolicy policy, Instant now) {
        return purge(policy, now, (thingId, feature) -> Optional.empty());
    }

    /**
     * Removes the points older than the retention of their series at {@code now}: the shorter of the policy's and
     * {@code manifest}'s for the series' thing and feature (the retention of the feature's data categories).
     *
     * @return how many points were removed
     */
    long purge(RetentionPolicy policy, Instant now, BiFunction<String, String, Optional<Duration>> manifest) {
        long removed = 0;
        Cursor<String, SeriesInfo> all = series.cursor(null);
        while (all.hasNext() && !Thread.currentThread().isInterrupted()) {
            all.next();
            SeriesInfo info = all.getValue();
            long id = info.id();
            Duration retention = policy.retention(info.definition());
            String[] parts = all.getKey().split(String.valueOf(SEPARATOR), 3);
            Optional<Duration> declared = parts.length == 3 ? manifest.apply(parts[0], parts[1]) : Optional.empty();
            if (declared.isPresent() && declared.get().compareTo(retention) < 0) {
                retention = declared.get();
            }
            long cutoff = micros(now.minus(retention));
            Cursor<PointKey, Object> old = points.cursor(PointKey.first(id, Long.MIN_VALUE),
                    PointKey.first(id, cutoff), false);
            while (old.hasNext()) {
                PointKey key = old.next();
                if (key.series() != id || key.micros() >= cutoff) {
                    break;
                }
                // the cursor reads a snapshot, so removing behind it is safe
                points.remove(key);
                removed++;
            }
        }
        return removed;
    }

    /**
     * The series a data subject is linked to: every series of the thing, or for a pseudonym every series of each
     * (thing, feature) one of whose points contains it, since the other properties of that feature were recorded
     * with it.
     */
    List<String> seriesOf(DataSubject subject) {
        List<String> result = new ArrayList<>();
        if (subject.kind() == DataSubject.Kind.THING) {
            String prefix = subject.value() + SEPARATOR;
            Cursor<String, SeriesInfo> cursor = series.cursor(prefix);
            while (cursor.hasNext()) {
                String name = cursor.next();
                if (!name.startsWith(prefix)) {
                    break;
                }
                result.add(name);
            }
            return result;
        }
        java.util.Set<String> features = new java.util.TreeSet<>();
        Cursor<String, SeriesInfo> all = series.cursor(null);
        while (all.hasNext()) {
            String name = all.next();
            long id = all.getValue().id();
            Cursor<PointKey, Object> cursor = points.cursor(PointKey.first(id, Long.MIN_VALUE));
            while (cursor.hasNext()) {
                PointKey key = cursor.next();
                if (key.series() != id) {
                    break;
                }
                if (subject.occursIn(Values.toJson(cursor.getValue()).toString())) {
                    features.add(name.substring(0, name.lastIndexOf(SEPARATOR) + 1));
                    break;
                }
            }
        }
        Cursor<String, SeriesInfo> again = series.cursor(null);
        while (again.hasNext()) {
            String name = again.next();
            if (features.contains(name.substring(0, name.lastIndexOf(SEPARATOR) + 1))) {
                result.add(name);
            }
        }
        return result;
    }

    /** The points of a series as {@code {"thingId","feature","property","points":[{"at","value"}]}}. */
    String export(String name) {
        SeriesInfo info = series.get(name);
        String[] parts = name.split(String.valueOf(SEPARATOR), 3);
        JsonArrayBuilder found = JsonArray.newBuilder();
        if (info != null) {
            Cursor<PointKey, Object> cursor = points.cursor(PointKey.first(info.id(), Long.MIN_VALUE));
            while (cursor.hasNext()) {
                PointKey key = cursor.next();
                if (key.series() != info.id()) {
                    break;
                }
                found.add(JsonObject.newBuilder().set("at", instant(key.micros()).toString())
                        .set("value", Values.toJson(cursor.getValue())).build());
            }
        }
        return JsonObject.newBuilder().set("thingId", parts[0]).set("feature", parts[1]).set("property", parts[2])
                .set("points", found.build()).build().toString();
    }

    /**
     * Removes the series and all their points, commits, and rewrites the file so that no earlier chunk keeps them.
     *
     * @return how many points were removed
     */
    long erase(List<String> names) {
        long removed = 0;
        for (String name : names) {
            SeriesInfo info = series.remove(name);
            if (info == null) {
                continue;
            }
            Cursor<PointKey, Object> cursor = points.cursor(PointKey.first(info.id(), Long.MIN_VALUE));
            while (cursor.hasNext()) {
                PointKey key = cursor.next();
                if (key.series() != info.id()) {
                    break;
                }
                points.remove(key);
                removed++;
            }
        }
        if (!names.isEmpty()) {
            store.commit();
            // MVStore appends: without a compaction the erased values would stay in chunks no longer in use
            store.compactFile(10_000);
        }
        return removed;
    }

    long pointCount() {
        return points.sizeAsLong();
    }

    long seriesCount() {
        return series.sizeAsLong();
    }

    /** Size of the file in bytes, or -1 when it cannot be read. */
    long fileSize() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    boolean isOpen() {
        return !store.isClosed();
    }

    void commitInterval(int millis) {
        store.setAutoCommitDelay(millis);
    }

    /** Writes what is not yet in the file now, rather than at the next commit interval. */
    void commit() {
        store.commit();
    }

    /** Whether recorded changes wait for the next commit. */
    boolean hasUnsavedChanges() {
        return store.hasUnsavedChanges();
    }

    /** Closes without writing what waits for a commit, as a crash would leave the file. */
    void closeAsCrash() {
        store.closeImmediately();
    }

    /** Commits and closes; what was recorded is in the file afterwards. */
    @Override
    public void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }

    private HistoryUnavailableException unavailable(RuntimeException e) {
        return new HistoryUnavailableException("Cannot read the history store " + file + ": " + e.getMessage()
                + "; see /api/v1/health (component 'history')", e);
    }

    static String seriesName(String thingId, String feature, JsonPointer property) {
        return thingId + SEPARATOR + feature + SEPARATOR + property;
    }

    /** Microseconds since the epoch; saturates far outside any real time rather than overflowing. */
    static long micros(Instant time) {
        try {
            return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
        } catch (ArithmeticException e) {
            return time.getEpochSecond() < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
        }
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** A property path as written in the URL: without the leading slash. */
    static String propertyText(JsonPointer property) {
        String text = property.toString();
        return text.startsWith("/") ? text.substring(1) : text;
    }

    /** Running minimum, maximum, sum and count of one bucket. */
    private static final class Bucket {
        final long start;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        long count;

        Bucket(long start) {
            this.start = start;
        }

        void add(double value) {
            min = Math.min(min, value);
            max = Math.max(max, value);
            sum += value;
            count++;
        }

        HistoryBucket toBucket() {
            return new HistoryBucket(instant(start), min, max, sum / count, count);
        }
    }
}
