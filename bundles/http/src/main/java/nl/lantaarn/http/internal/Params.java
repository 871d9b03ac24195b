package nl.lantaarn.http.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import jakarta.servlet.http.HttpServletRequest;

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
