package nl.lantaarn.adapters.soundevents.internal;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;

import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.support.FieldNames;
import nl.lantaarn.adapter.support.JsonWalker;

/**
 * Events only, never audio: refuses a payload that carries sound or a way to fetch it. The rules, checked on every
 * field at every depth (see README.md, "No audio"):
 * <ol>
 * <li>a field whose name has one of the words of {@link #AUDIO_WORDS} ({@code audio}, {@code recordingUrl},
 * {@code clip_id}, {@code sampleRate}, ...);</li>
 * <li>a string holding a link: {@code <scheme>://}, {@code www.}, or a {@code data:} URI;</li>
 * <li>a string naming a media file: ending in an audio or video file extension such as {@code .wav};</li>
 * <li>a string of {@value #BASE64_MIN_LENGTH} or more characters of the base64 (or hex) alphabet only;</li>
 * <li>a string longer than {@value #MAX_STRING_LENGTH} characters, or an array of more than {@value #MAX_ARRAY}
 * elements (raw samples), or nesting deeper than {@value #MAX_DEPTH} levels.</li>
 * </ol>
 * The payload itself is limited to {@value #MAX_PAYLOAD_BYTES} bytes before it is parsed. A link is refused whatever it
 * points at: the hub cannot tell whether it leads to a recording.
 */
final class AudioGuard implements JsonWalker.Visitor {

    static final int MAX_PAYLOAD_BYTES = 16 * 1024;
    static final int MAX_STRING_LENGTH = 1024;
    static final int BASE64_MIN_LENGTH = 256;
    static final int MAX_ARRAY = 64;
    static final int MAX_DEPTH = 8;

    /** Words (or their plurals) that make a field name refused. */
    static final Set<String> AUDIO_WORDS = Set.of("audio", "recording", "sample", "wav", "wave", "waveform", "clip",
            "mp3", "ogg", "opus", "flac", "pcm", "spectrogram", "media");

    private static final Pattern LINK = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]{0,31}://|\\bwww\\.|\\bdata:[a-z]*[/;,]");
    private static final Pattern MEDIA_FILE = Pattern.compile(
            "(?i).*\\.(wav|wave|mp3|ogg|oga|opus|flac|aac|m4a|wma|aif|aiff|amr|pcm|au|snd|webm|mp4|3gp|mkv|avi|mov)\\s*$");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=_\\-\\r\\n]+");

    private static final String EVENTS_ONLY = "the sound-events adapter accepts event detections only, never audio or "
            + "a way to fetch it";

    private static final Map<String, String> AUDIO_FORMS = FieldNames.withPlurals(AUDIO_WORDS);
    /** Names already found harmless; payloads repeat the same few names, so most checks end here. */
    private static final int MAX_KNOWN_NAMES = 1024;

    private final Set<String> knownNames = new HashSet<>();

    /** Refuses a payload larger than {@link #MAX_PAYLOAD_BYTES}; call before parsing. */
    static void checkSize(int bytes) throws PayloadRejectedException {
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw new PayloadRejectedException("payload is " + bytes + " bytes, at most " + MAX_PAYLOAD_BYTES
                    + " are accepted: " + EVENTS_ONLY);
        }
    }

    /**
     * Not thread safe: one guard per adapter instance, which the hub calls one message at a time.
     *
     * @throws PayloadRejectedException naming the first field that breaks a rule, and the rule
     */
    void check(JsonObject payload) throws PayloadRejectedException {
        JsonWalker.walk(payload, MAX_DEPTH, this);
    }

    @Override
    public void name(String name, String parent, String path) throws PayloadRejectedException {
        if (name.length() > 128) {
            throw new PayloadRejectedException("field '" + path.substring(0, 40) + "...' has a name longer than 128 "
                    + "characters");
        }
        if (knownNames.contains(name)) {
            return;
        }
        for (String word : FieldNames.words(name)) {
            String audioWord = AUDIO_FORMS.get(word);
            if (audioWord != null) {
                throw PayloadRejectedException.withholdingPayload("field '" + path + "' is refused: its name says it holds audio ('"
                        + audioWord + "'); " + EVENTS_ONLY);
            }
        }
        if (knownNames.size() == MAX_KNOWN_NAMES) {
            knownNames.clear(); // a sender making up names cannot grow the set
        }
        knownNames.add(name);
    }

    @Override
    public void array(JsonArray array, String path, int depth) throws PayloadRejectedException {
        if (array.getSize() > MAX_ARRAY) {
            throw new PayloadRejectedException("field '" + path + "' is an array of " + array.getSize() + " elements, "
                    + "at most " + MAX_ARRAY + " are accepted (a long array can be raw audio samples); " + EVENTS_ONLY);
        }
    }

    @Override
    public void string(String text, String path) throws PayloadRejectedException {
        if (LINK.matcher(text).find()) {
            throw PayloadRejectedException.withholdingPayload("field '" + path + "' holds a link, which could lead to a recording; " + EVENTS_ONLY);
        }
        if (MEDIA_FILE.matcher(text).matches()) {
            throw PayloadRejectedException.withholdingPayload("field '" + path + "' names a media file; " + EVENTS_ONLY);
        }
        if (text.length() >= BASE64_MIN_LENGTH && BASE64.matcher(text).matches()) {
            throw PayloadRejectedException.withholdingPayload("field '" + path + "' holds " + text.length() + " characters of base64 or hex, which "
                    + "can be encoded audio; " + EVENTS_ONLY);
        }
        if (text.length() > MAX_STRING_LENGTH) {
            throw new PayloadRejectedException("field '" + path + "' holds " + text.length() + " characters, at most "
                    + MAX_STRING_LENGTH + " are accepted in one value");
        }
    }
}
