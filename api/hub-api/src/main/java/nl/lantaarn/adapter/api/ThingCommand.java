package nl.lantaarn.adapter.api;

import java.util.Objects;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

/**
 * A command to one of an adapter's things: new desired properties of a feature, or a message (subject and payload)
 * to the thing. Immutable.
 */
public final class ThingCommand {

    private final String correlationId;
    private final ThingId thingId;
    private final String feature;
    private final JsonObject desiredProperties;
    private final String subject;
    private final JsonValue message;

    private ThingCommand(String correlationId, ThingId thingId, String feature, JsonObject desiredProperties,
            String subject, JsonValue message) {
        this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
        this.thingId = Objects.requireNonNull(thingId, "thingId");
        this.feature = feature;
        this.desiredProperties = desiredProperties;
        this.subject = subject;
        this.message = message;
    }

    /** New desired properties of a feature, e.g. {@code {"dimLevel":40}} on feature {@code lamp}. */
    public static ThingCommand desired(String correlationId, ThingId thingId, String feature, JsonObject desired) {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(desired, "desired");
        return new ThingCommand(correlationId, thingId, feature, desired, null, null);
    }

    /** A message to the thing (or to one of its features when {@code feature} is not null). */
    public static ThingCommand message(String correlationId, ThingId thingId, String feature, String subject,
            JsonValue payload) {
        Objects.requireNonNull(subject, "subject");
        return new ThingCommand(correlationId, thingId, feature, null, subject, payload == null ? JsonValue.nullLiteral()
                : payload);
    }

    /** Ties the vendor's acknowledgement to this command. */
    public String correlationId() {
        return correlationId;
    }

    public ThingId thingId() {
        return thingId;
    }

    public Optional<String> feature() {
        return Optional.ofNullable(feature);
    }

    /** The desired properties, for a desired-properties command. */
    public Optional<JsonObject> desiredProperties() {
        return Optional.ofNullable(desiredProperties);
    }

    /** The message subject, for a message command. */
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    /** The message payload, for a message command. */
    public Optional<JsonValue> message() {
        return Optional.ofNullable(message);
    }

    @Override
    public String toString() {
        return "ThingCommand[" + correlationId + " " + thingId + (feature == null ? "" : "/" + feature)
                + (subject == null ? " desired " + desiredProperties : " message " + subject) + "]";
    }
}
