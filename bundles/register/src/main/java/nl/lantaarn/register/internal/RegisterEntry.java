package nl.lantaarn.register.internal;

import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.things.model.SensorRegister;

/**
 * One registered sensor as the public register shows it.
 *
 * @param thingId   the thing
 * @param register  its {@code attributes/register}
 * @param longitude WGS84, {@code null} for a sensor without a fixed location (a mobile sensor: see its regions)
 * @param latitude  WGS84, {@code null} with the longitude
 * @param area      the zone or area id it is listed under, {@code null} when it has none
 * @param areaName  the area's display name, {@code null} when it has none
 * @param measures  what it measures: its features
 * @param active    false when it is past its {@code activeUntil}
 */
record RegisterEntry(String thingId, JsonObject register, Double longitude, Double latitude, String area,
        String areaName, List<Measure> measures, boolean active) {

    /** A feature of the sensor: its id and, when it has a known definition, the data model's name. */
    record Measure(String feature, String model) {
        String label() {
            return model == null ? feature : feature + " (" + model + ")";
        }
    }

    /** A text field of the register, or {@code null}. */
    String text(String field) {
        return register.getValue(field).filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
    }

    /** A text field of the register's contact, or {@code null}. */
    String contact(String field) {
        return register.getValue(SensorRegister.CONTACT).filter(JsonValue::isObject)
                .flatMap(contact -> contact.asObject().getValue(field)).filter(JsonValue::isString)
                .map(JsonValue::asString).orElse(null);
    }

    boolean containsPersonalData() {
        return register.getValue(SensorRegister.CONTAINS_PERSONAL_DATA).filter(JsonValue::isBoolean)
                .map(JsonValue::asBoolean).orElse(false);
    }

    List<String> regions() {
        return register.getValue(SensorRegister.REGIONS).filter(JsonValue::isArray)
                .map(array -> array.asArray().stream().filter(JsonValue::isString).map(JsonValue::asString).toList())
                .orElse(List.of());
    }

    Optional<double[]> lonLat() {
        return longitude == null ? Optional.empty() : Optional.of(new double[] {longitude, latitude});
    }
}
