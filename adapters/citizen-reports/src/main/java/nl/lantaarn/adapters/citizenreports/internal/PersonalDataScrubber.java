package nl.lantaarn.adapters.citizenreports.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes e-mail addresses and telephone numbers from free text (a report's description, status notes) before it is
 * stored. The rule, documented in the README:
 * <ul>
 * <li>an e-mail address is a run of letters, digits and {@code . _ % + -}, an {@code @}, and a domain with at least one
 * dot; it becomes {@value #EMAIL};</li>
 * <li>a telephone number is an optional {@code +} or {@code (} followed by at least {@value #MIN_PHONE_DIGITS}
 * digits, with at most two of space, {@code -}, {@code .}, {@code /}, {@code (} and {@code )} between two digits; it
 * becomes {@value #PHONE}. Dates ({@code 2024-05-14}: 8 digits), times, postcodes and house numbers stay; a date
 * directly followed by an hour ({@code 14-05-2024 21:30}) reaches 10 digits and is removed too.</li>
 * </ul>
 * Names in free text are not recognised; the README says so. Stateless and thread safe.
 */
final class PersonalDataScrubber {

    static final String EMAIL = "[e-mail removed]";
    static final String PHONE = "[phone number removed]";
    static final int MIN_PHONE_DIGITS = 10;

    // possessive quantifiers and matching only from the start of a run: linear in the (bounded) text length
    private static final Pattern EMAIL_ADDRESS = Pattern.compile(
            "(?<![\\p{L}\\p{N}._%+\\-])[\\p{L}\\p{N}._%+\\-]++@[\\p{L}\\p{N}\\-]++(?:\\.[\\p{L}\\p{N}\\-]++)++");
    private static final Pattern PHONE_NUMBER = Pattern.compile(
            "[+(]?+\\d(?:[ \\-./()]{0,2}+\\d){" + (MIN_PHONE_DIGITS - 1) + ",}+");

    private PersonalDataScrubber() {
        throw new AssertionError("no instances");
    }

    /** The text with every e-mail address and telephone number replaced by a marker. */
    static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        // cheap pre-checks: most descriptions hold neither, and then no pattern runs
        String withoutEmail = text.indexOf('@') < 0 ? text
                : EMAIL_ADDRESS.matcher(text).replaceAll(Matcher.quoteReplacement(EMAIL));
        return digits(withoutEmail) < MIN_PHONE_DIGITS ? withoutEmail
                : PHONE_NUMBER.matcher(withoutEmail).replaceAll(Matcher.quoteReplacement(PHONE));
    }

    private static int digits(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                count++;
            }
        }
        return count;
    }
}
