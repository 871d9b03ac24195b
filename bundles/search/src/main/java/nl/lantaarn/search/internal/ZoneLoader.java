package nl.lantaarn.search.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

/**
 * Reads the zone files of a folder: every {@code *.geojson} holds a GeoJSON Feature or FeatureCollection whose features
 * are Polygons or MultiPolygons. A feature's zone id is its {@code id}, else its {@code properties.id}, else its
 * {@code properties.name}; a file holding a single Feature without any of these takes the file name (without
 * {@code .geojson}) as id. A file with any problem is refused whole, with a message naming the file and the feature.
 */
final class ZoneLoader {

    static final String SUFFIX = ".geojson";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ZoneLoader() {
        throw new AssertionError("no instances");
    }

    /** The outcome of reading one file: its zones, or why it was refused. */
    record FileResult(String file, List<Zone> zones, String problem) {
    }

    /** The zone files of a folder, by name; empty when the folder does not exist. */
    static List<Path> files(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /** Reads one file; never throws for bad content, which becomes the result's problem. */
    static FileResult read(Path file) {
        String name = file.getFileName().toString();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new FileResult(name, parse(name, text), null);
        } catch (IOException e) {
            return new FileResult(name, List.of(), name + ": cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return new FileResult(name, List.of(), e.getMessage());
        } catch (RuntimeException e) {
            // Ditto's JSON parser reports syntax errors as its own runtime exceptions
            return new FileResult(name, List.of(), name + ": not valid JSON: " + e.getMessage());
        }
    }

    /** The zones of one file's text. */
    static List<Zone> parse(String file, String text) {
        JsonValue root = JsonFactory.readFrom(text);
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a GeoJSON Feature or FeatureCollection object");
        }
        JsonObject object = root.asObject();
        String type = object.getValue("type").filter(JsonValue::isString).map(JsonValue::asString).orElse("");
        String fileId = file.endsWith(SUFFIX) ? file.substring(0, file.length() - SUFFIX.length()) : file;
        List<Zone> zones = new ArrayList<>();
        switch (type) {
            case "Feature" -> zones.add(feature(file, object, file, fileId));
            case "FeatureCollection" -> {
                JsonValue features = object.getValue("features").orElse(JsonValue.nullLiteral());
                if (!features.isArray()) {
                    throw new IllegalArgumentException(file + ": a FeatureCollection needs a 'features' array");
                }
                JsonArray array = features.asArray();
                for (int i = 0; i < array.getSize(); i++) {
                    JsonValue feature = array.get(i).orElseThrow();
                    String where = file + " feature " + i;
                    if (!feature.isObject()) {
                        throw new IllegalArgumentException(where + ": expected a Feature object");
                    }
                    zones.add(feature(file, feature.asObject(), where, array.getSize() == 1 ? fileId : null));
                }
            }
            default -> throw new IllegalArgumentException(file + ": type '" + type
                    + "' is not supported; a zone file holds a GeoJSON Feature or FeatureCollection");
        }
        Map<String, Zone> unique = new LinkedHashMap<>();
        for (Zone zone : zones) {
            if (unique.putIfAbsent(zone.id(), zone) != null) {
                throw new IllegalArgumentException(file + ": zone id '" + zone.id() + "' occurs twice");
            }
        }
        return zones;
    }

    private static Zone feature(String file, JsonObject feature, String where, String fallbackId) {
        String featureType = feature.getValue("type").filter(JsonValue::isString).map(JsonValue::asString).orElse("");
        if (!"Feature".equals(featureType)) {
            throw new IllegalArgumentException(where + ": expected type 'Feature', got '" + featureType + "'");
        }
        JsonObject properties = feature.getValue("properties").filter(JsonValue::isObject).map(JsonValue::asObject)
                .orElse(JsonObject.empty());
        String id = text(feature.getValue("id").orElse(null));
        if (id == null) {
            id = text(properties.getValue("id").orElse(null));
        }
        String name = text(properties.getValue("name").orElse(null));
        if (id == null) {
            id = name != null ? name : fallbackId;
        }
        if (id == null) {
            throw new IllegalArgumentException(where + ": the feature has no zone id; give it an \"id\" or a"
                    + " \"name\" property");
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(where + ": zone id '" + id + "' must be letters, digits, '.', '_' or"
                    + " '-' (at most 128), starting with a letter or digit");
        }
        return new Zone(id, name == null ? id : name, file, GeoJson.area(feature, where));
    }

    private static String text(JsonValue value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.asString().isBlank() ? null : value.asString().trim();
        }
        return value.isNumber() ? value.toString() : null;
    }

    /**
     * Merges the files' zones; a zone id that an earlier file (by name) already defines is refused with a problem.
     *
     * @param problems receives one message per refused file or zone
     */
    static Map<String, Zone> merge(List<FileResult> results, List<String> problems) {
        Map<String, Zone> zones = new TreeMap<>();
        for (FileResult result : results) {
            if (result.problem() != null) {
                problems.add(result.problem());
                continue;
            }
            for (Zone zone : result.zones()) {
                Zone other = zones.putIfAbsent(zone.id(), zone);
                if (other != null) {
                    problems.add(result.file() + ": zone id '" + zone.id() + "' is already defined in "
                            + other.file() + "; this one is ignored");
                }
            }
        }
        return zones;
    }
}
