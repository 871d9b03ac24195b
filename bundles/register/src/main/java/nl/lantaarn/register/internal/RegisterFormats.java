package nl.lantaarn.register.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.things.model.SensorRegister;

/** The register as GeoJSON (RFC 7946) and as CSV (RFC 4180). */
final class RegisterFormats {

    /** The CSV columns, in order. */
    static final List<String> CSV_COLUMNS = List.of("thingId", "sensorType", "organisation", "contactName",
            "contactEmail", "contactUrl", "containsPersonalData", "privacyStatement", "goal", "legalGround",
            "activeUntil", "active", "regions", "reference", "area", "areaName", "longitude", "latitude", "measures");

    private RegisterFormats() {
    }

    /**
     * A FeatureCollection of Point features ({@code geometry} null for a sensor without a fixed location), with the
     * foreign members {@code numberMatched} and {@code numberReturned} for paging.
     */
    static JsonObject geoJson(List<RegisterEntry> page, int matched) {
        JsonArrayBuilder features = JsonArray.newBuilder();
        for (RegisterEntry entry : page) {
            JsonObjectBuilder properties = JsonObject.newBuilder().set("thingId", entry.thingId());
            for (String field : SensorRegister.FIELDS) {
                entry.register().getValue(field).ifPresent(value -> properties.set(field, value));
            }
            properties.set(SensorRegister.ACTIVE, entry.active());
            entry.register().getValue(SensorRegister.DEACTIVATED_AT)
                    .ifPresent(value -> properties.set(SensorRegister.DEACTIVATED_AT, value));
            properties.set("area", entry.area() == null ? JsonValue.nullLiteral() : JsonValue.of(entry.area()));
            properties.set("areaName",
                    entry.areaName() == null ? JsonValue.nullLiteral() : JsonValue.of(entry.areaName()));
            JsonArrayBuilder measures = JsonArray.newBuilder();
            for (RegisterEntry.Measure measure : entry.measures()) {
                measures.add(JsonObject.newBuilder().set("feature", measure.feature())
                        .set("model", measure.model() == null ? JsonValue.nullLiteral() : JsonValue.of(measure.model()))
                        .build());
            }
            properties.set("measures", measures.build());
            JsonValue geometry = entry.longitude() == null ? JsonValue.nullLiteral()
                    : JsonObject.newBuilder().set("type", "Point").set("coordinates",
                            JsonArray.newBuilder().add(entry.longitude()).add(entry.latitude()).build()).build();
            features.add(JsonObject.newBuilder().set("type", "Feature").set("id", entry.thingId())
                    .set("geometry", geometry).set("properties", properties.build()).build());
        }
        return JsonObject.newBuilder().set("type", "FeatureCollection").set("features", features.build())
                .set("numberMatched", matched).set("numberReturned", page.size()).build();
    }

    /** A header line and one line per sensor, CRLF line ends, every field quoted where needed. */
    static String csv(List<RegisterEntry> page) {
        StringBuilder out = new StringBuilder(256 * (page.size() + 1));
        line(out, CSV_COLUMNS);
        for (RegisterEntry entry : page) {
            line(out, List.of(entry.thingId(), text(entry.text(SensorRegister.SENSOR_TYPE)),
                    text(entry.text(SensorRegister.ORGANISATION)), text(entry.contact("name")),
                    text(entry.contact("email")), text(entry.contact("url")),
                    Boolean.toString(entry.containsPersonalData()), text(entry.text(SensorRegister.PRIVACY_STATEMENT)),
                    text(entry.text(SensorRegister.GOAL)), text(entry.text(SensorRegister.LEGAL_GROUND)),
                    text(entry.text(SensorRegister.ACTIVE_UNTIL)), Boolean.toString(entry.active()),
                    text(String.join(";", entry.regions())), text(entry.text(SensorRegister.REFERENCE)),
                    text(entry.area()), text(entry.areaName()),
                    entry.longitude() == null ? "" : Double.toString(entry.longitude()),
                    entry.latitude() == null ? "" : Double.toString(entry.latitude()),
                    text(entry.measures().stream().map(RegisterEntry.Measure::label)
                            .collect(Collectors.joining(";")))));
        }
        return out.toString();
    }

    /**
     * A text cell: a value a spreadsheet would take for a formula ({@code = + - @}, tab, carriage return) gets a
     * leading apostrophe, as OWASP advises against CSV injection. Numbers are not passed through here.
     */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                    || cell.indexOf('\r') >= 0) {
                out.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                out.append(cell);
            }
        }
        out.append("\r\n");
    }
}
