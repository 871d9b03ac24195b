package nl.lantaarn.adapter.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;

import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.things.model.HubConventions;

/** Checks that readings of several kinds of sensor share: a position in two fields, a time not in the future. */
public final class Readings {

    private Readings() {
        throw new AssertionError("no instances");
    }

    /**
     * The position in top-level number fields {@code latKey} and {@code lonKey} (WGS84), as the hub's {@code location}
     * attribute; empty when both are absent.
     *
     * @throws PayloadRejectedException when only one is given, or they are no position on earth
     */
    public static Optional<JsonObject> latLon(JsonObject json, String latKey, String lonKey)
            throws PayloadRejectedException {
        Optional<Double> lat = PayloadReader.optionalNumber(json, latKey);
        Optional<Double> lon = PayloadReader.optionalNumber(json, lonKey);
        if (lat.isPresent() != lon.isPresent()) {
            throw new PayloadRejectedException("fields '" + latKey + "' and '" + lonKey + "' must be given together");
        }
        if (lat.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(HubConventions.location(lat.get(), lon.get()));
        } catch (IllegalArgumentException e) {
            throw new PayloadRejectedException("fields '" + latKey + "'/'" + lonKey + "': " + e.getMessage());
        }
    }

    /**
     * Refuses a time later than the message's arrival by more than {@code maxAhead}: a device whose clock runs ahead
     * would otherwise write readings from the future.
     *
     * @param field  the field holding the time, for the message
     * @param device what sent it, for the message, e.g. {@code counter}
     */
    public static void checkNotAhead(Instant time, String field, InboundMessage message, Duration maxAhead,
            String device) throws PayloadRejectedException {
        if (time.isAfter(message.receivedAt().plus(maxAhead))) {
            throw new PayloadRejectedException("field '" + field + "' is " + time + ", later than its arrival at "
                    + message.receivedAt() + " by more than " + maxAhead.toMinutes() + " minutes: check the "
                    + device + "'s clock");
        }
    }
}
