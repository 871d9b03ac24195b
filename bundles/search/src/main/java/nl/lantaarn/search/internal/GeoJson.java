package nl.lantaarn.search.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Reads GeoJSON (RFC 7946) Polygon and MultiPolygon geometries into JTS, with x = longitude and y = latitude (WGS84),
 * and refuses what is not a valid area with a message that names where the problem is.
 */
final class GeoJson {

    /** Shared, thread safe; SRID 4326 = WGS84. */
    static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 4326);

    private GeoJson() {
        throw new AssertionError("no instances");
    }

    /**
     * The area described by a GeoJSON geometry object (Polygon or MultiPolygon), or by a Feature holding one.
     *
     * @param where how to name the value in messages, e.g. "zones/stratumseind.geojson feature 0"
     * @throws IllegalArgumentException naming what is wrong
     */
    static Geometry area(JsonValue value, String where) {
        if (!value.isObject()) {
            throw new IllegalArgumentException(where + ": expected a GeoJSON object, got " + abbreviate(value));
        }
        JsonObject object = value.asObject();
        String type = string(object, "type", where);
        if ("Feature".equals(type)) {
            JsonValue geometry = object.getValue("geometry").orElse(JsonValue.nullLiteral());
            if (geometry.isNull()) {
                throw new IllegalArgumentException(where + ": the feature has no geometry");
            }
            return area(geometry, where);
        }
        JsonValue coordinates = object.getValue("coordinates")
                .orElseThrow(() -> new IllegalArgumentException(where + ": the " + type + " has no coordinates"));
        Geometry geometry = switch (type) {
            case "Polygon" -> polygon(coordinates, where);
            case "MultiPolygon" -> {
                JsonArray polygons = array(coordinates, where + " coordinates");
                if (polygons.isEmpty()) {
                    throw new IllegalArgumentException(where + ": the MultiPolygon has no polygons");
                }
                Polygon[] parts = new Polygon[polygons.getSize()];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = polygon(polygons.get(i).orElseThrow(), where + " polygon " + i);
                }
                yield FACTORY.createMultiPolygon(parts);
            }
            default -> throw new IllegalArgumentException(where + ": geometry type '" + type
                    + "' is not an area; use Polygon or MultiPolygon");
        };
        IsValidOp validity = new IsValidOp(geometry);
        if (!validity.isValid()) {
            TopologyValidationError error = validity.getValidationError();
            Coordinate at = error.getCoordinate();
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: invalid geometry: %s at or near"
                    + " [%s, %s]", where, error.getMessage(), at == null ? "?" : at.x, at == null ? "?" : at.y));
        }
        return geometry;
    }

    private static Polygon polygon(JsonValue coordinates, String where) {
        JsonArray rings = array(coordinates, where + " coordinates");
        if (rings.isEmpty()) {
            throw new IllegalArgumentException(where + ": the Polygon has no rings");
        }
        LinearRing shell = ring(rings.get(0).orElseThrow(), where + " outer ring");
        List<LinearRing> holes = new ArrayList<>();
        for (int i = 1; i < rings.getSize(); i++) {
            holes.add(ring(rings.get(i).orElseThrow(), where + " hole " + i));
        }
        return FACTORY.createPolygon(shell, holes.toArray(LinearRing[]::new));
    }

    private static LinearRing ring(JsonValue value, String where) {
        JsonArray positions = array(value, where);
        if (positions.getSize() < 4) {
            throw new IllegalArgumentException(where + ": a ring needs at least 4 positions (the first repeated as the"
                    + " last), has " + positions.getSize());
        }
        Coordinate[] coordinates = new Coordinate[positions.getSize()];
        for (int i = 0; i < coordinates.length; i++) {
            coordinates[i] = position(positions.get(i).orElseThrow(), where + " position " + i);
        }
        if (!coordinates[0].equals2D(coordinates[coordinates.length - 1])) {
            throw new IllegalArgumentException(where + ": the ring is not closed; repeat the first position "
                    + format(coordinates[0]) + " as the last");
        }
        return FACTORY.createLinearRing(coordinates);
    }

    private static Coordinate position(JsonValue value, String where) {
        JsonArray position = array(value, where);
        if (position.getSize() < 2 || !position.get(0).orElseThrow().isNumber()
                || !position.get(1).orElseThrow().isNumber()) {
            throw new IllegalArgumentException(where + ": a position is [longitude, latitude], got "
                    + abbreviate(value));
        }
        double lon = position.get(0).orElseThrow().asDouble();
        double lat = position.get(1).orElseThrow().asDouble();
        if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException(where + ": " + abbreviate(value)
                    + " is outside WGS84 ([longitude -180..180, latitude -90..90]); GeoJSON puts longitude first");
        }
        return new Coordinate(lon, lat);
    }

    private static JsonArray array(JsonValue value, String where) {
        if (!value.isArray()) {
            throw new IllegalArgumentException(where + ": expected an array, got " + abbreviate(value));
        }
        return value.asArray();
    }

    private static String string(JsonObject object, String field, String where) {
        JsonValue value = object.getValue(field).orElse(JsonValue.nullLiteral());
        if (!value.isString()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be a string, got " + abbreviate(value));
        }
        return value.asString();
    }

    static String format(Coordinate c) {
        return String.format(Locale.ROOT, "[%s, %s]", c.x, c.y);
    }

    private static String abbreviate(JsonValue value) {
        String text = value.toString();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
