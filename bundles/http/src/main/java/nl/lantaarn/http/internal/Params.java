package nl.lantaarn.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Query parameters with errors that name the parameter and what it must be. */
final class Params {

    private Params() {
    }

    /** A query parameter the caller must fix; answered with 400. */
    static final class BadParameter extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadParameter(String message) {
            super(message);
        }
    }

    /**
     * Whether the container can decode the query string of a read; if not (a '%' without two hex digits after it,
     * bytes that are not UTF-8), answers 400 here, because every getParameter would throw and the container would
     * answer with a page of its own instead of a problem.
     */
    static boolean decodableQuery(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String query = request.getQueryString();
        if (query == null || !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))) {
            return true;
        }
        try {
            request.getParameterMap();
            return true;
        } catch (RuntimeException e) {
            ApiServlet.problem(response, 400, "Bad request", "The query string '"
                    + (query.length() > 200 ? query.substring(0, 200) + "..." : query) + "' cannot be decoded: "
                    + "percent-encode each parameter value as UTF-8, a '%' itself as %25.");
            return false;
        }
    }

    static int integer(HttpServletRequest request, String name, int fallback, int min, int max) {
        String value = request.getParameter(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameter("Query parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", was '" + value + "'.");
    }

    /** An ISO-8601 instant with a zone ({@code Z} or an offset), or {@code null} when absent. */
    static Instant instant(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null) {
            return null;
        }
        // an unencoded '+' of a time zone offset arrives as a space
        String text = value.trim().replace(' ', '+');
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new BadParameter("Query parameter '" + name + "' must be an ISO-8601 time with a zone, e.g. "
                        + "2026-11-23T21:00:00Z or 2026-11-23T22:00:00%2B01:00, was '" + value + "'.");
            }
        }
    }

    /** A text parameter, {@code null} when absent or blank; at most {@code max} characters. */
    static String text(HttpServletRequest request, String name, int max) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw new BadParameter("Query parameter '" + name + "' must be at most " + max + " characters, was "
                    + value.length() + ".");
        }
        return value;
    }
}
