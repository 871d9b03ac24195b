package nl.lantaarn.search.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import nl.lantaarn.search.api.SearchQueryException;
import nl.lantaarn.search.api.ThingSearch;

/**
 * The search for other bundles (routes): thing ids by RQL filter, radius and zone from the same index and zones as
 * {@code GET /api/v1/search/things}, and the zones around a point. Errors are {@link SearchQueryException}s whose
 * message names the parameter and what to write instead.
 */
@Component(service = ThingSearch.class)
public final class ThingSearchService implements ThingSearch {

    private final SearchEngine engine;
    private final ZoneRegistry zones;
    /** Prepared areas of the zones map they were made from; rebuilt when the registry publishes a new map. */
    private volatile Prepared prepared = new Prepared(null, List.of());

    private record Area(String id, Envelope envelope, PreparedGeometry geometry) {
    }

    private record Prepared(Map<String, Zone> source, List<Area> areas) {
    }

    @Activate
    public ThingSearchService(@Reference SearchIndex index, @Reference ZoneRegistry zones) {
        this(index.engine(), zones);
    }

    ThingSearchService(SearchEngine engine, ZoneRegistry zones) {
        this.engine = engine;
        this.zones = zones;
    }

    @Override
    public List<String> thingIds(String rqlFilter, Near near, String zone, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new SearchQueryException("limit must be from 1 to " + MAX_LIMIT + ", was " + limit + ".");
        }
        Filter nearFilter = near == null ? null : near(near);
        String zoneId = null;
        if (zone != null) {
            zoneId = zone.strip();
            if (zoneId.isEmpty() || zoneId.contains(",")) {
                throw new SearchQueryException("zone must be one zone id, e.g. stratumseind, was '" + zone + "'.");
            }
        }
        try {
            return engine.thingIds(rqlFilter, nearFilter, zoneId, limit);
        } catch (QueryException e) {
            // the engine's messages already name the parameter and the fix
            throw new SearchQueryException(e.getMessage());
        }
    }

    private static Filter near(Near near) {
        double lon = near.longitude();
        double lat = near.latitude();
        if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) {
            throw new SearchQueryException(String.format(Locale.ROOT, "near: longitude %s must be -180..180 and "
                    + "latitude %s -90..90 (WGS84 degrees; GeoJSON order is [longitude, latitude]).", lon, lat));
        }
        double metres = near.radiusMetres();
        if (!(metres > 0 && metres <= SearchEngine.MAX_RADIUS)) {
            throw new SearchQueryException(String.format(Locale.ROOT, "near: the radius must be more than 0 and at "
                    + "most %.0f metres, was %s.", SearchEngine.MAX_RADIUS, metres));
        }
        return new GeoFilter.Near(lat, lon, metres);
    }

    @Override
    public List<String> zonesAt(double longitude, double latitude) {
        if (!Double.isFinite(longitude) || !Double.isFinite(latitude)) {
            return List.of();
        }
        List<String> result = null;
        Point point = null;
        for (Area area : areas()) {
            if (!area.envelope().contains(longitude, latitude)) {
                continue;
            }
            if (point == null) {
                point = GeoJson.FACTORY.createPoint(new Coordinate(longitude, latitude));
            }
            if (area.geometry().covers(point)) {
                if (result == null) {
                    result = new ArrayList<>(2);
                }
                result.add(area.id());
            }
        }
        // areas() is sorted by id, so the result is too
        return result == null ? List.of() : List.copyOf(result);
    }

    @Override
    public Optional<ZoneInfo> zone(String zoneId) {
        if (zoneId == null) {
            return Optional.empty();
        }
        return zones.zone(zoneId.strip()).map(z -> new ZoneInfo(z.id(), z.name()));
    }

    /** The zones' prepared areas, sorted by id; prepared once per version of the zones folder. */
    private List<Area> areas() {
        Map<String, Zone> current = zones.zones();
        Prepared cached = prepared;
        if (cached.source() == current) {
            return cached.areas();
        }
        List<Area> areas = new ArrayList<>(current.size());
        for (Zone zone : new TreeMap<>(current).values()) {
            areas.add(new Area(zone.id(), zone.geometry().getEnvelopeInternal(),
                    PreparedGeometryFactory.prepare(zone.geometry())));
        }
        List<Area> sorted = List.copyOf(areas);
        prepared = new Prepared(current, sorted);
        return sorted;
    }
}
