package nl.lantaarn.adapter.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

/**
 * Reads the fields of a JSON payload and turns every problem into a {@link PayloadRejectedException} whose message
 * names the field and what was expected, so adapters share one vocabulary of rejection reasons.
 * <p>
 * Stateless and thread safe.
 */
public final class PayloadReader {

    private static final Pattern THING_NAME_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private PayloadReader() {
        throw new AssertionError("no instances");
    }

    /** Parses the payload as a JSON object. */
    public static JsonObject jsonObject(InboundMessage message) throws PayloadRejectedException {
        JsonValue value;
        try {
            value = JsonFactory.readFrom(message.payloadAsString());
        } catch (RuntimeException e) {
            throw new PayloadRejectedException("payload is not JSON (or holds a number beyond 64-bit range): "
                    + firstLine(e.getMessage()), e);
        }
        if (!value.isObject() || value.isNull()) {
            throw new PayloadRejectedException("payload must be a JSON object, was " + kind(value));
        }
        return value.asObject();
    }

    /** A number field that must be present. */
    public static double requiredNumber(JsonObject json, String field) throws PayloadRejectedException {
        JsonValue value = json.getValue(field)
                .orElseThrow(() -> new PayloadRejectedException("field '" + field + "' is missing"));
        if (!value.isNumber()) {
            throw new PayloadRejectedException("field '" + field + "' must be a number, was " + kind(value) + " "
                    + abbreviate(value.toString()));
        }
        double number = value.asDouble();
        if (!Double.isFinite(number)) {
            throw new PayloadRejectedException("field '" + field + "' must be a finite number, was "
                    + abbreviate(value.toString()));
        }
        return number;
    }

    /** A number field that may be absent (or JSON null). */
    public static Optional<Double> optionalNumber(JsonObject json, String field) throws PayloadRejectedException {
        Optional<JsonValue> value = json.getValue(field).filter(v -> !v.isNull());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(requiredNumber(json, field));
    }

    /** A string field that may be absent (or JSON null). */
    public static Optional<String> optionalString(JsonObject json, String field) throws PayloadRejectedException {
        Optional<JsonValue> value = json.getValue(field).filter(v -> !v.isNull());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isString()) {
            throw new PayloadRejectedException("field '" + field + "' must be a string, was " + kind(value.get()));
        }
        return Optional.of(value.get().asString());
    }

    /** An ISO-8601 instant field (e.g. {@code 2026-11-23T21:14:05Z}) that may be absent. */
    public static Optional<Instant> optionalInstant(JsonObject json, String field) throws PayloadRejectedException {
        Optional<String> text = optionalString(json, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text.get()));
        } catch (DateTimeParseException e) {
            throw new PayloadRejectedException("field '" + field + "' must be an ISO-8601 UTC time such as "
                    + "2026-11-23T21:14:05Z, was '" + abbreviate(text.get()) + "'", e);
        }
    }

    /**
     * A device identifier usable in a thing name: letters, digits, '-', '_' and '.', at most 64 characters.
     *
     * @param where what the identifier is, for the message, e.g. "field 'id'"
     */
    public static String deviceId(String candidate, String where) throws PayloadRejectedException {
        if (!THING_NAME_PART.matcher(candidate).matches()) {
            throw new PayloadRejectedException(where + " must be 1-64 letters, digits, '-', '_' or '.', was '"
                    + abbreviate(candidate) + "'");
        }
        return candidate;
    }

    private static String kind(JsonValue value) {
        if (value.isNull()) {
            return "null";
        } else if (value.isString()) {
            return "a string";
        } else if (value.isBoolean()) {
            return "a boolean";
        } else if (value.isArray()) {
            return "an array";
        } else if (value.isObject()) {
            return "an object";
        }
        return "a number";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }
}
