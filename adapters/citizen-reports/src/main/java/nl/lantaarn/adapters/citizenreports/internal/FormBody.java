package nl.lantaarn.adapters.citizenreports.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import nl.lantaarn.adapter.api.PayloadRejectedException;

/**
 * An {@code application/x-www-form-urlencoded} body (how GeoReport v2 clients POST a request), UTF-8. Parsing is
 * bounded: at most {@value #MAX_FIELDS} fields; a field given twice, a bad {@code %} escape or bytes that are not
 * UTF-8 are rejected with a reason that names the field but never shows its value.
 */
final class FormBody {

    static final int MAX_FIELDS = 64;
    static final String CONTENT_TYPE = "application/x-www-form-urlencoded";

    private FormBody() {
        throw new AssertionError("no instances");
    }

    /** The fields in the order given; empty values are kept as empty strings. */
    static Map<String, String> parse(byte[] body) throws PayloadRejectedException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new PayloadRejectedException("form body is not UTF-8 text; send application/x-www-form-urlencoded "
                    + "fields encoded as UTF-8");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (text.isBlank()) {
            return fields;
        }
        int count = 0;
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_FIELDS) {
                throw new PayloadRejectedException("form body has more than " + MAX_FIELDS + " fields");
            }
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
            String name = decode(rawName, "a field name (field " + count + ")");
            if (name.isEmpty() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
                throw new PayloadRejectedException("form field " + count + " has no usable name; expected e.g. "
                        + "service_code=...");
            }
            String value = decode(rawValue, "field '" + name + "'");
            if (fields.putIfAbsent(name, value) != null) {
                throw new PayloadRejectedException("field '" + name + "' is given twice; give it once");
            }
        }
        return fields;
    }

    private static String decode(String raw, String where) throws PayloadRejectedException {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new PayloadRejectedException(where + " has a bad %-escape; encode the form as "
                    + CONTENT_TYPE);
        }
    }

    /** The fields encoded as a form body, leaving out {@code omit}. */
    static byte[] encode(Map<String, String> fields, Set<String> omit) {
        StringBuilder body = new StringBuilder(256);
        fields.forEach((name, value) -> {
            if (!omit.contains(name)) {
                if (body.length() > 0) {
                    body.append('&');
                }
                body.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
