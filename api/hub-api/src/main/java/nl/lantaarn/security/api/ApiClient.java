package nl.lantaarn.security.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** An authenticated API client: its name, its roles and the purpose it was given access for. Immutable. */
public final class ApiClient {

    private final String name;
    private final Set<Role> roles;
    private final String purpose;

    /**
     * A client without roles: it is known, but may do nothing that needs a role.
     *
     * @deprecated give the client its roles: {@link #ApiClient(String, Set, String)}
     */
    @Deprecated
    public ApiClient(String name) {
        this(name, Set.of(), "");
    }

    /**
     * @param roles   what it may do (see {@link Role}); may be empty
     * @param purpose why it has access, as the operator recorded it; empty when not recorded
     */
    public ApiClient(String name, Set<Role> roles, String purpose) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(roles, "roles");
        this.roles = Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles));
        this.purpose = Objects.requireNonNull(purpose, "purpose");
    }

    /** The client's name, as configured by the operator; safe to log and audit (never the key). */
    public String name() {
        return name;
    }

    /** The roles the operator gave it, in the order of {@link Role}. */
    public Set<Role> roles() {
        return roles;
    }

    /** Why the client has access (purpose limitation), as recorded when it was added; empty when not recorded. */
    public String purpose() {
        return purpose;
    }

    /** Whether one of its roles includes {@code needed}. */
    public boolean may(Role needed) {
        return roles.stream().anyMatch(role -> role.includes(needed));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiClient other && name.equals(other.name) && roles.equals(other.roles)
                && purpose.equals(other.purpose);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, roles, purpose);
    }

    @Override
    public String toString() {
        return "ApiClient[" + name + ", roles " + roles + "]";
    }
}
