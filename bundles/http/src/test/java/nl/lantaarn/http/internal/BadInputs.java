package nl.lantaarn.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of bad (and some good) input for the fuzz tests: JSON that is broken in structure, type, size and
 * encoding; thing ids and paths with path tricks; query parameter values. Good input is mixed in so that the
 * checks after the parsers are reached too.
 */
public final class BadInputs {

    private BadInputs() {
    }

    // ---- JSON ----

    /** Members of a thing and its parts, so that generated objects hit the model's checks, with any value. */
    private static final List<String> KEYS = List.of("thingId", "policyId", "definition", "attributes", "features",
            "properties", "desiredProperties", "location", "type", "coordinates", "zone", "laeq", "_revision",
            "_modified", "_created", "_metadata", "noise", "", "$where", "__proto__", "a/b", "~0~1", "\u0000",
            "\u00fc\u00f1\u20ac", "\ud83d\ude00");

    /** Numbers as JSON text, from ordinary to beyond double and long. */
    public static Arbitrary<String> jsonNumbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(3, Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "1e309")),
                Tuple.of(2, Arbitraries.of("1e999999999", "-1e400", "1E-400", "-0", "4.9E-324", "9223372036854775808",
                        "-9223372036854775809", "1.7976931348623157E309", "0." + "0".repeat(400) + "1",
                        "123456789012345678901234567890.5e-7", "-0.0", "2e+308")),
                Tuple.of(1, Arbitraries.strings().numeric().ofMinLength(19).ofMaxLength(2000)));
    }

    /** Strings as JSON text: any characters, escaped as JSON requires. */
    public static Arbitrary<String> jsonStrings() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().all().ofMaxLength(24)),
                Tuple.of(1, Arbitraries.of(KEYS)),
                Tuple.of(1, Arbitraries.of("'; DROP TABLE things; --", "{\"$where\":\"1==1\"}", "<script>x</script>",
                        "../../etc/passwd", "%00", "${jndi:ldap://127.0.0.1/a}", "\u202e", "\ufeff", "\uffff")))
                .map(BadInputs::quote);
    }

    public static Arbitrary<String> jsonScalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, jsonNumbers()),
                Tuple.of(3, jsonStrings()),
                Tuple.of(1, Arbitraries.of("true", "false", "null")));
    }

    /** Well-formed JSON values up to four levels deep, objects keyed like things. */
    public static Arbitrary<String> jsonValues() {
        return Arbitraries.recursive(BadInputs::jsonScalars, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(5).map(values -> "[" + String.join(",", values) + "]"),
                Combinators.combine(Arbitraries.oneOf(Arbitraries.of(KEYS).map(BadInputs::quote), jsonStrings()),
                        inner).as((key, value) -> key + ":" + value)
                        .list().ofMaxSize(5).map(members -> "{" + String.join(",", members) + "}")), 0, 4);
    }

    /** A valid JSON value with one mutation: a character inserted, removed or replaced, or the text cut short. */
    public static Arbitrary<String> brokenJson() {
        Arbitrary<String> breakers = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\u0000", "\\u", "\\ud800",
                "\\x41", "'", "NaN", "Infinity", "undefined", "/*", "//", "\u2028", "\ufeff", "\ud800", "\t", "\n", "01",
                "+1", ".5", "1.", "0x1F", "--1", "tru", "nul", ",]", ",}", "{\"a\"}", "[,]");
        return Combinators.combine(jsonValues(), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 3), breakers).as((json, at, kind, breaker) -> {
                    int i = (int) (at * json.length());
                    return switch (kind) {
                        case 0 -> json.substring(0, i) + breaker + json.substring(i);
                        case 1 -> i < json.length() ? json.substring(0, i) + json.substring(i + 1) : json + breaker;
                        case 2 -> i < json.length() ? json.substring(0, i) + breaker + json.substring(i + 1)
                                : breaker + json;
                        default -> json.substring(0, i);
                    };
                });
    }

    /** Nesting around the limits (32 for /api/v1, 64 for /api/2) and far beyond, closed or not. */
    public static Arbitrary<String> deepJson() {
        Arbitrary<Integer> depth = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(28, 70)),
                Tuple.of(1, Arbitraries.integers().between(1, 20_000)));
        return Combinators.combine(depth, Arbitraries.integers().between(0, 3)).as((n, shape) -> switch (shape) {
            case 0 -> "[".repeat(n) + "]".repeat(n);
            case 1 -> "{\"a\":".repeat(n) + "1" + "}".repeat(n);
            case 2 -> "[".repeat(n);
            default -> "{\"attributes\":" + "{\"x\":[".repeat(n / 2) + "0" + "]}".repeat(n / 2) + "}";
        });
    }

    /** Bodies as bytes: all the JSON above, some of it with invalid UTF-8, and plain random bytes. */
    public static Arbitrary<byte[]> jsonBodies() {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(4, jsonValues()),
                Tuple.of(4, brokenJson()),
                Tuple.of(1, deepJson()),
                Tuple.of(1, Arbitraries.of("", " ", "\n", "\u0000", "{}", "[]", "null", "\"\"", "{\"\":{}}")));
        return Arbitraries.frequencyOf(
                Tuple.of(8, text.map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(2, Combinators.combine(text, Arbitraries.doubles().between(0, 1), invalidUtf8())
                        .as((s, at, bad) -> insert(s.getBytes(StandardCharsets.UTF_8), at, bad))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)));
    }

    /** Byte sequences that are not UTF-8: a lone continuation byte, overlong forms, a surrogate, cut sequences. */
    public static Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xC0,
                (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88,
                (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFE,
                (byte) 0xFF}, new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xF4, (byte) 0x90,
                (byte) 0x80, (byte) 0x80});
    }

    private static byte[] insert(byte[] bytes, double at, byte[] inserted) {
        int i = (int) (at * bytes.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, i);
        out.writeBytes(inserted);
        out.write(bytes, i, bytes.length - i);
        return out.toByteArray();
    }

    public static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    // ---- thing ids and paths ----

    /** Pieces of thing ids and paths: the valid ones, and tricks for paths, encodings and parsers. */
    private static final List<String> ID_PIECES = List.of("nl.demo.safety", "nl", "demo", ":", "noise-1", "n-7", ".",
            "..", "...", "%2e", "%2E%2e", "%2e%2e%2f", "/", "%2F", "%2f", "//", "\\", "%5C", ";", ";a=b", "%3B", "%3A",
            "?", "#", "%23", "%00", "%0a", "%0D%0A", "%09", " ", "%20", "+", "%", "%25", "%zz", "%2", "%c0%ae",
            "%c0%af", "%ff", "%e2%80%ae", "%ef%bb%bf", "~", "~0", "~1", "*", "$", "$where", "'", "\"", "<", ">",
            "{", "}", "|", "^", "`", "&", "=", "@", "!", "(", ")", ",", "'; DROP TABLE things; --", "\u00fc",
            "\u00f1", "\ud83d\ude00", "\u0000", "\u0007", "\n", "\u202e", "\ufeff", "-", "_", "0", "9", "A", "z");

    private static final List<String> VALID_IDS = List.of("nl.demo.safety:noise-1", "nl.demo.safety:noise-2",
            "nl.demo.lighting:lamp-1", "nl.demo.safety:missing");

    /** A thing id as it appears in a URL path: valid, one piece from valid, composed of tricks, or very long. */
    public static Arbitrary<String> thingIds() {
        Arbitrary<String> composed = Arbitraries.of(ID_PIECES).list().ofMinSize(1).ofMaxSize(8)
                .map(pieces -> String.join("", pieces));
        Arbitrary<String> mutatedValid = Combinators.combine(Arbitraries.of(VALID_IDS), Arbitraries.doubles()
                .between(0, 1), Arbitraries.of(ID_PIECES)).as((id, at, piece) -> {
                    int i = (int) (at * id.length());
                    return id.substring(0, i) + piece + id.substring(i);
                });
        Arbitrary<String> longIds = Combinators.combine(Arbitraries.integers().between(0, 400),
                Arbitraries.integers().between(1, 12_000)).as((ns, name) -> "n".repeat(ns) + ":" + "x".repeat(name));
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(VALID_IDS)),
                Tuple.of(4, mutatedValid),
                Tuple.of(4, composed),
                Tuple.of(1, longIds),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(30)));
    }

    private static final List<String> PARTS = List.of("", "/", "/attributes", "/attributes/zone", "/attributes/location",
            "/attributes/location/coordinates/0", "/features", "/features/noise", "/features/noise/properties",
            "/features/noise/properties/laeq", "/features/noise/desiredProperties/laeq", "/features/noise/definition",
            "/definition", "/policyId", "/thingId", "/_revision", "/_modified", "/_metadata", "/x", "/attributes/~0~1",
            "/attributes/%7E", "/features//properties", "/attributes/..", "/attributes/%2e%2e", "/attributes/a;b",
            "/features/noise/properties/laeq/history", "/features/noise/properties/units/laeq/history",
            "/attributes/" + "a/".repeat(40) + "b");

    /** What may follow the thing id in a path: a part of the thing, or tricks appended to one. */
    public static Arbitrary<String> parts() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(PARTS)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(PARTS), Arbitraries.of(ID_PIECES).list().ofMaxSize(4))
                        .as((part, pieces) -> part + String.join("", pieces))));
    }

    /**
     * A request target for text: characters that may stand raw in a URI path stay raw (so {@code ..}, {@code ;},
     * {@code %2e} and broken {@code %} escapes reach the server as written); the others are percent-encoded as
     * UTF-8, except when {@code raw} is set (then the server sees them as they are, but for the whitespace that
     * would end the request line: that is a broken HTTP message, not a path).
     */
    public static String target(String text, boolean raw) {
        if (raw) {
            return text.replace(" ", "%20").replace("\t", "%09").replace("\r", "%0D").replace("\n", "%0A");
        }
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c > 0x20 && c < 0x7f && "\"<>\\^`{|}#".indexOf(c) < 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", (int) c));
            }
        }
        return out.toString();
    }

    /** A query parameter value, percent-encoded (form encoding). */
    public static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ---- query parameters ----

    /** Values of numeric parameters: in range, out of range, not numbers. */
    public static Arbitrary<String> numbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(-5, 1500).map(String::valueOf)),
                Tuple.of(2, Arbitraries.of("", " ", "0", "-1", "1e3", "0x10", "1.5", " 7 ", "+5", "2147483647",
                        "2147483648", "-2147483649", "99999999999999999999", "NaN", "Infinity", "\u0661", "1;2", "1,2",
                        "'; DROP TABLE things; --", "$where")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)));
    }

    private static final List<String> FIELD_PIECES = List.of("thingId", "attributes", "features", "noise",
            "properties", "laeq", "location", "_revision", "_modified", "policyId", "/", ",", "(", ")", "*", "~",
            "~0", "~1", "~2", "%", "%2F", "..", "", " ", "$where", "'", "\"", "\u0000", "\ud83d\ude00", "features/*/x");

    /** Values of {@code fields}: pointer lists, with tricks. */
    public static Arbitrary<String> fields() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(FIELD_PIECES).list().ofMaxSize(10).map(p -> String.join("", p))),
                Tuple.of(1, Arbitraries.of("thingId,attributes(zone,location)", "features/noise/properties/laeq",
                        "attributes((", "attributes)", "thingId,,", "/", "a".repeat(5000))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(20)));
    }

    /** Values of time parameters: ISO-8601 instants at and past the limits, and not times. */
    public static Arbitrary<String> times() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.longs().between(-31_557_014_167_219_200L, 31_556_889_864_403_199L)
                        .map(s -> java.time.Instant.ofEpochSecond(s).toString())),
                Tuple.of(2, Arbitraries.longs().between(0, 4_000_000_000L)
                        .map(s -> java.time.Instant.ofEpochSecond(s).toString())),
                Tuple.of(2, Arbitraries.of("2026-11-23T21:00:00Z", "2026-11-23T22:00:00+01:00",
                        "2026-11-23T22:00:00 01:00", "+1000000000-12-31T23:59:59.999999999Z",
                        "-1000000000-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23", "now", "", "0",
                        "1700000000", "2026-11-23T21:00:00", "2026-11-23T21:00:00+25:00", "9999-12-31T23:59:59Z",
                        "0000-01-01T00:00:00Z", "2026-11-23T21:00:00.1234567891Z")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(30)));
    }

    /** Values of {@code step}. */
    public static Arbitrary<String> steps() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("1m", "15m", "1h", "1d")),
                Tuple.of(1, Arbitraries.of("", "0m", "1s", "1w", "1M", "-1h", "1h;", "PT1H", "1D", "1 h")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(6)));
    }

    /** Injection-looking and odd text for free-text parameters. */
    public static Arbitrary<String> injections() {
        return Arbitraries.of("'; DROP TABLE things; --", "\" OR \"1\"=\"1", "{\"$where\":\"sleep(1000)\"}", "$where",
                "$gt", "${jndi:ldap://127.0.0.1/a}", "<script>alert(1)</script>", "../../../etc/passwd",
                "..%2f..%2f", "%00", "\u0000", "\r\nX-Injected: 1", "*", "?", "\\", "/", "~0~1", "nl.demo.*",
                "nl..demo", ".nl", "nl.", "nl.demo.safety", "safety", "stratumseind", "a".repeat(300));
    }
}
