package nl.lantaarn.adapters.ttn.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.support.JsonFields;
import nl.lantaarn.adapter.support.JsonTree;
import nl.lantaarn.adapter.support.Texts;

/**
 * What TTN uplinks need beyond {@link JsonFields}: the checks before parsing and LoRaWAN's frame counter. Stateless.
 */
final class Fields {

    /** Deepest nesting of JSON arrays and objects accepted; uplinks of The Things Stack nest about 6 deep. */
    static final int MAX_DEPTH = 32;

    private Fields() {
        throw new AssertionError("no instances");
    }

    /**
     * Rejects a payload that is not UTF-8 or nests deeper than {@link #MAX_DEPTH}, before it is parsed.
     *
     * @return the payload as text
     */
    static String checkEncodingAndDepth(byte[] payload) throws PayloadRejectedException {
        String text = new String(payload, StandardCharsets.UTF_8);
        // the lenient decoder writes U+FFFD for malformed input: without one the payload was valid UTF-8
        if (text.indexOf('\uFFFD') >= 0) {
            checkEncoding(payload);
        }
        int tooDeep = JsonFields.depthExceededAt(text, MAX_DEPTH);
        if (tooDeep >= 0) {
            throw new PayloadRejectedException("payload nests JSON objects and arrays more than " + MAX_DEPTH
                    + " deep (at character " + tooDeep + "); an uplink of The Things Stack nests about 6 deep");
        }
        return text;
    }

    private static void checkEncoding(byte[] payload) throws PayloadRejectedException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(payload));
        } catch (CharacterCodingException e) {
            throw new PayloadRejectedException("payload is not UTF-8 text: " + e.getMessage(), e);
        }
    }

    /** A LoRaWAN 32-bit unsigned counter; absent is 0, which The Things Stack leaves out. */
    static long unsigned32(Map<String, Object> json, String key, String path) throws PayloadRejectedException {
        Object found = JsonTree.value(json, key);
        if (found == null) {
            return 0;
        }
        if (!(found instanceof JsonValue value && value.isNumber())) {
            throw new PayloadRejectedException("field '" + path + "' must be a number, was " + JsonTree.kind(found));
        }
        if (!value.isLong() || value.asLong() < 0 || value.asLong() > 0xFFFF_FFFFL) {
            throw new PayloadRejectedException("field '" + path + "' must be a whole number from 0 to 4294967295, "
                    + "was " + Texts.abbreviate(value.toString()));
        }
        return value.asLong();
    }
}
