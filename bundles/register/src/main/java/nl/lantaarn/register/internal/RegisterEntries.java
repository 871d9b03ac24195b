package nl.lantaarn.register.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.Thing;

import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.SensorRegister;

/** Reads the register from the things: every thing with a valid {@code attributes/register}, by area, then id. */
final class RegisterEntries {

    private static final JsonPointer REGISTER = JsonPointer.of(SensorRegister.ATTRIBUTE);
    private static final JsonPointer LOCATION = JsonPointer.of(HubConventions.LOCATION);
    private static final JsonPointer ZONE = JsonPointer.of(HubConventions.ZONE);
    /** Sensors without an area come last. */
    private static final Comparator<RegisterEntry> ORDER = Comparator
            .comparing((RegisterEntry entry) -> entry.areaName() == null ? "\uffff" : entry.areaName(),
                    String.CASE_INSENSITIVE_ORDER)
            .thenComparing(RegisterEntry::thingId);

    private RegisterEntries() {
    }

    /**
     * @param search the zones, when the search service runs: areas by location and display names; may be {@code null}
     * @param today  {@code YYYY-MM-DD} in the hub's time zone
     */
    static List<RegisterEntry> read(List<Thing> things, ThingSearch search, String today) {
        List<RegisterEntry> entries = new ArrayList<>();
        for (Thing thing : things) {
            entry(thing, search, today).ifPresent(entries::add);
        }
        entries.sort(ORDER);
        return entries;
    }

    static Optional<RegisterEntry> entry(Thing thing, ThingSearch search, String today) {
        if (thing.getEntityId().isEmpty() || thing.getAttributes().isEmpty()) {
            return Optional.empty();
        }
        JsonObject attributes = thing.getAttributes().get();
        Optional<JsonValue> register = attributes.getValue(REGISTER);
        // a register the twin would refuse now (written before a rule existed) is left out rather than shown half
        if (register.isEmpty() || !SensorRegister.validate(register.get(), "register").isEmpty()) {
            return Optional.empty();
        }
        JsonObject fields = register.get().asObject();
        Double longitude = null;
        Double latitude = null;
        Optional<JsonValue> coordinates = attributes.getValue(LOCATION).filter(JsonValue::isObject)
                .flatMap(location -> location.asObject().getValue("coordinates")).filter(JsonValue::isArray);
        if (coordinates.isPresent()) {
            JsonArray lonLat = coordinates.get().asArray();
            if (lonLat.getSize() == 2 && lonLat.get(0).get().isNumber() && lonLat.get(1).get().isNumber()) {
                longitude = lonLat.get(0).get().asDouble();
                latitude = lonLat.get(1).get().asDouble();
            }
        }
        String area = attributes.getValue(ZONE).filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
        if (area == null && longitude != null && search != null) {
            List<String> zones = search.zonesAt(longitude, latitude);
            area = zones.isEmpty() ? null : zones.get(0);
        }
        String areaName = area;
        if (area != null && search != null) {
            areaName = search.zone(area).map(ThingSearch.ZoneInfo::name).filter(name -> !name.isBlank()).orElse(area);
        }
        if (area == null) {
            List<String> regions = fields.getValue(SensorRegister.REGIONS).filter(JsonValue::isArray)
                    .map(array -> array.asArray().stream().map(JsonValue::asString).toList()).orElse(List.of());
            if (!regions.isEmpty()) {
                area = String.join(", ", regions);
                areaName = area;
            }
        }
        List<RegisterEntry.Measure> measures = new ArrayList<>();
        thing.getFeatures().ifPresent(features -> {
            for (Feature feature : features) {
                String model = feature.getDefinition().map(definition -> definition.getFirstIdentifier().getName())
                        .orElse(null);
                measures.add(new RegisterEntry.Measure(feature.getId(), model));
            }
        });
        boolean active = !SensorRegister.expired(SensorRegister.activeUntil(fields).orElseThrow(), today);
        return Optional.of(new RegisterEntry(thing.getEntityId().get().toString(), fields, longitude, latitude, area,
                areaName, List.copyOf(measures), active));
    }
}
