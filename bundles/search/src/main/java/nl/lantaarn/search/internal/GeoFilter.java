package nl.lantaarn.search.internal;

import java.util.BitSet;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

import nl.lantaarn.things.model.HubConventions;

/** Conditions on a thing's {@code attributes/location} (WGS84): in a box, near a point, in an area. */
final class GeoFilter {

    /** Mean earth radius (IUGG), metres. */
    static final double EARTH_RADIUS = 6_371_008.8;

    private GeoFilter() {
        throw new AssertionError("no instances");
    }

    /** Location inside the box, edges included. */
    record BoundingBox(double minLon, double minLat, double maxLon, double maxLat) implements Filter {
        @Override
        public BitSet evaluate(ThingIndex index) {
            BitSet result = new BitSet();
            double[] lons = index.lons();
            double[] lats = index.lats();
            int limit = index.slotLimit();
            for (int slot = 0; slot < limit; slot++) {
                double x = lons[slot];
                double y = lats[slot];
                // NaN (no location) fails every comparison
                if (x >= minLon && x <= maxLon && y >= minLat && y <= maxLat) {
                    result.set(slot);
                }
            }
            return result;
        }
    }

    /** Location within {@code metres} (great-circle distance) of a point. */
    record Near(double lat, double lon, double metres) implements Filter {
        @Override
        public BitSet evaluate(ThingIndex index) {
            BitSet result = new BitSet();
            double[] lons = index.lons();
            double[] lats = index.lats();
            int limit = index.slotLimit();
            // cheap latitude band first: one degree of latitude is about 111 km everywhere
            double band = Math.toDegrees(metres / EARTH_RADIUS);
            double minLat = lat - band;
            double maxLat = lat + band;
            for (int slot = 0; slot < limit; slot++) {
                double y = lats[slot];
                if (y >= minLat && y <= maxLat && distance(lat, lon, y, lons[slot]) <= metres) {
                    result.set(slot);
                }
            }
            return result;
        }
    }

    /**
     * Location inside an area (boundary included). With a zone id, a thing that has no location but whose
     * {@code attributes/zone} names the zone is inside too.
     */
    static final class InArea implements Filter {
        private final PreparedGeometry area;
        private final Envelope envelope;
        private final String zoneId;

        InArea(Geometry area, String zoneId) {
            this.area = PreparedGeometryFactory.prepare(area);
            this.envelope = area.getEnvelopeInternal();
            this.zoneId = zoneId;
        }

        @Override
        public BitSet evaluate(ThingIndex index) {
            BitSet result = new BitSet();
            double[] lons = index.lons();
            double[] lats = index.lats();
            int limit = index.slotLimit();
            for (int slot = 0; slot < limit; slot++) {
                double x = lons[slot];
                double y = lats[slot];
                if (envelope.contains(x, y)
                        && area.covers(GeoJson.FACTORY.createPoint(new Coordinate(x, y)))) {
                    result.set(slot);
                }
            }
            if (zoneId != null) {
                Column zones = index.column("attributes/" + HubConventions.ZONE);
                if (zones != null) {
                    for (int c = 0; c < zones.chunks(); c++) {
                        byte[] types = zones.typeChunk(c);
                        if (types == null) {
                            continue;
                        }
                        Object[] refs = zones.refChunk(c);
                        int base = c << Column.CHUNK_BITS;
                        for (int i = 0; i < Column.CHUNK; i++) {
                            if (types[i] == Column.STRING && zoneId.equals(refs[i]) && Double.isNaN(lons[base + i])) {
                                result.set(base + i);
                            }
                        }
                    }
                }
            }
            return result;
        }
    }

    /** Great-circle distance in metres (haversine). */
    static double distance(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
