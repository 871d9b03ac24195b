package nl.lantaarn.adapters.crowd.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;

import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.support.FieldNames;
import nl.lantaarn.adapter.support.JsonWalker;

/**
 * Counts only, never identifiers: refuses a payload that carries a device or person identifier anywhere. Counting
 * people by tracking their phones' identifiers was ruled unlawful in the Netherlands, so the hub does not accept them
 * even for a count. The rules, checked on every field at every depth (see README.md, "Counts only"):
 * <ol>
 * <li>a field whose name has one of the words of {@link #IDENTIFIER_WORDS} ({@code mac}, {@code wifiMACs},
 * {@code bssid}, {@code licensePlate}, ...);</li>
 * <li>a field whose name has a word of {@link #SUBJECT_WORDS} directly followed by a word of {@link #ID_WORDS}
 * ({@code trackId}, {@code track_id}, {@code deviceIds}, {@code faceId}, {@code visitorHash}, ...);</li>
 * <li>a field name or a string value that contains a MAC address or EUI-64: six or eight pairs of hex digits separated
 * by ':' or '-' ({@code a4:5e:60:d2:19:0b}).</li>
 * </ol>
 * The sensor's own id ({@code sensorId}, the FIWARE entity {@code id}) is not an identifier of a person.
 */
final class IdentifierGuard implements JsonWalker.Visitor {

    static final int MAX_DEPTH = 10;

    /** Words (or their plurals) that name a device or person identifier on their own. */
    static final Set<String> IDENTIFIER_WORDS = Set.of("mac", "bssid", "imei", "imsi", "msisdn", "iccid", "plate",
            "kenteken", "anpr");
    /** Words naming what an identifier would belong to ... */
    static final Set<String> SUBJECT_WORDS = Set.of("track", "tracking", "device", "face", "person", "people",
            "visitor", "pedestrian", "user", "phone", "client", "bluetooth", "ble", "beacon", "advertising", "object",
            "target");
    /** ... and the words that make a name an identifier when they follow one of those. */
    static final Set<String> ID_WORDS = Set.of("id", "identifier", "uuid", "guid", "hash", "token", "address",
            "embedding", "signature", "fingerprint", "template");

    private static final Pattern MAC = Pattern.compile(
            "(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\\1[0-9A-Fa-f]{2}){4}(?:(?:\\1[0-9A-Fa-f]{2}){2})?"
                    + "(?![0-9A-Fa-f:-])");

    private static final String COUNTS_ONLY = "the crowd adapter accepts counts only, never a device or person "
            + "identifier (MAC address, track id, face or plate): tracking people by such identifiers is unlawful in "
            + "the Netherlands";

    private static final Map<String, String> IDENTIFIER_FORMS = FieldNames.withPlurals(IDENTIFIER_WORDS);
    private static final Map<String, String> SUBJECT_FORMS = FieldNames.withPlurals(SUBJECT_WORDS);
    private static final Map<String, String> ID_FORMS = FieldNames.withPlurals(ID_WORDS);
    /** Names already found harmless; payloads repeat the same few names, so most checks end here. */
    private static final int MAX_KNOWN_NAMES = 1024;
    private static final int MAX_KNOWN_NAME_LENGTH = 64;

    private final Set<String> knownNames = new HashSet<>();

    /**
     * Not thread safe: one guard per adapter instance, which the hub calls one message at a time.
     *
     * @throws PayloadRejectedException naming the first field that breaks a rule, and why
     */
    void check(JsonObject payload) throws PayloadRejectedException {
        JsonWalker.walk(payload, MAX_DEPTH, this);
    }

    @Override
    public void array(JsonArray array, String path, int depth) throws PayloadRejectedException {
        if (depth + 1 > MAX_DEPTH) {
            throw new PayloadRejectedException("field '" + path + "' is nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    @Override
    public void string(String text, String path) throws PayloadRejectedException {
        if (mayHoldMac(text) && MAC.matcher(text).find()) {
            throw PayloadRejectedException.withholdingPayload("field '" + path + "' holds a value that looks like a "
                    + "MAC address; " + COUNTS_ONLY);
        }
    }

    @Override
    public void name(String name, String parent, String path) throws PayloadRejectedException {
        if (knownNames.contains(name)) {
            return;
        }
        if (MAC.matcher(name).find()) {
            throw PayloadRejectedException.withholdingPayload("a field name " + (parent.isEmpty() ? "" : "in '" + parent + "' ")
                    + "looks like a MAC address; " + COUNTS_ONLY);
        }
        List<String> words = FieldNames.words(name);
        for (int i = 0; i < words.size(); i++) {
            String identifier = IDENTIFIER_FORMS.get(words.get(i));
            if (identifier != null) {
                throw refused(path, identifier);
            }
            String subject = SUBJECT_FORMS.get(words.get(i));
            String id = subject == null || i + 1 == words.size() ? null : ID_FORMS.get(words.get(i + 1));
            if (id != null) {
                throw refused(path, subject + " " + id);
            }
        }
        if (name.length() <= MAX_KNOWN_NAME_LENGTH) {
            if (knownNames.size() == MAX_KNOWN_NAMES) {
                knownNames.clear(); // a sender making up names cannot grow the set
            }
            knownNames.add(name);
        }
    }

    private static boolean mayHoldMac(String text) {
        return text.length() >= 17 && (text.indexOf(':') >= 0 || text.indexOf('-') >= 0);
    }

    private static PayloadRejectedException refused(String path, String words) {
        return PayloadRejectedException.withholdingPayload("field '" + path + "' is refused: its name suggests a device or person "
                + "identifier ('" + words + "'); " + COUNTS_ONLY);
    }
}
