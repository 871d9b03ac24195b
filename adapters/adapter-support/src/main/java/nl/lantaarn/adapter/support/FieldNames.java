package nl.lantaarn.adapter.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Splits JSON field names into lower-case words, so that rules can speak of words rather than substrings. */
public final class FieldNames {

    private FieldNames() {
        throw new AssertionError("no instances");
    }

    /**
     * The words of a field name: split at anything but letters and digits, at a lower-case letter or digit followed by
     * an upper-case letter, and at the end of an acronym ({@code MACAddress} gives {@code mac, address}); a plural
     * {@code s} stays with its acronym ({@code MACs} gives {@code macs}).
     */
    public static List<String> words(String name) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int length = name.length();
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                flush(word, words);
                continue;
            }
            if (word.length() > 0 && Character.isUpperCase(c)) {
                char previous = name.charAt(i - 1);
                boolean camelHump = Character.isLowerCase(previous) || Character.isDigit(previous);
                boolean acronymEnd = Character.isUpperCase(previous) && i + 1 < length
                        && Character.isLowerCase(name.charAt(i + 1)) && !pluralS(name, i + 1);
                if (camelHump || acronymEnd) {
                    flush(word, words);
                }
            }
            word.append(Character.toLowerCase(c));
        }
        flush(word, words);
        return words;
    }

    /**
     * The words with their plurals ({@code -s}, {@code -es}), each mapped to its singular, for look-ups on the hot
     * path.
     */
    public static Map<String, String> withPlurals(Set<String> singulars) {
        Map<String, String> forms = new HashMap<>();
        for (String singular : singulars) {
            forms.put(singular, singular);
            forms.put(singular + "s", singular);
            forms.put(singular + "es", singular);
        }
        return Map.copyOf(forms);
    }

    private static boolean pluralS(String name, int index) {
        return name.charAt(index) == 's'
                && (index + 1 == name.length() || !Character.isLowerCase(name.charAt(index + 1)));
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(word.toString().toLowerCase(Locale.ROOT));
            word.setLength(0);
        }
    }
}
