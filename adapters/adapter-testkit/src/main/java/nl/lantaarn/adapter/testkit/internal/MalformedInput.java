package nl.lantaarn.adapter.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;

/**
 * One input of the malformed-input corpus. {@link #garbage()} inputs must be rejected (or ignored with no updates);
 * the others are plausible variants an adapter may accept, as long as nothing but a rejection escapes.
 *
 * @param name    for the test name, e.g. {@code truncated to half of 'uplink.json'}
 * @param origin  the origin of the message (the sample's, or the first sample's for inputs not derived from one)
 * @param payload the bytes
 * @param garbage whether no adapter may map it to thing updates
 */
public record MalformedInput(String name, String origin, Map<String, String> attributes, byte[] payload,
        boolean garbage) {

    /** Nesting depth of the deep-nesting inputs. */
    public static final int DEPTH = 10_000;
    /** Fields replaced per sample, so a large sample cannot blow the corpus up. */
    private static final int MAX_FIELDS_PER_SAMPLE = 64;
    private static final String HUGE_MARKER = "\u0001lantaarn-huge-number\u0001";
    private static final byte[] INVALID_UTF8 = {(byte) 0xC3, 0x28, (byte) 0xA0, (byte) 0xA1, (byte) 0xE2, 0x28,
        (byte) 0xA1, (byte) 0xF0, (byte) 0x90, 0x28, (byte) 0xBC, (byte) 0xFF, (byte) 0xFE, (byte) 0xC0, (byte) 0xAF};

    /** A sample as the corpus needs it; the kit's public {@code Sample} is turned into this. */
    public record Source(String name, String origin, Map<String, String> attributes, byte[] payload) {
    }

    /**
     * The corpus for the given samples: inputs that are garbage for any JSON adapter, then per sample its truncations,
     * its fields replaced by values of other types, huge numbers, invalid UTF-8 in strings and the sample wrapped in a
     * top-level array.
     *
     * @param seed seeds the random binary input, so runs are repeatable
     */
    public static List<MalformedInput> corpus(List<Source> samples, long seed) {
        List<MalformedInput> inputs = new ArrayList<>();
        Source first = samples.get(0);
        byte[] random = new byte[512];
        new Random(seed).nextBytes(random);
        inputs.add(garbage("empty payload", first, new byte[0]));
        inputs.add(garbage("JSON null", first, utf8("null")));
        inputs.add(garbage("random binary (512 bytes, seed " + seed + ")", first, random));
        inputs.add(garbage("invalid UTF-8 bytes", first, INVALID_UTF8));
        inputs.add(garbage("number 1e309", first, utf8("1e309")));
        inputs.add(garbage("number 123456789012345678901234567890", first,
                utf8("123456789012345678901234567890")));
        inputs.add(garbage(DEPTH + " nested arrays", first, utf8("[".repeat(DEPTH) + "]".repeat(DEPTH))));
        inputs.add(garbage(DEPTH + " nested objects", first,
                utf8("{\"a\":".repeat(DEPTH) + "0" + "}".repeat(DEPTH))));
        inputs.add(garbage(DEPTH + " unclosed brackets", first, utf8("[{".repeat(DEPTH / 2))));
        inputs.add(tolerated("empty JSON array", first, utf8("[]")));
        for (Source sample : samples) {
            addDerived(inputs, sample);
        }
        return inputs;
    }

    private static void addDerived(List<MalformedInput> inputs, Source sample) {
        String text = new String(sample.payload(), StandardCharsets.UTF_8).strip();
        JsonObject json;
        try {
            JsonValue value = JsonFactory.readFrom(text);
            if (!value.isObject()) {
                return;
            }
            json = value.asObject();
        } catch (RuntimeException | StackOverflowError e) {
            return; // not a JSON sample: only the generic inputs apply
        }
        String of = " of '" + sample.name() + "'";
        byte[] bytes = utf8(text);
        inputs.add(garbage("truncated to half" + of, sample, Arrays.copyOf(bytes, bytes.length / 2)));
        inputs.add(garbage("last byte cut" + of, sample, Arrays.copyOf(bytes, bytes.length - 1)));
        inputs.add(tolerated("wrapped in a top-level array" + of, sample, utf8("[" + text + "]")));

        List<JsonPointer> fields = new ArrayList<>();
        collectFields(json, JsonPointer.empty(), fields, 0);
        int count = 0;
        for (JsonPointer pointer : fields) {
            if (count++ == MAX_FIELDS_PER_SAMPLE) {
                break;
            }
            JsonValue original = json.getValue(pointer).orElseThrow();
            JsonValue other = otherType(original);
            inputs.add(tolerated(pointer + " as " + kind(other) + " instead of " + kind(original) + of, sample,
                    utf8(json.setValue(pointer, other).toString())));
            if (original.isNumber()) {
                String marked = json.setValue(pointer, JsonValue.of(HUGE_MARKER)).toString();
                String quoted = JsonValue.of(HUGE_MARKER).toString();
                inputs.add(tolerated(pointer + " = 1e309" + of, sample, utf8(marked.replace(quoted, "1e309"))));
                inputs.add(tolerated(pointer + " = 123456789012345678901234567890" + of, sample,
                        utf8(marked.replace(quoted, "123456789012345678901234567890"))));
            }
            if (original.isString()) {
                String marked = json.setValue(pointer, JsonValue.of(HUGE_MARKER)).toString();
                String quoted = JsonValue.of(HUGE_MARKER).toString();
                int at = marked.indexOf(quoted);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(utf8(marked.substring(0, at + 1)));
                out.writeBytes(INVALID_UTF8);
                out.writeBytes(utf8(marked.substring(at + quoted.length() - 1)));
                inputs.add(tolerated(pointer + " with invalid UTF-8" + of, sample, out.toByteArray()));
            }
        }
    }

    /** Pointers of every field of the sample, parents before children. Samples are trusted, but bounded anyway. */
    private static void collectFields(JsonObject object, JsonPointer parent, List<JsonPointer> into, int depth) {
        if (depth > 16) {
            return;
        }
        for (JsonField field : object) {
            if (field.getKeyName().isEmpty() || field.getKeyName().contains("/")) {
                continue; // not addressable by a pointer
            }
            JsonPointer pointer = parent.addLeaf(field.getKey());
            into.add(pointer);
            if (field.getValue().isObject()) {
                collectFields(field.getValue().asObject(), pointer, into, depth + 1);
            }
        }
    }

    private static JsonValue otherType(JsonValue value) {
        if (value.isNumber()) {
            return JsonValue.of("not a number");
        } else if (value.isString()) {
            return JsonValue.of(42);
        } else if (value.isBoolean()) {
            return JsonValue.of("yes");
        } else if (value.isArray()) {
            return JsonObject.newBuilder().set("unexpected", true).build();
        } else if (value.isObject()) {
            return JsonFactory.newArrayBuilder().add(1).add(2).build();
        }
        return JsonObject.empty(); // null
    }

    private static String kind(JsonValue value) {
        if (value.isNull()) {
            return "null";
        } else if (value.isString()) {
            return "string";
        } else if (value.isBoolean()) {
            return "boolean";
        } else if (value.isArray()) {
            return "array";
        } else if (value.isObject()) {
            return "object";
        }
        return "number";
    }

    private static MalformedInput garbage(String name, Source source, byte[] payload) {
        return new MalformedInput(name, source.origin(), source.attributes(), payload, true);
    }

    private static MalformedInput tolerated(String name, Source source, byte[] payload) {
        return new MalformedInput(name, source.origin(), source.attributes(), payload, false);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The message as the hub would hand it over. */
    public nl.lantaarn.adapter.api.InboundMessage message(Instant receivedAt) {
        return new nl.lantaarn.adapter.api.InboundMessage(origin, payload.clone(), receivedAt, attributes);
    }

    @Override
    public String toString() {
        return name;
    }
}
