package nl.lantaarn.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the {@code simulate} commands share besides publishing: option checks, their randomness, number formats. */
final class Simulators {

    private Simulators() {
        throw new AssertionError("no instances");
    }

    /**
     * Usage errors for the options every MQTT simulator has, checked in this order: how many devices
     * ({@code countOption}, at least 1), {@code --rate} (positive) and {@code --duration} (absent or positive).
     */
    static void requireCountRateDuration(CommandSpec spec, String countOption, int count, double rate,
            Double duration) {
        requireAtLeastOne(spec, countOption, count);
        requirePositive(spec, "--rate", rate);
        if (duration != null && !(duration > 0)) {
            throw new ParameterException(spec.commandLine(), "--duration must be a positive number, not " + duration);
        }
    }

    /** A usage error (exit code 2) unless {@code value} is at least 1: "--sensors must be at least 1, not 0". */
    static void requireAtLeastOne(CommandSpec spec, String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, not " + value);
        }
    }

    /** A usage error unless {@code value} is positive and finite: "--rate must be a positive number, not 0.0". */
    static void requirePositive(CommandSpec spec, String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new ParameterException(spec.commandLine(), option + " must be a positive number, not " + value);
        }
    }

    /** Random values from {@code --seed}, to repeat a run; without one, different each run. */
    static SplittableRandom random(Long seed) {
        return seed == null ? new SplittableRandom() : new SplittableRandom(seed);
    }

    /** "Ctrl-C stops", or "for 60 s" with the duration formatted by {@code format}. */
    static String runTime(Double duration, DoubleFunction<String> format) {
        return duration == null ? "Ctrl-C stops" : "for " + format.apply(duration) + " s";
    }

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000};

    /**
     * Appends {@code value} with {@code decimals} (0..8) fraction digits, as {@code String.format("%.Nf")} writes it
     * (half up, the sign kept), without a {@link java.util.Formatter}: the load generator writes several numbers per
     * message. Values beyond 10^9 or not finite go through the formatter.
     */
    static StringBuilder fixed(StringBuilder out, double value, int decimals) {
        double magnitude = Math.abs(value);
        if (!(magnitude < 1e9) || decimals < 0 || decimals >= POWERS_OF_TEN.length) {
            return out.append(String.format(Locale.ROOT, "%." + decimals + "f", value));
        }
        long scale = POWERS_OF_TEN[decimals];
        double scaledExactly = magnitude * scale;
        double below = scaledExactly - Math.floor(scaledExactly);
        // near a half the formatter's rounding of the shortest decimal (42.31455 -> 42.3146) decides, not the binary
        long scaled = Math.abs(below - 0.5) < 1e-6
                ? BigDecimal.valueOf(magnitude).setScale(decimals, RoundingMode.HALF_UP).unscaledValue().longValueExact()
                : Math.round(scaledExactly);
        if (value < 0 || (value == 0 && 1 / value < 0)) {
            out.append('-');
        }
        out.append(scaled / scale);
        if (decimals > 0) {
            out.append('.');
            String fraction = Long.toString(scaled % scale);
            for (int i = fraction.length(); i < decimals; i++) {
                out.append('0');
            }
            out.append(fraction);
        }
        return out;
    }

    /** Whole numbers without decimals, others to one decimal: "10", "2.5". */
    static String number(double value) {
        return whole(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Whole numbers without decimals, others as given: "10", "0.25". */
    static String asGiven(double value) {
        return whole(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static boolean whole(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15;
    }
}
