package nl.lantaarn.search.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonValue;
import org.locationtech.jts.geom.Geometry;

/**
 * Answers searches from a {@link ThingIndex}: compiles the request (RQL filter, geo parameters, sort, cursor), then
 * evaluates it under the index's read lock. Thread safe.
 */
final class SearchEngine {

    static final int DEFAULT_SIZE = 25;
    static final int MAX_SIZE = 200;
    /** Largest radius of {@code near}: half the earth's circumference. */
    static final double MAX_RADIUS = Math.PI * GeoFilter.EARTH_RADIUS;

    private final ThingIndex index;
    private final ZoneRegistry zones;

    SearchEngine(ThingIndex index, ZoneRegistry zones) {
        this.index = index;
        this.zones = zones;
    }

    /** One page of thing ids and the cursor of the next page (null on the last page). */
    record Page(List<String> thingIds, String cursor) {
    }

    private record Compiled(Filter filter, Sort sort, int size, Cursor cursor, int fingerprint) {
    }

    Page search(SearchRequest request) {
        Compiled query = compile(request);
        return index.read(() -> {
            BitSet matches = query.filter().evaluate(index);
            SlotOrder order = new SlotOrder(index, query.sort());
            int[] slots = order.first(matches, query.cursor(), query.size() + 1);
            List<String> ids = new ArrayList<>(Math.min(slots.length, query.size()));
            for (int i = 0; i < slots.length && i < query.size(); i++) {
                ids.add(index.thingId(slots[i]));
            }
            String next = null;
            if (slots.length > query.size()) {
                int last = slots[query.size() - 1];
                next = new Cursor(query.fingerprint(), order.keys(last), index.thingId(last)).encode();
            }
            return new Page(ids, next);
        });
    }

    /**
     * Ids of the things that match, sorted by thing id, at most {@code limit} (not bounded by {@link #MAX_SIZE}: for
     * other bundles, see {@link ThingSearchService}).
     *
     * @param near null, or a {@link GeoFilter.Near} condition
     * @param zone null, or a zone id (several separated by commas)
     */
    List<String> thingIds(String rql, Filter near, String zone, int limit) {
        Filter parsed = filter(new SearchRequest(rql, null, null, null, null, null, zone, null));
        Filter filter = near == null ? parsed
                : parsed == Filter.ALL ? near : new Filter.And(List.of(near, parsed));
        return index.read(() -> {
            BitSet matches = filter.evaluate(index);
            int[] slots = new SlotOrder(index, Sort.BY_THING_ID).first(matches, null, limit);
            List<String> ids = new ArrayList<>(slots.length);
            for (int slot : slots) {
                ids.add(index.thingId(slot));
            }
            return ids;
        });
    }

    /** Number of things that match the filter and geo parameters (sort, size and cursor are ignored). */
    int count(SearchRequest request) {
        Filter filter = filter(request);
        return index.read(() -> filter.evaluate(index).cardinality());
    }

    private Compiled compile(SearchRequest request) {
        Filter filter = filter(request);
        Sort sort = Sort.parse(request.sort());
        int size = size(request.size());
        int fingerprint = Objects.hash(strip(request.filter()), sort.canonical(), strip(request.near()),
                strip(request.bbox()), strip(request.zone()), strip(request.within()));
        Cursor cursor = request.cursor() == null || request.cursor().isBlank() ? null
                : Cursor.decode(request.cursor(), fingerprint, sort.fields().size());
        return new Compiled(filter, sort, size, cursor, fingerprint);
    }

    private Filter filter(SearchRequest request) {
        List<Filter> parts = new ArrayList<>();
        // geo conditions first: they are cheap and usually the most selective
        if (present(request.near())) {
            parts.add(near(request.near()));
        }
        if (present(request.bbox())) {
            parts.add(bbox(request.bbox()));
        }
        if (present(request.zone())) {
            parts.add(zone(request.zone()));
        }
        if (present(request.within())) {
            parts.add(within(request.within()));
        }
        Filter rql = FilterParser.parse(request.filter());
        if (parts.isEmpty()) {
            return rql;
        }
        if (rql != Filter.ALL) {
            parts.add(rql);
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    static int size(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_SIZE;
        }
        try {
            int size = Integer.parseInt(text.strip());
            if (size >= 1 && size <= MAX_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new QueryException("size", "'size' must be a whole number from 1 to " + MAX_SIZE + ", was '" + text
                + "'.");
    }

    static Filter near(String text) {
        double[] v = numbers("near", text, 3, "near=<latitude>,<longitude>,<metres>, e.g. near=51.4418,5.4787,50");
        double lat = v[0];
        double lon = v[1];
        double metres = v[2];
        checkLatLon("near", lat, lon, "near=<latitude>,<longitude>,<metres> (latitude first)");
        if (!(metres > 0 && metres <= MAX_RADIUS)) {
            throw new QueryException("near", String.format(Locale.ROOT,
                    "The radius of near must be more than 0 and at most %.0f metres, was %s.", MAX_RADIUS, v[2]));
        }
        return new GeoFilter.Near(lat, lon, metres);
    }

    static Filter bbox(String text) {
        String syntax = "bbox=<minLon>,<minLat>,<maxLon>,<maxLat>, e.g. bbox=5.47,51.43,5.49,51.45";
        double[] v = numbers("bbox", text, 4, syntax);
        checkLatLon("bbox", v[1], v[0], syntax + " (longitude first, as in GeoJSON)");
        checkLatLon("bbox", v[3], v[2], syntax + " (longitude first, as in GeoJSON)");
        if (v[0] > v[2] || v[1] > v[3]) {
            throw new QueryException("bbox", "In bbox the minimum must not exceed the maximum (" + syntax
                    + "); boxes across the 180th meridian are not supported: split them in two searches.");
        }
        return new GeoFilter.BoundingBox(v[0], v[1], v[2], v[3]);
    }

    private Filter zone(String text) {
        List<Filter> areas = new ArrayList<>();
        Map<String, Zone> known = zones.zones();
        for (String raw : text.split(",", -1)) {
            String id = raw.strip();
            Zone zone = known.get(id);
            if (zone == null) {
                String list = known.isEmpty() ? "there are none; put GeoJSON files in " + zones.folder()
                        : "the known zones are " + String.join(", ", known.keySet());
                throw new QueryException("zone", "Zone '" + id + "' is not known; " + list
                        + " (GET /api/v1/search/zones lists them).");
            }
            areas.add(new GeoFilter.InArea(zone.geometry(), zone.id()));
        }
        return areas.size() == 1 ? areas.get(0) : new Filter.Or(areas);
    }

    static Filter within(String text) {
        JsonValue json;
        try {
            json = JsonFactory.readFrom(text);
        } catch (RuntimeException e) {
            throw new QueryException("within", "'within' must be a GeoJSON Polygon or MultiPolygon (JSON, URL-encoded):"
                    + " " + e.getMessage());
        }
        try {
            Geometry area = GeoJson.area(json, "within");
            return new GeoFilter.InArea(area, null);
        } catch (IllegalArgumentException e) {
            throw new QueryException("within", e.getMessage());
        }
    }

    private static double[] numbers(String parameter, String text, int count, String syntax) {
        String[] parts = text.split(",", -1);
        if (parts.length != count) {
            throw new QueryException(parameter, "'" + parameter + "' takes " + count + " numbers, got '" + text
                    + "'; use " + syntax + ".");
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            try {
                values[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                values[i] = Double.NaN;
            }
            if (!Double.isFinite(values[i])) {
                throw new QueryException(parameter, "'" + parts[i].strip() + "' in " + parameter
                        + " is not a number; use " + syntax + ".");
            }
        }
        return values;
    }

    private static void checkLatLon(String parameter, double lat, double lon, String syntax) {
        if (lat < -90 || lat > 90) {
            throw new QueryException(parameter, "Latitude " + lat + " in " + parameter + " is outside -90..90; use "
                    + syntax + ".");
        }
        if (lon < -180 || lon > 180) {
            throw new QueryException(parameter, "Longitude " + lon + " in " + parameter + " is outside -180..180; use "
                    + syntax + ".");
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }
}
