package nl.lantaarn.security.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an API client may do. Each role includes the ones before it: a {@code writer} may read, an {@code operator}
 * may write, an {@code admin} may do everything.
 */
public enum Role {
    /** Reads things, their history, search and zones. */
    READER,
    /** Also writes things and sends payloads to webhooks and Open311. */
    WRITER,
    /** Also manages adapters and routes (confirms or rejects their pending actions), dead letters and metrics. */
    OPERATOR,
    /** Also installs and removes adapter bundles (code that runs inside the hub). */
    ADMIN;

    /** The name operators write: {@code reader}, {@code writer}, {@code operator}, {@code admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role with this {@link #id()} (any case), or empty. */
    public static Optional<Role> of(String id) {
        return Arrays.stream(values()).filter(role -> role.id().equalsIgnoreCase(id == null ? "" : id.trim()))
                .findFirst();
    }

    /** Every role's id, comma separated, for messages: {@code reader, writer, operator, admin}. */
    public static String ids() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
    }
}
