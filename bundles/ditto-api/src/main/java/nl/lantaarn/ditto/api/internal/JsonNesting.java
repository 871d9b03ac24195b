package nl.lantaarn.ditto.api.internal;

/** Measures how deep JSON text nests, without parsing it, so that a parser that recurses per level is never overrun. */
final class JsonNesting {

    private JsonNesting() {
    }

    /** Whether objects and arrays in {@code json} nest deeper than {@code max} levels (brackets in strings do not count). */
    static boolean deeperThan(String json, int max) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > max) {
                    return true;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return false;
    }
}
