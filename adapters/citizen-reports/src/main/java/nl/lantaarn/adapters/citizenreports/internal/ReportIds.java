package nl.lantaarn.adapters.citizenreports.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Makes the ids of new reports (the Open311 {@code service_request_id}, and thing name {@code report-<id>}): 9
 * characters of milliseconds since 1970 and 3 random characters, in lower-case Crockford base32, e.g.
 * {@code 01jd8m3q5x7k}. Ids sort in the order they were made, strictly increasing within an instance (a clock that
 * steps back is ignored until it catches up), and the random tail makes them hard to guess. Not thread safe: the hub
 * calls an adapter's {@code map} one message at a time.
 */
final class ReportIds {

    /** The id part of a thing name or service_request_id: lower-case letters, digits and dashes. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,69}");
    static final String THING_PREFIX = "report-";

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final int TIME_CHARS = 9;
    private static final int RANDOM_CHARS = 3;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long last;

    ReportIds(Clock clock) {
        this.clock = clock;
    }

    String next() {
        long millis = Math.max(clock.millis(), last + 1);
        last = millis;
        char[] id = new char[TIME_CHARS + RANDOM_CHARS];
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            id[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        int tail = random.nextInt(1 << (5 * RANDOM_CHARS));
        for (int i = TIME_CHARS + RANDOM_CHARS - 1; i >= TIME_CHARS; i--) {
            id[i] = ALPHABET[tail & 31];
            tail >>>= 5;
        }
        return new String(id);
    }
}
