package nl.lantaarn.personaldata.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Whose data to erase or export: a thing (by its id) or a pseudonym (a value that occurs in stored data, e.g. the
 * keyed pseudonym of a citizen who reported something). Immutable.
 *
 * @param kind  a thing or a pseudonym
 * @param value the thing id ({@code <namespace>:<name>}) or the pseudonym, at least 4 characters so that it cannot
 *              match by accident everything that contains a common short text
 */
public record DataSubject(Kind kind, String value) {

    /** The kinds of subject. */
    public enum Kind {
        /** A thing: everything stored under its id or naming it. */
        THING,
        /** A pseudonym: every stored value that contains it. */
        PSEUDONYM
    }

    /** The shortest value accepted. */
    public static final int MIN_LENGTH = 4;

    public DataSubject {
        Objects.requireNonNull(kind, "kind");
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(kind == Kind.THING ? "thingId must not be empty"
                    : "pseudonym must not be empty");
        }
        if (value.length() < MIN_LENGTH) {
            throw new IllegalArgumentException((kind == Kind.THING ? "thingId" : "pseudonym") + " '" + value
                    + "' is shorter than " + MIN_LENGTH + " characters and would match unrelated data");
        }
        if (kind == Kind.THING && value.indexOf(':') < 1) {
            throw new IllegalArgumentException("thingId '" + value + "' must be <namespace>:<name>, e.g. "
                    + "nl.eindhoven.lighting:lamppost-0042");
        }
    }

    public static DataSubject thing(String thingId) {
        return new DataSubject(Kind.THING, thingId);
    }

    public static DataSubject pseudonym(String pseudonym) {
        return new DataSubject(Kind.PSEUDONYM, pseudonym);
    }

    /** Whether {@code text} contains the subject's value (a thing id, a pseudonym). */
    public boolean occursIn(String text) {
        return text != null && text.contains(value);
    }

    /** Whether the UTF-8 bytes contain the subject's value. */
    public boolean occursIn(byte[] utf8) {
        byte[] needle = value.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i <= utf8.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (utf8[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return (kind == Kind.THING ? "thing " : "pseudonym ") + value;
    }
}
