package nl.lantaarn.things.model;

/**
 * RQL's {@code like}: {@code *} any run of characters, {@code ?} one code point, matched without regular expressions,
 * whose backtracking a crafted pattern such as {@code *a*a*a*a*b} would make take exponential time. The search and
 * the Ditto event filter both match {@code like} with it.
 */
public final class Wildcards {

    private Wildcards() {
    }

    /**
     * Whether {@code value} matches {@code pattern}. Greedy with a single resume point (the last {@code *}): a mismatch
     * after a {@code *} retries one character further, never revisiting earlier stars, so the work is at most the
     * product of the two lengths.
     */
    public static boolean matches(String pattern, String value) {
        int p = 0;
        int v = 0;
        int star = -1;
        int resume = 0;
        int pl = pattern.length();
        int vl = value.length();
        while (v < vl) {
            char c = p < pl ? pattern.charAt(p) : 0;
            if (p < pl && c == '?') {
                p++;
                v += Character.charCount(value.codePointAt(v));
            } else if (p < pl && c != '*' && c == value.charAt(v)) {
                p++;
                v++;
            } else if (p < pl && c == '*') {
                star = p++;
                resume = v;
            } else if (star >= 0) {
                p = star + 1;
                resume += Character.charCount(value.codePointAt(resume));
                v = resume;
            } else {
                return false;
            }
        }
        while (p < pl && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pl;
    }
}
