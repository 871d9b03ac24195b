package nl.lantaarn.adapters.citizenreports.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;

import nl.lantaarn.things.model.HubConventions;

/**
 * The GeoReport v2 representations this adapter answers with: the service list, and a service request read from its
 * thing. A service request carries status, status notes, category, description, place and times, and nothing about the
 * reporter.
 */
final class Open311Representation {

    /**
     * Thing statuses shown as {@code closed}; any other status (open, acknowledged, in_progress, ...) is {@code open},
     * as GeoReport v2 knows only these two.
     */
    static final Set<String> CLOSED_STATUSES = Set.of("closed", "resolved", "rejected", "cancelled", "canceled",
            "done", "afgehandeld", "geannuleerd");

    private Open311Representation() {
        throw new AssertionError("no instances");
    }

    /** GET services.json. */
    static JsonArray services(ServiceCatalog catalog) {
        var array = JsonArray.newBuilder();
        for (ServiceCatalog.Service service : catalog.services().values()) {
            array.add(JsonObject.newBuilder()
                    .set("service_code", service.code())
                    .set("service_name", service.name())
                    .set("description", service.name())
                    .set("metadata", false)
                    .set("type", "realtime")
                    .set("keywords", "")
                    .set("group", service.group())
                    .build());
        }
        return array.build();
    }

    /** One service request, from the thing of a report. */
    static JsonObject serviceRequest(String requestId, Thing thing, ServiceCatalog catalog) {
        JsonObject json = thing.toJson();
        JsonObject attributes = json.getValue("attributes").filter(JsonValue::isObject).map(JsonValue::asObject)
                .orElse(JsonObject.empty());
        JsonObject properties = json.getValue(JsonPointer.of("/features/" + CitizenReportsAdapter.FEATURE
                + "/properties")).filter(JsonValue::isObject).map(JsonValue::asObject).orElse(JsonObject.empty());
        Optional<String> code = string(attributes, CitizenReportsAdapter.CATEGORY);
        String serviceName = string(attributes, CitizenReportsAdapter.CATEGORY_NAME)
                .or(() -> code.flatMap(catalog::service).map(ServiceCatalog.Service::name))
                .orElse(code.orElse(null));
        Optional<Instant> requested = instant(properties, CitizenReportsAdapter.REQUESTED_AT);
        Optional<Instant> updated = latest(instant(properties, CitizenReportsAdapter.UPDATED_AT),
                thing.getModified());
        Optional<JsonArray> coordinates = attributes.getValue(JsonPointer.of(HubConventions.LOCATION
                + "/coordinates")).filter(JsonValue::isArray).map(JsonValue::asArray);

        JsonObjectBuilder request = JsonObject.newBuilder()
                .set("service_request_id", requestId)
                .set("status", status(properties))
                .set("status_notes", orNull(string(properties, CitizenReportsAdapter.STATUS_NOTES)))
                .set("service_name", serviceName == null ? JsonValue.nullLiteral() : JsonValue.of(serviceName))
                .set("service_code", orNull(code))
                .set("description", orNull(string(properties, CitizenReportsAdapter.DESCRIPTION)))
                .set("agency_responsible", JsonValue.nullLiteral())
                .set("service_notice", JsonValue.nullLiteral())
                .set("requested_datetime", orNull(requested.map(Open311Representation::format)))
                .set("updated_datetime", orNull(updated.map(Open311Representation::format)))
                .set("expected_datetime", JsonValue.nullLiteral())
                .set("address", orNull(string(attributes, CitizenReportsAdapter.ADDRESS)))
                .set("address_id", JsonValue.nullLiteral())
                .set("zipcode", JsonValue.nullLiteral());
        if (coordinates.isPresent() && coordinates.get().getSize() == 2) {
            request.set("lat", coordinates.get().get(1).orElse(JsonValue.nullLiteral()))
                    .set("long", coordinates.get().get(0).orElse(JsonValue.nullLiteral()));
        } else {
            request.set("lat", JsonValue.nullLiteral()).set("long", JsonValue.nullLiteral());
        }
        return request.set("media_url", orNull(string(properties, CitizenReportsAdapter.MEDIA_URL))).build();
    }

    /** {@code open} or {@code closed} from the thing's status (absent: open). */
    static String status(JsonObject properties) {
        return string(properties, CitizenReportsAdapter.STATUS)
                .map(s -> CLOSED_STATUSES.contains(s.strip().toLowerCase(Locale.ROOT)) ? Report.CLOSED : Report.OPEN)
                .orElse(Report.OPEN);
    }

    /** GeoReport's error list: {@code [{"code":400,"description":"..."}]}. */
    static JsonArray error(int code, String description) {
        return JsonArray.of(JsonObject.newBuilder().set("code", code).set("description", description).build());
    }

    private static Optional<String> string(JsonObject object, String key) {
        return object.getValue(key).filter(JsonValue::isString).map(JsonValue::asString);
    }

    private static Optional<Instant> instant(JsonObject object, String key) {
        try {
            return string(object, key).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
    }

    /** W3C date-time in UTC, to the second, e.g. {@code 2026-11-24T09:15:02Z}. */
    private static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static JsonValue orNull(Optional<String> value) {
        return value.<JsonValue>map(JsonValue::of).orElse(JsonValue.nullLiteral());
    }
}
