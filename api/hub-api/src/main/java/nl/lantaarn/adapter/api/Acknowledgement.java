package nl.lantaarn.adapter.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A vendor's answer to a command the hub sent for a {@link ThingCommand}: it carried the command out, or it refused
 * it. An adapter returns one from {@link SensorAdapter#acknowledgement(InboundMessage)} for a payload that is an
 * acknowledgement; the hub then matches it to the pending command by {@link #correlationId()}. Immutable.
 *
 * @since 2.2
 */
public final class Acknowledgement {

    private static final int MAX_REASON = 500;

    private final String correlationId;
    private final boolean ok;
    private final String reason;

    private Acknowledgement(String correlationId, boolean ok, String reason) {
        this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
        if (correlationId.isBlank()) {
            throw new IllegalArgumentException("correlationId of an acknowledgement must not be blank");
        }
        this.ok = ok;
        // bounded: the reason comes from a device and ends up in the twin and in dead letters
        this.reason = reason == null || reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
    }

    /** The vendor carried out the command with this correlation id. */
    public static Acknowledgement ok(String correlationId) {
        return new Acknowledgement(correlationId, true, null);
    }

    /**
     * The vendor refused or could not carry out the command with this correlation id.
     *
     * @param reason what the vendor said, or {@code null}; cut to 500 characters
     */
    public static Acknowledgement error(String correlationId, String reason) {
        return new Acknowledgement(correlationId, false, reason);
    }

    /** The {@link ThingCommand#correlationId()} of the command this answers. */
    public String correlationId() {
        return correlationId;
    }

    /** True when the vendor carried the command out. */
    public boolean isOk() {
        return ok;
    }

    /** The vendor's reason of an error acknowledgement, if it gave one. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Acknowledgement other && ok == other.ok && correlationId.equals(other.correlationId)
                && Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(correlationId, ok, reason);
    }

    @Override
    public String toString() {
        return "Acknowledgement[" + correlationId + (ok ? " ok" : " error" + (reason == null ? "" : ": " + reason))
                + "]";
    }
}
