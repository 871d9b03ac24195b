package nl.lantaarn.security.api;

import java.util.Objects;

/** An authenticated API client. Immutable. */
public final class ApiClient {

    private final String name;

    public ApiClient(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The client's name, as configured by the operator; safe to log and audit (never the key). */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiClient other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "ApiClient[" + name + "]";
    }
}
