package nl.lantaarn.routing.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bean {@code time} in every route's registry: whether a moment (normally the time a sensor reports, e.g.
 * {@code detectedAt}) falls in a time-of-day or calendar window, on the clock of the municipality (Europe/Amsterdam,
 * so summer time is handled). Routes use it as a predicate:
 *
 * <pre>
 * - filter:
 *     method:
 *       ref: time
 *       method: "outside(${body[features][fireworks][properties][detectedAt]}, '12-31T18:00/01-01T02:00')"
 * </pre>
 *
 * A window is {@code start/end}, start inclusive, end exclusive; an end before the start wraps around midnight or the
 * new year. Either every day, {@code HH:mm/HH:mm} ({@code 23:00/07:00}), or every year,
 * {@code MM-dd'T'HH:mm/MM-dd'T'HH:mm} ({@code 12-31T18:00/01-01T02:00}); seconds ({@code HH:mm:ss}) are allowed.
 * Several windows separated by {@code ,} match when any does.
 * <p>
 * The moment is a {@link String} in ISO-8601 with an offset ({@code 2026-11-23T23:41:07.250Z},
 * {@code 2026-11-24T00:41:07+01:00}), an {@link Instant} or another temporal with an offset, a {@link Date}, or epoch
 * milliseconds. A missing or unreadable moment or window throws {@link IllegalArgumentException} naming it, so the
 * exchange fails and the event goes to the dead letters rather than being let through or dropped unseen.
 * <p>
 * The answer depends only on the given moment, never on the hub's clock: a late or replayed detection is judged by
 * when it happened.
 */
public final class TimeWindows {

    static final String BEAN_NAME = "time";

    /** The municipalities' clock; {@code within(..., zone)} takes another. */
    static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Amsterdam");

    /**
     * The night of {@link #atNight}: 23:00 to 07:00, the night's rest of most Dutch APVs (municipal bye-laws) and of
     * the noise rules; a route that means darkness rather than rest names its own window.
     */
    static final String NIGHT = "23:00/07:00";

    /** Parsed windows; routes name a handful of literal windows, so this stays small (cleared if it does not). */
    private static final int MAX_CACHED = 256;

    /** Window ends are compared on one scale: a day for daily windows, the leap year 2000 (has 29 Feb) for yearly. */
    private static final int SCALE_YEAR = 2000;
    private static final LocalDate SCALE_DAY = LocalDate.of(SCALE_YEAR, 1, 1);

    private final Map<String, List<Window>> parsed = new ConcurrentHashMap<>();

    /** @return whether the moment lies in one of the windows, on the Europe/Amsterdam clock */
    public boolean within(Object moment, String windows) {
        return within(moment, windows, DEFAULT_ZONE.getId());
    }

    /** @return whether the moment lies in one of the windows, on the clock of {@code zone} (e.g. Europe/Brussels) */
    public boolean within(Object moment, String windows, String zone) {
        LocalDateTime local = ZonedDateTime.ofInstant(instant(moment, "within"), zone(zone)).toLocalDateTime();
        for (Window window : windows(windows)) {
            if (window.contains(local)) {
                return true;
            }
        }
        return false;
    }

    /** @return the opposite of {@link #within(Object, String)}; reads better in a filter */
    public boolean outside(Object moment, String windows) {
        return !within(moment, windows);
    }

    /** @return whether the moment lies in the night, {@value #NIGHT} Europe/Amsterdam */
    public boolean atNight(Object moment) {
        return within(moment, NIGHT);
    }

    /**
     * @return the moment on the Europe/Amsterdam clock with its offset, e.g. {@code 2026-01-01T03:12:00+01:00}, for
     *         messages to people who read local time
     */
    public String local(Object moment) {
        return ZonedDateTime.ofInstant(instant(moment, "local"), DEFAULT_ZONE).toOffsetDateTime()
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    static Instant instant(Object moment, String method) {
        if (moment == null || moment instanceof CharSequence text && text.toString().isBlank()) {
            throw new IllegalArgumentException("time." + method + ": the time is missing; pass an ISO-8601 time with "
                    + "an offset, e.g. 2026-11-23T21:14:05Z (is the property's path in the route right?)");
        }
        if (moment instanceof Instant instant) {
            return instant;
        }
        if (moment instanceof Date date) {
            return date.toInstant();
        }
        if (moment instanceof Long millis) {
            return Instant.ofEpochMilli(millis);
        }
        if (moment instanceof TemporalAccessor temporal && temporal.isSupported(ChronoField.INSTANT_SECONDS)) {
            return Instant.from(temporal);
        }
        if (moment instanceof CharSequence text) {
            try {
                // ISO_INSTANT reads Z and offsets alike
                return DateTimeFormatter.ISO_INSTANT.parse(text.toString().trim(), Instant::from);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("time." + method + ": '" + shorten(text) + "' is not an ISO-8601 "
                        + "time with an offset, e.g. 2026-11-23T21:14:05Z or 2026-11-23T22:14:05+01:00", e);
            }
        }
        throw new IllegalArgumentException("time." + method + ": cannot read a time from a "
                + moment.getClass().getSimpleName() + "; pass an ISO-8601 text such as 2026-11-23T21:14:05Z");
    }

    private static ZoneId zone(String zone) {
        try {
            return ZoneId.of(zone == null ? "" : zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("time.within: '" + zone + "' is not a time zone; use a region id such "
                    + "as Europe/Amsterdam", e);
        }
    }

    private List<Window> windows(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("time.within: the window is empty; write 'HH:mm/HH:mm' (every day) or "
                    + "'MM-ddTHH:mm/MM-ddTHH:mm' (every year), e.g. '23:00/07:00' or '12-31T18:00/01-01T02:00'");
        }
        List<Window> cached = parsed.get(spec);
        if (cached == null) {
            cached = parse(spec);
            if (parsed.size() >= MAX_CACHED) {
                parsed.clear();
            }
            parsed.put(spec, cached);
        }
        return cached;
    }

    static List<Window> parse(String spec) {
        List<Window> windows = new ArrayList<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] ends = part.trim().split("/", -1);
            if (ends.length != 2) {
                throw new IllegalArgumentException("time.within: '" + part.trim() + "' is not start/end, e.g. "
                        + "'23:00/07:00' or '12-31T18:00/01-01T02:00'");
            }
            boolean yearly = ends[0].trim().contains("T");
            if (yearly != ends[1].trim().contains("T")) {
                throw new IllegalArgumentException("time.within: '" + part.trim() + "' mixes a time of day and a "
                        + "date; write both ends as HH:mm or both as MM-ddTHH:mm");
            }
            LocalDateTime start = point(ends[0].trim(), yearly, part);
            LocalDateTime end = point(ends[1].trim(), yearly, part);
            if (start.equals(end)) {
                throw new IllegalArgumentException("time.within: '" + part.trim() + "' starts where it ends; an "
                        + "empty or whole-day window is not a window");
            }
            windows.add(new Window(yearly, start, end));
        }
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("time.within: '" + spec + "' holds no window");
        }
        return List.copyOf(windows);
    }

    /** A window end on the common scale ({@link #SCALE_YEAR}). */
    private static LocalDateTime point(String text, boolean yearly, String part) {
        try {
            if (!yearly) {
                return LocalTime.parse(text).atDate(SCALE_DAY);
            }
            int t = text.indexOf('T');
            MonthDay day = MonthDay.parse("--" + text.substring(0, t));
            return day.atYear(SCALE_YEAR).atTime(LocalTime.parse(text.substring(t + 1)));
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("time.within: '" + text + "' in '" + part.trim() + "' is not "
                    + (yearly ? "MM-ddTHH:mm, e.g. 12-31T18:00" : "HH:mm, e.g. 23:00"), e);
        }
    }

    /** One window, its ends on the scale of {@link #point}. */
    record Window(boolean yearly, LocalDateTime start, LocalDateTime end) {

        boolean contains(LocalDateTime local) {
            LocalDateTime at = yearly
                    ? LocalDateTime.of(SCALE_YEAR, local.getMonth(), local.getDayOfMonth(), local.getHour(),
                            local.getMinute(), local.getSecond(), local.getNano())
                    : local.toLocalTime().atDate(SCALE_DAY);
            if (start.isBefore(end)) {
                return !at.isBefore(start) && at.isBefore(end);
            }
            // wraps around midnight or the new year
            return !at.isBefore(start) || at.isBefore(end);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s/%s", start, end);
        }
    }

    private static String shorten(CharSequence text) {
        return text.length() <= 60 ? text.toString() : text.subSequence(0, 60) + "...";
    }
}
