package nl.lantaarn.search.internal;

/**
 * The parameters of one search, as given (null when absent). See the bundle README for their syntax.
 *
 * @param size   page size as text; null means {@link SearchEngine#DEFAULT_SIZE}
 */
record SearchRequest(String filter, String sort, String size, String cursor, String near, String bbox, String zone,
        String within) {

    static SearchRequest filter(String filter) {
        return new SearchRequest(filter, null, null, null, null, null, null, null);
    }

    SearchRequest withSort(String value) {
        return new SearchRequest(filter, value, size, cursor, near, bbox, zone, within);
    }

    SearchRequest withSize(int value) {
        return new SearchRequest(filter, sort, Integer.toString(value), cursor, near, bbox, zone, within);
    }

    SearchRequest withCursor(String value) {
        return new SearchRequest(filter, sort, size, value, near, bbox, zone, within);
    }

    SearchRequest withNear(String value) {
        return new SearchRequest(filter, sort, size, cursor, value, bbox, zone, within);
    }

    SearchRequest withBbox(String value) {
        return new SearchRequest(filter, sort, size, cursor, near, value, zone, within);
    }

    SearchRequest withZone(String value) {
        return new SearchRequest(filter, sort, size, cursor, near, bbox, value, within);
    }

    SearchRequest withWithin(String value) {
        return new SearchRequest(filter, sort, size, cursor, near, bbox, zone, value);
    }
}
