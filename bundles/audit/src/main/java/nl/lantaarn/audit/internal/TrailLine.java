package nl.lantaarn.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.api.AuditRecord;

/**
 * One line of the trail and its hash. A line is one JSON object with its members in a fixed order and no spaces:
 * <pre>
 * {"seq":1,"time":"2026-11-24T10:15:30.123Z","kind":"api-access","actor":"ops","purpose":"...","resource":"...",
 *  "thingId":"","outcome":"200","detail":"...","prev":"000...0","hash":"9f2c..."}
 * </pre>
 * {@code hash} is the SHA-256 (lower-case hex) of the line's UTF-8 bytes before {@code ,"hash":}: its canonical form,
 * which holds the previous entry's hash ({@code prev}), so that each entry seals the one before it. The first entry
 * ever links to {@link #GENESIS}. Any change to a byte of an entry changes its hash.
 */
public final class TrailLine {

    /** What the first entry of a trail links to. */
    public static final String GENESIS = "0".repeat(64);
    static final String HASH_MEMBER = ",\"hash\":\"";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    /** Longer texts are cut: an entry says what happened, it does not keep whatever a caller passes. */
    static final int MAX_TEXT = 2048;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private TrailLine() {
        throw new AssertionError();
    }

    /** The line (without its line break) of {@code entry} as number {@code sequence} after {@code prev}. */
    static String render(long sequence, long epochMillis, AuditEntry entry, String prev) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"seq\":").append(sequence)
                .append(",\"time\":\"").append(TIME.format(Instant.ofEpochMilli(epochMillis))).append('"')
                .append(",\"kind\":\"").append(entry.kind().id()).append('"');
        member(line, "actor", entry.actor());
        member(line, "purpose", entry.purpose());
        member(line, "resource", entry.resource());
        member(line, "thingId", entry.thingId());
        member(line, "outcome", entry.outcome());
        member(line, "detail", entry.detail());
        line.append(",\"prev\":\"").append(prev).append('"');
        String hash = sha256(line);
        return line.append(HASH_MEMBER).append(hash).append("\"}").toString();
    }

    private static void member(StringBuilder line, String name, String value) {
        String text = value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT) + "..." : value;
        line.append(",\"").append(name).append("\":").append(JsonValue.of(text));
    }

    static String sha256(CharSequence canonical) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * A line as read back.
     *
     * @param sequence   its {@code seq}
     * @param prev       the hash it links to
     * @param hash       the hash it carries
     * @param actualHash the hash of its canonical form as it is now: differs from {@code hash} when it was altered
     */
    public record Parsed(long sequence, Instant time, AuditEntry entry, String prev, String hash,
            String actualHash) {

        public boolean intact() {
            return hash.equals(actualHash);
        }

        public AuditRecord record() {
            return new AuditRecord(sequence, time, entry);
        }
    }

    /** The line read back, or empty when it is not a trail line at all (the reason is then in {@code problem}). */
    public static Optional<Parsed> parse(String line, StringBuilder problem) {
        int at = line.lastIndexOf(HASH_MEMBER);
        if (at < 0 || !line.endsWith("\"}") || line.length() != at + HASH_MEMBER.length() + 64 + 2) {
            problem.append("it does not end with a \"hash\" member of 64 hex digits");
            return Optional.empty();
        }
        String hash = line.substring(at + HASH_MEMBER.length(), line.length() - 2);
        try {
            JsonObject json = JsonFactory.readFrom(line).asObject();
            AuditKind kind = AuditKind.of(json.getValue("kind").map(JsonValue::asString).orElse(""))
                    .orElseThrow(() -> new IllegalArgumentException("unknown kind"));
            long sequence = json.getValue("seq").orElseThrow().asLong();
            Instant time = Instant.parse(json.getValue("time").orElseThrow().asString());
            String prev = json.getValue("prev").orElseThrow().asString();
            if (!HEX64.matcher(hash).matches() || !HEX64.matcher(prev).matches()) {
                throw new IllegalArgumentException("hash and prev must be 64 lower-case hex digits");
            }
            AuditEntry entry = new AuditEntry(kind, text(json, "actor"), text(json, "purpose"),
                    text(json, "resource"), text(json, "thingId"), text(json, "outcome"), text(json, "detail"));
            return Optional.of(new Parsed(sequence, time, entry, prev, hash, sha256(line.substring(0, at))));
        } catch (RuntimeException e) {
            problem.append("it cannot be read as an entry (").append(e.getMessage()).append(')');
            return Optional.empty();
        }
    }

    private static String text(JsonObject json, String name) {
        return json.getValue(name).filter(JsonValue::isString).map(JsonValue::asString).orElse("");
    }
}
