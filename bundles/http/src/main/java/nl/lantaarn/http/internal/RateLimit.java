package nl.lantaarn.http.internal;

/**
 * A request rate: {@code perSecond} on average, {@code burst} at once after a quiet spell. Immutable; values are
 * checked where they are read ({@link #perSecond(String, String)}, {@link #burst(String, String)}), so a bad one is
 * named with the setting it came from.
 */
record RateLimit(double perSecond, int burst) {

    static final double MIN_PER_SECOND = 0.001;
    static final double MAX_PER_SECOND = 1_000_000;
    static final int MAX_BURST = 1_000_000;

    RateLimit {
        if (!(perSecond >= MIN_PER_SECOND && perSecond <= MAX_PER_SECOND)) {
            throw new IllegalArgumentException("requests per second must be from " + MIN_PER_SECOND + " to "
                    + (long) MAX_PER_SECOND + ", was " + perSecond);
        }
        if (burst < 1 || burst > MAX_BURST) {
            throw new IllegalArgumentException("a burst must be from 1 to " + MAX_BURST + " requests, was " + burst);
        }
    }

    /** Nanoseconds between two requests at the average rate. */
    long intervalNanos() {
        return Math.max(1, Math.round(1e9 / perSecond));
    }

    /** This limit with what is given replacing its values ({@code null}: keep). */
    RateLimit with(Double otherPerSecond, Integer otherBurst) {
        return new RateLimit(otherPerSecond != null ? otherPerSecond : perSecond,
                otherBurst != null ? otherBurst : burst);
    }

    /** For answers and logs: {@code 50 requests per second (bursts of up to 100)}. */
    String describe() {
        String rate = perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond)
                : Double.toString(perSecond);
        return rate + (perSecond == 1 ? " request" : " requests") + " per second (bursts of up to " + burst + ")";
    }

    /**
     * A rate as written in a configuration: a decimal number from {@value #MIN_PER_SECOND} to 1000000; blank is
     * {@code null} (not given).
     *
     * @param setting the property, for the message
     */
    static Double perSecond(String setting, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            parsed = Double.NaN;
        }
        if (!(parsed >= MIN_PER_SECOND && parsed <= MAX_PER_SECOND)) {
            throw new IllegalArgumentException("'" + setting + "' must be requests per second, a number from "
                    + MIN_PER_SECOND + " to " + (long) MAX_PER_SECOND + " (e.g. 50 or 0.5), was '" + value.trim()
                    + "'");
        }
        return parsed;
    }

    /** A burst as written in a configuration: a whole number from 1 to 1000000; blank is {@code null}. */
    static Integer burst(String setting, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            parsed = 0;
        }
        if (parsed < 1 || parsed > MAX_BURST) {
            throw new IllegalArgumentException("'" + setting + "' must be a whole number of requests from 1 to "
                    + MAX_BURST + ", was '" + value.trim() + "'");
        }
        return parsed;
    }
}
