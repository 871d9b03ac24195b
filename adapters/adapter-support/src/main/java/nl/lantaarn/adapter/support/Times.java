package nl.lantaarn.adapter.support;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import nl.lantaarn.adapter.api.PayloadRejectedException;

/** Reads the ISO-8601 UTC times that payloads carry, quickly for the usual form. Stateless and thread safe. */
public final class Times {

    private static final int SECONDS_PER_DAY = 86_400;

    private Times() {
        throw new AssertionError("no instances");
    }

    /**
     * The time in {@code text}, as {@link Instant#parse} reads it.
     *
     * @param path the field's dotted path, for the message
     * @throws PayloadRejectedException when it is no ISO-8601 UTC time
     */
    public static Instant instant(String text, String path) throws PayloadRejectedException {
        Instant quick = quickInstant(text);
        if (quick != null) {
            return quick;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new PayloadRejectedException("field '" + path + "' must be an ISO-8601 UTC time such as "
                    + "2026-11-23T21:14:05Z, was '" + Texts.abbreviate(text) + "'", e);
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} without the formatter, which costs more than the rest of a mapping;
     * {@code null} for any other form (leap seconds, offsets, lower case, odd years), left to {@link Instant#parse}.
     */
    static Instant quickInstant(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            // '.' and 1 to 9 digits
            int digits = length - 21;
            if (text.charAt(19) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            nanos = digits(text, 20, length - 1);
            if (nanos < 0) {
                return null;
            }
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        } else if (text.charAt(19) != 'Z') {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // no such day: Instant.parse says so
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character is no ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
