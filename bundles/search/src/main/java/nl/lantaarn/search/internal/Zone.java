package nl.lantaarn.search.internal;

import org.locationtech.jts.geom.Geometry;

/**
 * A named area from a file in {@code zones/}.
 *
 * @param id       what {@code zone=} and {@code attributes/zone} use
 * @param name     display name (the feature's {@code name} property, else the id)
 * @param file     the file it came from, relative to the zones folder
 * @param geometry Polygon or MultiPolygon, longitude/latitude (WGS84)
 */
record Zone(String id, String name, String file, Geometry geometry) {
}
