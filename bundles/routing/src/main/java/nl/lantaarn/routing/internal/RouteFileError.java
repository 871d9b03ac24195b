package nl.lantaarn.routing.internal;

/**
 * Why a route file was refused.
 *
 * @param file   the file name
 * @param line   1-based line of the problem, or 0 when unknown
 * @param reason what is wrong, for the operator
 */
record RouteFileError(String file, int line, String reason) {

    /** E.g. {@code noise-alerts.yaml line 12: Unknown node id: tooo}. */
    String describe() {
        return line > 0 ? file + " line " + line + ": " + reason : file + ": " + reason;
    }
}
