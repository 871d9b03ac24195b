package nl.lantaarn.adapters.soundevents.internal;

import java.util.Optional;

import nl.lantaarn.adapter.api.AdapterConfigurationException;

/**
 * A validated MQTT topic filter and the position of its first single-level wildcard ({@code +}), which names the
 * sensor: with {@code sound/+/events}, topic {@code sound/se-12/events} comes from sensor {@code se-12}. Immutable.
 */
final class TopicFilter {

    private final String filter;
    private final String[] levels;
    /** Index of the first '+' level, or -1. */
    private final int sensorLevel;

    private TopicFilter(String filter, String[] levels, int sensorLevel) {
        this.filter = filter;
        this.levels = levels;
        this.sensorLevel = sensorLevel;
    }

    /**
     * @param key the configuration key, for the message
     * @throws AdapterConfigurationException when {@code filter} is not a valid MQTT topic filter
     */
    static TopicFilter parse(String key, String filter) throws AdapterConfigurationException {
        if (filter.length() > 1024) {
            throw new AdapterConfigurationException(key, "must be an MQTT topic filter of at most 1024 characters");
        }
        if (filter.indexOf('\0') >= 0) {
            throw new AdapterConfigurationException(key, "must not contain a NUL character");
        }
        String matched = filter;
        if (filter.startsWith("$share/")) {
            // MQTT 5 shared subscription: $share/<group>/<filter>; topics match the part after the group
            int slash = filter.indexOf('/', "$share/".length());
            if (slash < 0 || slash == "$share/".length() || slash == filter.length() - 1) {
                throw new AdapterConfigurationException(key, "'" + filter + "' is not a valid shared subscription: "
                        + "expected $share/<group>/<filter>");
            }
            matched = filter.substring(slash + 1);
        }
        String[] levels = matched.split("/", -1);
        int sensorLevel = -1;
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new AdapterConfigurationException(key, "'" + filter + "' is not a valid MQTT topic filter: '#' "
                        + "must be a whole level and the last one, e.g. sound/#");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new AdapterConfigurationException(key, "'" + filter + "' is not a valid MQTT topic filter: '+' "
                        + "must be a whole level, e.g. sound/+/events");
            }
            if (level.equals("+") && sensorLevel < 0) {
                sensorLevel = i;
            }
        }
        return new TopicFilter(filter, levels, sensorLevel);
    }

    /** The filter as configured. */
    String filter() {
        return filter;
    }

    /** The topic level at the filter's first {@code +}, when the filter has one and {@code topic} matches it. */
    Optional<String> sensorLevel(String topic) {
        if (sensorLevel < 0) {
            return Optional.empty();
        }
        String[] topicLevels = topic.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("#")) {
                break;
            }
            if (i >= topicLevels.length || !levels[i].equals("+") && !levels[i].equals(topicLevels[i])) {
                return Optional.empty();
            }
        }
        if (levels[levels.length - 1].equals("#") ? topicLevels.length < levels.length - 1
                : topicLevels.length != levels.length) {
            return Optional.empty();
        }
        String level = topicLevels[sensorLevel];
        return level.isEmpty() ? Optional.empty() : Optional.of(level);
    }

    @Override
    public String toString() {
        return filter;
    }
}
