package nl.lantaarn.history.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long the points of a series are kept, by the definition of its feature. An override names a definition by its
 * full identifier ({@code org.fiware.smartdatamodels:NoiseLevelObserved:1.0.0}) or by its name alone
 * ({@code NoiseLevelObserved}, any namespace and version); the full identifier wins. Series whose feature has no
 * definition, or one without an override, keep the default.
 */
final class RetentionPolicy {

    /** Prefix of the configuration keys of the overrides: {@code retention.<definition> = <days>}. */
    static final String PREFIX = "retention.";
    static final int MAX_DAYS = 36_500;

    private final int defaultDays;
    private final Map<String, Integer> overrides;
    private final List<String> problems;

    RetentionPolicy(int defaultDays, Map<String, Integer> overrides) {
        this(defaultDays, overrides, List.of());
    }

    private RetentionPolicy(int defaultDays, Map<String, Integer> overrides, List<String> problems) {
        this.defaultDays = defaultDays;
        this.overrides = Collections.unmodifiableMap(new TreeMap<>(overrides));
        this.problems = List.copyOf(problems);
    }

    /**
     * The policy of a configuration: {@code retentionDays} and every {@code retention.<definition>} key. A value that
     * is not a whole number of days from 1 to {@value #MAX_DAYS} is left out and named in {@link #problems()}; 0 or an
     * empty value means "the default".
     */
    static RetentionPolicy of(String pid, int retentionDays, Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        int defaultDays = retentionDays;
        if (retentionDays < 1 || retentionDays > MAX_DAYS) {
            problems.add("retentionDays = " + retentionDays + " is not from 1 to " + MAX_DAYS + "; using 30. Change it in etc/"
                    + pid + ".cfg");
            defaultDays = 30;
        }
        Map<String, Integer> overrides = new TreeMap<>();
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(PREFIX) || key.length() == PREFIX.length()) {
                continue;
            }
            String raw = String.valueOf(entry.getValue()).trim();
            if (raw.isEmpty() || raw.equals("0")) {
                continue;
            }
            try {
                int days = Integer.parseInt(raw);
                if (days >= 1 && days <= MAX_DAYS) {
                    overrides.put(key.substring(PREFIX.length()), days);
                    continue;
                }
            } catch (NumberFormatException e) {
                // named below
            }
            problems.add(key + " = '" + raw + "' is not a whole number of days from 1 to " + MAX_DAYS
                    + " (0: retentionDays); it is ignored. Change it in etc/" + pid + ".cfg");
        }
        return new RetentionPolicy(defaultDays, overrides, problems);
    }

    int defaultDays() {
        return defaultDays;
    }

    /** Overrides by definition identifier or name. */
    Map<String, Integer> overrides() {
        return overrides;
    }

    /** Configuration values that were left out, each saying what to change. */
    List<String> problems() {
        return problems;
    }

    /** Days to keep the points of a series whose feature has {@code definition} ("" for none). */
    int days(String definition) {
        if (definition.isEmpty() || overrides.isEmpty()) {
            return defaultDays;
        }
        Integer days = overrides.get(definition);
        if (days == null) {
            days = overrides.get(name(definition));
        }
        return days == null ? defaultDays : days;
    }

    Duration retention(String definition) {
        return Duration.ofDays(days(definition));
    }

    /** The name part of {@code namespace:name:version}; the whole text when it has another form. */
    static String name(String definition) {
        int first = definition.indexOf(':');
        int last = definition.lastIndexOf(':');
        return first >= 0 && last > first ? definition.substring(first + 1, last) : definition;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(defaultDays).append(" days");
        overrides.forEach((definition, days) -> text.append(", ").append(definition).append(' ').append(days));
        return text.toString();
    }
}
