package nl.lantaarn.adapter.support;

import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;

import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;

/**
 * A validated MQTT topic filter and the position of its first single-level wildcard ({@code +}), which names the
 * sensor: with {@code sound/+/events}, topic {@code sound/se-12/events} comes from sensor {@code se-12}. Immutable.
 */
public final class TopicFilter {

    private static final int MAX_LENGTH = 1024;
    private static final String SHARE = "$share/";

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
     * @param key     the configuration key, for the message
     * @param example a valid filter with a {@code +} level, e.g. the adapter's default, quoted in the message
     * @throws AdapterConfigurationException when {@code filter} is not a valid MQTT topic filter
     */
    public static TopicFilter parse(String key, String filter, String example) throws AdapterConfigurationException {
        if (filter.length() > MAX_LENGTH) {
            throw new AdapterConfigurationException(key, "must be an MQTT topic filter of at most " + MAX_LENGTH
                    + " characters");
        }
        if (filter.indexOf('\0') >= 0) {
            throw new AdapterConfigurationException(key, "must not contain a NUL character");
        }
        String matched = filter;
        if (filter.startsWith(SHARE)) {
            // MQTT 5 shared subscription: $share/<group>/<filter>; topics match the part after the group
            int slash = filter.indexOf('/', SHARE.length());
            if (slash < 0 || slash == SHARE.length() || slash == filter.length() - 1) {
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
                        + "must be a whole level and the last one, e.g. " + example.split("/", 2)[0] + "/#");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new AdapterConfigurationException(key, "'" + filter + "' is not a valid MQTT topic filter: '+' "
                        + "must be a whole level, e.g. " + example);
            }
            if (level.equals("+") && sensorLevel < 0) {
                sensorLevel = i;
            }
        }
        return new TopicFilter(filter, levels, sensorLevel);
    }

    /** The filter as configured. */
    public String filter() {
        return filter;
    }

    /** The topic level at the filter's first {@code +}, when the filter has one and {@code topic} matches it. */
    public Optional<String> sensorLevel(String topic) {
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

    /**
     * The sensor that sent a payload: its field {@code field}, else the topic level at this filter's {@code +}; when
     * both are there they must be equal.
     *
     * @throws PayloadRejectedException when they differ, when neither is there, or when the id is not usable in a
     *                                  thing name (see {@link PayloadReader#deviceId})
     */
    public String sensorId(JsonObject payload, String field, String topic) throws PayloadRejectedException {
        Optional<String> fromPayload = PayloadReader.optionalString(payload, field);
        Optional<String> fromTopic = sensorLevel(topic);
        if (fromPayload.isPresent() && fromTopic.isPresent() && !fromPayload.get().equals(fromTopic.get())) {
            // a sensor may only speak for itself: the topic is what the broker's access rules protect
            throw new PayloadRejectedException("field '" + field + "' is '" + Texts.abbreviate(fromPayload.get())
                    + "' but the topic " + topic + " is that of sensor '" + Texts.abbreviate(fromTopic.get()) + "'");
        }
        String sensor = fromPayload.or(() -> fromTopic).orElseThrow(() -> new PayloadRejectedException("field '"
                + field + "' is missing and topic " + topic + " has no sensor level (topic filter " + filter + ")"));
        return PayloadReader.deviceId(sensor, fromPayload.isPresent() ? "field '" + field + "'"
                : "the sensor level of topic " + topic);
    }

    @Override
    public String toString() {
        return filter;
    }
}
