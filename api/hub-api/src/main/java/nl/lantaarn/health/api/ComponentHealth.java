package nl.lantaarn.health.api;

import java.util.Objects;

/** State of one component, with a sentence for the operator. Immutable. */
public final class ComponentHealth {

    /** Closed vocabulary of component states. */
    public enum Status {
        /** Working. */
        UP,
        /** Working with reduced function, e.g. reconnecting. */
        DEGRADED,
        /** Not working; the detail says why and what to change. */
        DOWN
    }

    private final Status status;
    private final String detail;

    private ComponentHealth(Status status, String detail) {
        this.status = Objects.requireNonNull(status, "status");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public static ComponentHealth up(String detail) {
        return new ComponentHealth(Status.UP, detail);
    }

    public static ComponentHealth degraded(String detail) {
        return new ComponentHealth(Status.DEGRADED, detail);
    }

    public static ComponentHealth down(String detail) {
        return new ComponentHealth(Status.DOWN, detail);
    }

    public Status status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComponentHealth h && status == h.status && detail.equals(h.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, detail);
    }

    @Override
    public String toString() {
        return status + ": " + detail;
    }
}
