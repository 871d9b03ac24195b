package nl.lantaarn.adapter.support;

/** Values as they are quoted in rejection messages: short, and numbers without a needless {@code .0}. */
public final class Texts {

    /** How much of a sender's value a message quotes; the rest could flood the log and the dead letters. */
    public static final int MAX_QUOTED = 40;

    private Texts() {
        throw new AssertionError("no instances");
    }

    /** The text, cut after {@value #MAX_QUOTED} characters with {@code ...}. */
    public static String abbreviate(String text) {
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "...";
    }

    /** A whole number without a fraction ({@code 3}, not {@code 3.0}); any other number as Java writes it. */
    public static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.valueOf(value);
    }
}
