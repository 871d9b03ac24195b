package nl.lantaarn.adapters.citizenreports.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.support.JsonFields;

/**
 * Reads a Signalen signal (the JSON of {@code POST /signals/v1/public/signals/}, or a signal as Signalen's own API
 * returns it) into a {@link Report}: {@code text} (+ {@code text_extra}), {@code location.geometrie} (a GeoJSON Point),
 * {@code location.address}, {@code category.sub_category} (or {@code sub_slug}/{@code sub}), {@code reporter.email} and
 * {@code .phone}, and when present {@code id}/{@code signal_id}, {@code status}, {@code created_at} and
 * {@code updated_at}.
 */
final class SignalenParser {

    /** Deepest JSON nesting accepted; a signal needs 4. Deeper input is refused before parsing. */
    static final int MAX_DEPTH = 16;

    private static final Pattern SUB_CATEGORY = Pattern.compile(
            ".*/categories/([^/]+)/sub_categories/([^/?#]+)/?(?:[?#].*)?");
    private static final Pattern UUID = Pattern.compile("[0-9A-Fa-f-]{8,64}");
    /** Signalen states that end a signal: afgehandeld, geannuleerd, gesplitst; CLOSED in the public API. */
    private static final Set<String> CLOSED_STATES = Set.of("o", "a", "s", "closed", "afgehandeld", "geannuleerd");

    private SignalenParser() {
        throw new AssertionError("no instances");
    }

    static Report parse(String text, String country, Instant receivedAt) throws PayloadRejectedException {
        JsonObject signal = jsonObject(text);
        String description = string(signal, "text", Open311Parser.MAX_DESCRIPTION);
        if (description == null) {
            throw new PayloadRejectedException("field 'text' is missing: a signal needs the reporter's text");
        }
        String extra = string(signal, "text_extra", Open311Parser.MAX_DESCRIPTION);
        if (extra != null) {
            description = description + "\n" + extra;
        }

        JsonObject location = JsonFields.optionalObject(signal, "location", "location")
                .orElseThrow(() -> new PayloadRejectedException("field 'location' is missing: a signal needs "
                        + "location.geometrie, a GeoJSON Point"));
        JsonObject point = JsonFields.optionalObject(location, "geometrie", "location.geometrie")
                .orElseThrow(() -> new PayloadRejectedException("field 'location.geometrie' is missing: expected a "
                        + "GeoJSON Point {\"type\":\"Point\",\"coordinates\":[longitude, latitude]}"));
        double[] lonLat = point(point);
        String address = address(location);

        String[] category = category(signal);

        Contact contact = Contact.NONE;
        Optional<JsonObject> reporter = JsonFields.optionalObject(signal, "reporter", "reporter");
        if (reporter.isPresent()) {
            contact = new Contact(string(reporter.get(), "email", "reporter.email", Open311Parser.MAX_EMAIL),
                    string(reporter.get(), "phone", "reporter.phone", 32), null, country);
        }

        String status = null;
        String statusNotes = null;
        Optional<JsonObject> statusObject = JsonFields.optionalObject(signal, "status", "status");
        if (statusObject.isPresent()) {
            String state = string(statusObject.get(), "state", "status.state", 64);
            if (state != null) {
                status = CLOSED_STATES.contains(state.toLowerCase(Locale.ROOT)) ? Report.CLOSED : Report.OPEN;
            }
            statusNotes = PersonalDataScrubber.scrub(string(statusObject.get(), "text", "status.text",
                    Open311Parser.MAX_DESCRIPTION));
        }
        String externalId = externalId(signal);
        if (status == null && externalId == null) {
            // a new signal without an id is a new thing: it starts open. With an id, a missing status leaves the
            // hub's status alone (a repeated delivery must not reopen a report an operator closed).
            status = Report.OPEN;
        }
        Instant createdAt = instant(signal, "created_at").orElse(receivedAt);
        Instant updatedAt = instant(signal, "updated_at").orElse(createdAt);
        return new Report(Report.SIGNALEN, externalId, category[0], category[1],
                PersonalDataScrubber.scrub(description), lonLat[1], lonLat[0], address, null, contact, status,
                statusNotes, createdAt, updatedAt);
    }

    static JsonObject jsonObject(String text) throws PayloadRejectedException {
        checkDepth(text);
        JsonValue value;
        try {
            value = JsonFactory.readFrom(text);
        } catch (RuntimeException e) {
            // the parser's message quotes the payload, which may hold a reporter's contact: not repeated here
            throw new PayloadRejectedException("payload is not JSON: expected a Signalen signal object, "
                    + "{\"text\":...,\"location\":{\"geometrie\":...},\"category\":...}");
        }
        if (!value.isObject()) {
            throw new PayloadRejectedException("payload must be a JSON object (a Signalen signal), was "
                    + JsonFields.kind(value));
        }
        return value.asObject();
    }

    /** Refuses nesting deeper than {@link #MAX_DEPTH} before the recursive parser sees it. */
    private static void checkDepth(String text) throws PayloadRejectedException {
        if (JsonFields.depthExceededAt(text, MAX_DEPTH) >= 0) {
            throw new PayloadRejectedException("payload nests JSON deeper than " + MAX_DEPTH
                    + " levels; a Signalen signal needs 4");
        }
    }

    private static double[] point(JsonObject point) throws PayloadRejectedException {
        String type = string(point, "type", "location.geometrie.type", 20);
        if (!"Point".equals(type)) {
            throw new PayloadRejectedException("field 'location.geometrie.type' must be \"Point\"");
        }
        JsonValue coordinates = point.getValue("coordinates").orElse(JsonValue.nullLiteral());
        if (!coordinates.isArray() || coordinates.asArray().getSize() != 2
                || !coordinates.asArray().stream().allMatch(JsonValue::isNumber)) {
            throw new PayloadRejectedException("field 'location.geometrie.coordinates' must be [longitude, latitude], "
                    + "two numbers (WGS84)");
        }
        double lon = coordinates.asArray().get(0).orElseThrow().asDouble();
        double lat = coordinates.asArray().get(1).orElseThrow().asDouble();
        if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) {
            throw new PayloadRejectedException("field 'location.geometrie.coordinates' must be [longitude, latitude] "
                    + "within -180..180 and -90..90, was [" + lon + ", " + lat + "]");
        }
        return new double[] {lon, lat};
    }

    /** {@code address_text}, else the parts of {@code address}: "Amstel 1, 1011PN Amsterdam". */
    private static String address(JsonObject location) throws PayloadRejectedException {
        String text = string(location, "address_text", "location.address_text", Open311Parser.MAX_ADDRESS);
        if (text != null) {
            return text;
        }
        Optional<JsonObject> address = JsonFields.optionalObject(location, "address", "location.address");
        if (address.isEmpty()) {
            return null;
        }
        JsonObject a = address.get();
        StringBuilder line = new StringBuilder(64);
        append(line, part(a, "openbare_ruimte"), "");
        append(line, part(a, "huisnummer"), " ");
        append(line, part(a, "huisletter"), "");
        append(line, part(a, "huisnummer_toevoeging"), "-");
        String postcode = part(a, "postcode");
        String town = part(a, "woonplaats");
        if (postcode != null || town != null) {
            line.append(line.length() > 0 ? ", " : "");
            append(line, postcode, "");
            append(line, town, postcode == null ? "" : " ");
        }
        String result = Open311Parser.clean(line.toString());
        if (result.length() > Open311Parser.MAX_ADDRESS) {
            throw new PayloadRejectedException("field 'location.address' is longer than " + Open311Parser.MAX_ADDRESS
                    + " characters");
        }
        return result.isEmpty() ? null : result;
    }

    private static void append(StringBuilder line, String part, String separator) {
        if (part != null) {
            line.append(line.length() > 0 ? separator : "").append(part);
        }
    }

    /** A string or number part of an address, else null. */
    private static String part(JsonObject address, String key) {
        Optional<JsonValue> value = address.getValue(key);
        if (value.isEmpty() || value.get().isNull()) {
            return null;
        }
        String text = value.get().isString() ? value.get().asString() : value.get().isNumber()
                ? value.get().toString() : null;
        return text == null || text.isBlank() || text.length() > 100 ? null : text.strip();
    }

    /**
     * {code, name}: from {@code category.sub_category} (a URL ending in {@code /sub_categories/<slug>}), else
     * {@code sub_slug}/{@code sub}.
     */
    private static String[] category(JsonObject signal) throws PayloadRejectedException {
        JsonObject category = JsonFields.optionalObject(signal, "category", "category")
                .orElseThrow(() -> new PayloadRejectedException("field 'category' is missing: expected "
                        + "{\"sub_category\":\"/signals/v1/public/terms/categories/<main>/sub_categories/<sub>\"}"));
        String url = string(category, "sub_category", "category.sub_category", 500);
        String slug;
        if (url != null) {
            Matcher matcher = SUB_CATEGORY.matcher(url);
            if (!matcher.matches()) {
                throw new PayloadRejectedException("field 'category.sub_category' must be a URL ending in "
                        + "/categories/<main>/sub_categories/<sub>");
            }
            slug = matcher.group(2);
        } else {
            slug = string(category, "sub_slug", "category.sub_slug", 64);
            if (slug == null) {
                throw new PayloadRejectedException("field 'category.sub_category' is missing: expected a URL ending "
                        + "in /categories/<main>/sub_categories/<sub> (or category.sub_slug)");
            }
        }
        if (!ServiceCatalog.CODE.matcher(slug).matches()) {
            throw new PayloadRejectedException("category slug must be 1-64 lower-case letters, digits and dashes, "
                    + "e.g. lantaarnpaal-straatverlichting");
        }
        return new String[] {slug, string(category, "sub", "category.sub", 200)};
    }

    /** {@code sig-<id>} from the numeric {@code id}, else {@code sig-<signal_id>}; null when neither is given. */
    private static String externalId(JsonObject signal) throws PayloadRejectedException {
        Optional<JsonValue> id = JsonFields.value(signal, "id");
        if (id.isPresent()) {
            if (!id.get().isLong() || id.get().asLong() < 0) {
                throw new PayloadRejectedException("field 'id' must be a whole number (the signal's id), e.g. 12345");
            }
            return "sig-" + id.get().asLong();
        }
        String uuid = string(signal, "signal_id", "signal_id", 64);
        if (uuid == null) {
            return null;
        }
        if (!UUID.matcher(uuid).matches()) {
            throw new PayloadRejectedException("field 'signal_id' must be a UUID such as "
                    + "3bbd7a1c-6d2f-4b55-9c4a-2f0e8f6b1a10");
        }
        return "sig-" + uuid.toLowerCase(Locale.ROOT);
    }

    private static Optional<Instant> instant(JsonObject signal, String field) throws PayloadRejectedException {
        String text = string(signal, field, 64);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            throw new PayloadRejectedException("field '" + field + "' must be an ISO-8601 time with offset, e.g. "
                    + "2024-05-14T09:12:33+02:00, was '" + text + "'");
        }
    }

    private static String string(JsonObject parent, String key, int maxLength) throws PayloadRejectedException {
        return string(parent, key, key, maxLength);
    }

    /** A string field, cleaned; null when absent, JSON null or blank. The reason never shows the value. */
    private static String string(JsonObject parent, String key, String field, int maxLength)
            throws PayloadRejectedException {
        Optional<String> value = JsonFields.optionalString(parent, key, field);
        if (value.isEmpty()) {
            return null;
        }
        String cleaned = Open311Parser.clean(value.get());
        if (cleaned.length() > maxLength) {
            throw new PayloadRejectedException("field '" + field + "' must be at most " + maxLength
                    + " characters, was " + cleaned.length());
        }
        return cleaned.isEmpty() ? null : cleaned;
    }
}
