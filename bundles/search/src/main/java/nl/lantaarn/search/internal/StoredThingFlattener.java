package nl.lantaarn.search.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import nl.lantaarn.things.model.HubConventions;

/**
 * Flattens a thing's stored Ditto JSON into the paths and values the {@link ThingIndex} keeps, with a streaming parser
 * and without building a JSON tree: at start a million things are indexed this way, on all cores, and only the
 * setting of the columns happens under the index's lock. It yields what {@link ThingIndex} makes of the same thing
 * parsed as a Ditto JSON object. Thread safe: the workers share one flattener.
 */
final class StoredThingFlattener {

    /** Distinct paths kept canonical; past this (things with keys of their own) paths are just concatenated. */
    private static final int MAX_CANONICAL_PATHS = 1 << 16;
    private static final String COORDINATES = "attributes/" + HubConventions.LOCATION + "/coordinates";

    private final JsonFactory factory = new JsonFactory();
    /**
     * Path of a key under a parent path, one instance per path: its hash is computed once, and the index finds its
     * column by that same instance. Jackson canonicalises the keys themselves.
     */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> children = new ConcurrentHashMap<>();
    private final AtomicInteger canonical = new AtomicInteger();

    /** One thing's indexable content: its paths in document order and the value of each. */
    static final class Flat {
        final String thingId;
        long revision;
        double lon = Double.NaN;
        double lat = Double.NaN;
        String[] paths = new String[32];
        byte[] kinds = new byte[32];
        double[] numbers = new double[32];
        Object[] refs = new Object[32];
        int size;

        Flat(String thingId) {
            this.thingId = thingId;
        }

        void add(String path, byte kind, double number, Object ref) {
            if (size == paths.length) {
                int capacity = size * 2;
                paths = Arrays.copyOf(paths, capacity);
                kinds = Arrays.copyOf(kinds, capacity);
                numbers = Arrays.copyOf(numbers, capacity);
                refs = Arrays.copyOf(refs, capacity);
            }
            paths[size] = path;
            kinds[size] = kind;
            numbers[size] = number;
            refs[size] = ref;
            size++;
        }
    }

    /**
     * The thing's paths and values.
     *
     * @throws IllegalArgumentException when the JSON is not an object
     */
    Flat flatten(String thingId, String json) {
        Flat flat = new Flat(thingId);
        try (JsonParser parser = factory.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the stored JSON of " + thingId + " is not an object");
            }
            object(parser, "", flat);
        } catch (IOException e) {
            throw new IllegalArgumentException("the stored JSON of " + thingId + " cannot be read: "
                    + e.getMessage(), e);
        }
        return flat;
    }

    /** The fields of the object whose START_OBJECT was just read, up to and including its END_OBJECT. */
    private void object(JsonParser parser, String prefix, Flat flat) throws IOException {
        boolean top = prefix.isEmpty();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken token = parser.nextToken();
            if (top && key.startsWith("_") && !ThingIndex.SEARCHABLE_SPECIAL.contains(key)) {
                parser.skipChildren();
                continue;
            }
            if (top && key.equals(ThingIndex.REVISION)) {
                if (token == JsonToken.VALUE_NUMBER_INT) {
                    flat.revision = parser.getLongValue();
                } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    flat.revision = (long) parser.getDoubleValue();
                }
            }
            String path = path(prefix, key);
            switch (token) {
                case START_OBJECT -> {
                    flat.add(path, Column.OBJECT, 0, null);
                    object(parser, path, flat);
                }
                case START_ARRAY -> {
                    Object[] elements = array(parser);
                    flat.add(path, Column.ARRAY, 0, elements);
                    if (path.equals(COORDINATES)) {
                        location(elements, flat);
                    }
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> flat.add(path, Column.NUMBER, parser.getDoubleValue(),
                        null);
                case VALUE_STRING -> flat.add(path, Column.STRING, 0, parser.getText());
                case VALUE_TRUE -> flat.add(path, Column.TRUE, 0, null);
                case VALUE_FALSE -> flat.add(path, Column.FALSE, 0, null);
                // a null field reads as an object from a Ditto JSON object (its null literal is both): the same here
                default -> flat.add(path, Column.OBJECT, 0, null);
            }
        }
    }

    /** Array elements as comparable Java values, as {@link ThingIndex} keeps them; nested ones are not comparable. */
    private static Object[] array(JsonParser parser) throws IOException {
        List<Object> elements = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> elements.add(parser.getDoubleValue());
                case VALUE_STRING -> elements.add(parser.getText());
                case VALUE_TRUE -> elements.add(Boolean.TRUE);
                case VALUE_FALSE -> elements.add(Boolean.FALSE);
                case VALUE_NULL -> elements.add(Values.NULL);
                default -> {
                    parser.skipChildren();
                    elements.add(Values.NOT_COMPARABLE);
                }
            }
        }
        return elements.toArray();
    }

    /** [longitude, latitude] of attributes/location, as {@link ThingIndex} takes them from a Ditto object. */
    private static void location(Object[] coordinates, Flat flat) {
        if (coordinates.length >= 2 && coordinates[0] instanceof Double lon && coordinates[1] instanceof Double lat
                && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
            flat.lon = lon;
            flat.lat = lat;
        }
    }

    private String path(String prefix, String key) {
        if (prefix.isEmpty()) {
            return key;
        }
        ConcurrentHashMap<String, String> ofPrefix = children.get(prefix);
        if (ofPrefix == null) {
            if (canonical.get() >= MAX_CANONICAL_PATHS) {
                return prefix + "/" + key;
            }
            ofPrefix = children.computeIfAbsent(prefix, p -> new ConcurrentHashMap<>());
        }
        String path = ofPrefix.get(key);
        if (path != null) {
            return path;
        }
        path = prefix + "/" + key;
        if (canonical.get() >= MAX_CANONICAL_PATHS) {
            return path;
        }
        String known = ofPrefix.putIfAbsent(key, path);
        if (known != null) {
            return known;
        }
        canonical.incrementAndGet();
        path.hashCode(); // computed here, on a worker, not under the index's lock
        return path;
    }
}
