package nl.lantaarn.things.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

/**
 * The hub's conventions on top of the Ditto model (see things-model/README.md):
 * <ul>
 * <li>thing id {@code <namespace>:<name>} with namespace {@code <country>.<municipality>.<domain>}, e.g.
 * {@code nl.eindhoven.lighting:lamppost-0042};</li>
 * <li>attribute {@code location}: a GeoJSON Point, WGS84, {@code [longitude, latitude]};</li>
 * <li>attributes {@code zone}, {@code vendor}, {@code model}, {@code adapter}: strings when present;</li>
 * <li>attribute {@code register}: the sensor register's fields, complete and valid when present (see
 * {@link SensorRegister}).</li>
 * </ul>
 */
public final class HubConventions {

    /** Attribute holding the GeoJSON Point. */
    public static final String LOCATION = "location";
    /** Attribute holding the zone id (CBS wijk/buurt code or a zone from zones/). */
    public static final String ZONE = "zone";
    public static final String VENDOR = "vendor";
    public static final String MODEL = "model";
    public static final String ADAPTER = "adapter";

    private static final Pattern NAMESPACE = Pattern.compile("[a-z]{2}\\.[a-z0-9-]+\\.[a-z0-9-]+");
    private static final List<String> STRING_ATTRIBUTES = List.of(ZONE, VENDOR, MODEL, ADAPTER);

    private HubConventions() {
        throw new AssertionError("no instances");
    }

    /**
     * A thing id in the hub's convention.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static ThingId thingId(String country, String municipality, String domain, String name) {
        String namespace = country + "." + municipality + "." + domain;
        List<String> problems = new ArrayList<>();
        checkNamespace(namespace, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        try {
            return ThingId.of(namespace, name);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("thingId: name '" + name + "' is not a valid Ditto thing name", e);
        }
    }

    /** The domain of a thing id's namespace ({@code nl.eindhoven.lighting} gives {@code lighting}), if it follows the convention. */
    public static Optional<String> domainOf(ThingId thingId) {
        String ns = thingId.getNamespace();
        if (!NAMESPACE.matcher(ns).matches()) {
            return Optional.empty();
        }
        return Optional.of(ns.substring(ns.lastIndexOf('.') + 1));
    }

    /** A GeoJSON Point for the {@code location} attribute. */
    public static JsonObject location(double latitude, double longitude) {
        List<String> problems = new ArrayList<>();
        checkCoordinates(longitude, latitude, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return JsonObject.newBuilder()
                .set("type", "Point")
                .set("coordinates", JsonArray.newBuilder().add(longitude).add(latitude).build())
                .build();
    }

    /**
     * Checks a thing against the conventions.
     *
     * @return every problem found, each naming its field; empty when the thing conforms
     */
    public static List<String> validate(Thing thing) {
        List<String> problems = new ArrayList<>();
        thing.getEntityId().ifPresentOrElse(id -> checkNamespace(id.getNamespace(), problems),
                () -> problems.add("thingId: missing"));
        thing.getAttributes().ifPresent(attributes -> {
            attributes.getValue(JsonPointer.of(LOCATION)).ifPresent(location -> checkLocation(location, problems));
            for (String name : STRING_ATTRIBUTES) {
                attributes.getValue(JsonPointer.of(name))
                        .filter(value -> !value.isString())
                        .ifPresent(value -> problems.add("attributes/" + name + ": must be a string, was " + value));
            }
            attributes.getValue(JsonPointer.of(SensorRegister.ATTRIBUTE)).filter(value -> !value.isNull())
                    .ifPresent(register -> problems.addAll(SensorRegister.validate(register,
                            "attributes/" + SensorRegister.ATTRIBUTE)));
        });
        return problems;
    }

    /**
     * @throws IllegalArgumentException listing every problem when the thing does not conform
     */
    public static Thing requireValid(Thing thing) {
        List<String> problems = validate(thing);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return thing;
    }

    private static void checkNamespace(String namespace, List<String> problems) {
        if (!NAMESPACE.matcher(namespace).matches()) {
            problems.add("thingId: namespace '" + namespace
                    + "' must be <country>.<municipality>.<domain> in lower case, e.g. nl.eindhoven.lighting");
        }
    }

    private static void checkLocation(JsonValue location, List<String> problems) {
        String field = "attributes/" + LOCATION;
        if (!location.isObject()) {
            problems.add(field + ": must be a GeoJSON Point object, was " + location);
            return;
        }
        JsonObject point = location.asObject();
        Optional<JsonValue> type = point.getValue("type");
        if (type.isEmpty() || !type.get().isString() || !"Point".equals(type.get().asString())) {
            problems.add(field + "/type: must be \"Point\"");
        }
        Optional<JsonValue> coordinates = point.getValue("coordinates");
        if (coordinates.isEmpty() || !coordinates.get().isArray() || coordinates.get().asArray().getSize() != 2
                || !coordinates.get().asArray().stream().allMatch(JsonValue::isNumber)) {
            problems.add(field + "/coordinates: must be [longitude, latitude], two numbers (WGS84)");
            return;
        }
        JsonArray lonLat = coordinates.get().asArray();
        checkCoordinates(lonLat.get(0).get().asDouble(), lonLat.get(1).get().asDouble(), problems);
    }

    private static void checkCoordinates(double longitude, double latitude, List<String> problems) {
        if (!(longitude >= -180 && longitude <= 180)) {
            problems.add(String.format(Locale.ROOT, "attributes/location/coordinates[0]: longitude %s is outside -180..180",
                    longitude));
        }
        if (!(latitude >= -90 && latitude <= 90)) {
            problems.add(String.format(Locale.ROOT, "attributes/location/coordinates[1]: latitude %s is outside -90..90",
                    latitude));
        }
    }
}
