package nl.lantaarn.search.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of results: {@code sort(+thingId,-features/noise/properties/laeq)} (Ditto's option syntax; the
 * {@code sort(...)} wrapper may be left out). Ties are broken by thing id, ascending, so that cursor paging is exact.
 * Kinds order as absent, null, numbers, strings, objects, arrays, booleans (absent first when ascending).
 */
final class Sort {

    static final String PARAMETER = "sort";
    static final int MAX_FIELDS = 8;
    static final Sort BY_THING_ID = new Sort(List.of(), "");

    private final List<Field> fields;
    private final String canonical;

    /** One sort criterion. */
    record Field(Filter.PathRef path, boolean descending) {
    }

    private Sort(List<Field> fields, String canonical) {
        this.fields = fields;
        this.canonical = canonical;
    }

    List<Field> fields() {
        return fields;
    }

    /** A normalised form, part of the cursor's query fingerprint. */
    String canonical() {
        return canonical;
    }

    static Sort parse(String text) {
        if (text == null || text.isBlank()) {
            return BY_THING_ID;
        }
        String inner = text.strip();
        if (inner.startsWith("sort(")) {
            if (!inner.endsWith(")")) {
                throw new QueryException(PARAMETER, "sort(...) is missing its closing parenthesis: " + text);
            }
            inner = inner.substring("sort(".length(), inner.length() - 1);
        }
        List<Field> fields = new ArrayList<>();
        StringBuilder canonical = new StringBuilder();
        for (String raw : inner.split(",", -1)) {
            // '+' in a query string decodes to a space: a missing sign therefore means ascending
            String token = raw.strip();
            boolean descending = token.startsWith("-");
            if (descending || token.startsWith("+")) {
                token = token.substring(1).strip();
            }
            if (token.isEmpty()) {
                throw new QueryException(PARAMETER, "The sort option has an empty field: '" + text
                        + "'; write e.g. sort(+thingId,-features/noise/properties/laeq).");
            }
            Filter.PathRef path;
            try {
                path = FilterParser.path(token);
            } catch (QueryException e) {
                throw new QueryException(PARAMETER, e.getMessage());
            }
            if (path.wildcard()) {
                throw new QueryException(PARAMETER, "Cannot sort by '" + token + "': name the feature instead of *.");
            }
            fields.add(new Field(path, descending));
            canonical.append(descending ? '-' : '+').append(path.path()).append(',');
        }
        if (fields.size() > MAX_FIELDS) {
            throw new QueryException(PARAMETER, "At most " + MAX_FIELDS + " sort fields, got " + fields.size() + ".");
        }
        return new Sort(List.copyOf(fields), canonical.toString());
    }
}
