package nl.lantaarn.history.api;

import java.time.Instant;
import java.util.Objects;

import org.eclipse.ditto.json.JsonValue;

/**
 * One recorded value: the property's value as the change set it (a number, string, boolean or array), at the time of
 * the twin event.
 */
public record HistoryPoint(Instant time, JsonValue value) {

    public HistoryPoint {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(value, "value");
    }
}
