package nl.lantaarn.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Finds the key of a message of the compare benchmark, (device index, key time T), in the bytes of an alert or of an
 * input, without a JSON parser: {@code load} reads every output, tens of thousands a second, on the same machine as
 * the system it measures, so this costs a scan over the bytes and no garbage. Anything it cannot read gives false
 * (the caller counts it unmatched), never an exception.
 *
 * <ul>
 *   <li>An alert: the device from the six digits after the last {@code bench-} in the {@code "thingId"} string; T from
 *       the {@code "at"} string, an ISO-8601 instant with or without fraction digits, {@code Z} or an offset.</li>
 *   <li>An input (bare broker): the device from the topic's last {@code bench-}; T from the payload's first
 *       {@code "received_at"} (topics {@code v3/...}), {@code "detectedAt"} ({@code sound/...}) or {@code "observedAt"}
 *       ({@code crowd/...}).</li>
 * </ul>
 *
 * <p>Not thread safe: one per reading thread; the result of the last successful parse is in {@link #device()} and
 * {@link #epochMillis()}.
 */
final class AlertKeys {

    private static final byte[] THING_ID = key("thingId");
    private static final byte[] AT = key("at");
    private static final byte[] RECEIVED_AT = key("received_at");
    private static final byte[] DETECTED_AT = key("detectedAt");
    private static final byte[] OBSERVED_AT = key("observedAt");
    private static final byte[] PREFIX = BenchDevices.ID_PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final long NONE = Long.MIN_VALUE;

    private int device;
    private long epochMillis;
    /** End (exclusive) of the last string value found. */
    private int valueEnd;

    int device() {
        return device;
    }

    long epochMillis() {
        return epochMillis;
    }

    /**
     * Reads an alert's thingId and at: the first of each with a string value that holds a device id, an instant;
     * false when there is none.
     */
    boolean parseAlert(ByteBuffer body) {
        int from = body.position();
        int to = body.limit();
        int index = -1;
        for (int thing = stringValue(body, from, to, THING_ID); thing >= 0 && index < 0;
                thing = stringValue(body, valueEnd + 1, to, THING_ID)) {
            index = lastDevice(body, thing, valueEnd);
        }
        if (index < 0) {
            return false;
        }
        long millis = NONE;
        for (int at = stringValue(body, from, to, AT); at >= 0 && millis == NONE;
                at = stringValue(body, valueEnd + 1, to, AT)) {
            millis = instantMillis(body, at, valueEnd);
        }
        if (millis == NONE) {
            return false;
        }
        device = index;
        epochMillis = millis;
        return true;
    }

    /** Reads an input message's device (from its topic) and key time; false when either is missing or malformed. */
    boolean parseInput(String topic, ByteBuffer body) {
        byte[] timeKey;
        if (topic.startsWith("v3/")) {
            timeKey = RECEIVED_AT;
        } else if (topic.startsWith(SoundEvents.TOPIC_PREFIX)) {
            timeKey = DETECTED_AT;
        } else if (topic.startsWith(CrowdCounts.TOPIC_PREFIX)) {
            timeKey = OBSERVED_AT;
        } else {
            return false;
        }
        int index = lastDevice(topic);
        if (index < 0) {
            return false;
        }
        int at = stringValue(body, body.position(), body.limit(), timeKey);
        if (at < 0) {
            return false;
        }
        long millis = instantMillis(body, at, valueEnd);
        if (millis == NONE) {
            return false;
        }
        device = index;
        epochMillis = millis;
        return true;
    }

    private static byte[] key(String name) {
        return ('"' + name + '"').getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Start of the string value of the first {@code "key"} from {@code from} on that is followed by a colon (white
     * space allowed around it) and a string, with {@link #valueEnd} set to its closing quote; -1 when there is none.
     */
    private int stringValue(ByteBuffer b, int from, int to, byte[] key) {
        int at = from;
        while ((at = indexOf(b, at, to, key)) >= 0) {
            int i = skipSpace(b, at + key.length, to);
            if (i < to && b.get(i) == ':') {
                i = skipSpace(b, i + 1, to);
                if (i < to && b.get(i) == '"') {
                    int start = i + 1;
                    for (int end = start; end < to; end++) {
                        if (b.get(end) == '"') {
                            valueEnd = end;
                            return start;
                        }
                    }
                    return -1;
                }
            }
            at += key.length;
        }
        return -1;
    }

    private static int skipSpace(ByteBuffer b, int i, int to) {
        while (i < to && (b.get(i) == ' ' || b.get(i) == '\t' || b.get(i) == '\n' || b.get(i) == '\r')) {
            i++;
        }
        return i;
    }

    private static int indexOf(ByteBuffer b, int from, int to, byte[] needle) {
        int last = to - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The device index from the six digits after the last {@code bench-} in {@code [from, to)}; -1 when none. */
    static int lastDevice(ByteBuffer b, int from, int to) {
        for (int i = to - PREFIX.length; i >= from; i--) {
            boolean match = true;
            for (int j = 0; j < PREFIX.length && match; j++) {
                match = b.get(i + j) == PREFIX[j];
            }
            if (match) {
                int start = i + PREFIX.length;
                if (start + BenchDevices.ID_DIGITS > to) {
                    return -1;
                }
                int value = 0;
                for (int k = start; k < start + BenchDevices.ID_DIGITS; k++) {
                    int digit = b.get(k) - '0';
                    if (digit < 0 || digit > 9) {
                        return -1;
                    }
                    value = value * 10 + digit;
                }
                int after = start + BenchDevices.ID_DIGITS;
                return after < to && isDigit(b.get(after)) ? -1 : value;
            }
        }
        return -1;
    }

    /** The device index from the topic's last {@code bench-} and six digits; -1 when none. */
    static int lastDevice(String topic) {
        int at = topic.lastIndexOf(BenchDevices.ID_PREFIX);
        if (at < 0) {
            return -1;
        }
        int start = at + BenchDevices.ID_PREFIX.length();
        int end = start + BenchDevices.ID_DIGITS;
        if (end > topic.length() || end < topic.length() && Character.isDigit(topic.charAt(end))) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            char c = topic.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Epoch milliseconds of {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+hh:mm|-hh:mm)} in {@code [from, to)}, the
     * fraction cut to milliseconds; {@link #NONE} when it is not such an instant.
     */
    static long instantMillis(ByteBuffer b, int from, int to) {
        if (to - from < 20) {
            return NONE;
        }
        int year = digits(b, from, 4);
        int month = digits(b, from + 5, 2);
        int day = digits(b, from + 8, 2);
        int hour = digits(b, from + 11, 2);
        int minute = digits(b, from + 14, 2);
        int second = digits(b, from + 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || b.get(from + 4) != '-' || b.get(from + 7) != '-'
                || (b.get(from + 10) != 'T' && b.get(from + 10) != 't') || b.get(from + 13) != ':'
                || b.get(from + 16) != ':' || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)
                || hour > 23 || minute > 59 || second > 59) {
            return NONE;
        }
        int i = from + 19;
        int millis = 0;
        if (b.get(i) == '.' || b.get(i) == ',') {
            int start = ++i;
            while (i < to && isDigit(b.get(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (b.get(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return NONE;
            }
            for (int k = count; k < 3; k++) {
                millis *= 10;
            }
        }
        int offsetMinutes;
        if (i == to - 1 && (b.get(i) == 'Z' || b.get(i) == 'z')) {
            offsetMinutes = 0;
        } else if (i == to - 6 && (b.get(i) == '+' || b.get(i) == '-') && b.get(i + 3) == ':') {
            int oh = digits(b, i + 1, 2);
            int om = digits(b, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 18 || om > 59) {
                return NONE;
            }
            offsetMinutes = (b.get(i) == '+' ? 1 : -1) * (oh * 60 + om);
        } else {
            return NONE;
        }
        long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second
                - offsetMinutes * 60L;
        return seconds * 1000L + millis;
    }

    /** The value of {@code count} decimal digits at {@code from}; -1 when one is not a digit. */
    private static int digits(ByteBuffer b, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            byte c = b.get(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the well-known era-based conversion). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int monthFromMarch = month > 2 ? month - 3 : month + 9;
        int dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }
}
