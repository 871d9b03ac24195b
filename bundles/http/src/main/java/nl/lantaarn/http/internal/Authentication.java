package nl.lantaarn.http.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.Role;

/**
 * Who is calling, from the request's headers, and whether their roles allow what they ask: the 401 answer that says
 * how to get a key, the 403 that names the role needed.
 */
final class Authentication {

    static final String HOW_TO_GET_A_KEY = "Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'. "
            + "An operator of this hub creates one with: ./lantaarn clients add <name> --role <role> --purpose "
            + "<why the client needs access> (roles: " + Role.ids() + ").";

    /**
     * Request attribute: the {@code Optional<ApiClient>} that {@link ApiGateFilter} found for the request, so that a
     * servlet does not authenticate it again.
     */
    static final String CLIENT_ATTRIBUTE = "nl.lantaarn.http.client";

    private final Authenticator authenticator;

    Authentication(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @SuppressWarnings("unchecked")
    Optional<ApiClient> client(HttpServletRequest request) {
        if (request.getAttribute(CLIENT_ATTRIBUTE) instanceof Optional<?> known) {
            return (Optional<ApiClient>) known;
        }
        return authenticator.authenticate(request.getHeader("Authorization"), request.getHeader("X-API-Key"));
    }

    /**
     * The calling client when its roles include {@code needed}; otherwise empty, after answering 401 (no known key)
     * or 403 (a role too low).
     *
     * @param what what needs the key, for the answer: e.g. {@code Writes need}
     */
    Optional<ApiClient> require(HttpServletRequest request, HttpServletResponse response, Role needed, String what)
            throws IOException {
        Verdict verdict = verdict(request);
        if (!(verdict instanceof Verdict.Accepted accepted)) {
            refuse(response, what, verdict);
            return Optional.empty();
        }
        Optional<ApiClient> client = Optional.of(accepted.client());
        if (!client.get().may(needed)) {
            forbid(response, client.get(), needed, what);
            return Optional.empty();
        }
        return client;
    }

    /** The client, or why there is none (a refused bearer token says what was wrong with it). */
    Verdict verdict(HttpServletRequest request) {
        // the gate found the client already: hashing the key a second time would find the same one
        if (request.getAttribute(CLIENT_ATTRIBUTE) instanceof Optional<?> known
                && known.orElse(null) instanceof ApiClient client) {
            return new Verdict.Accepted(client);
        }
        String authorization = request.getHeader("Authorization");
        String apiKey = request.getHeader("X-API-Key");
        if (authenticator instanceof KeyOrTokenAuthenticator both) {
            return both.check(authorization, apiKey);
        }
        return authenticator.authenticate(authorization, apiKey).<Verdict>map(Verdict.Accepted::new)
                .orElse(Verdict.UNKNOWN_KEY);
    }

    /** 401 for a refused token (RFC 6750 {@code invalid_token} with its reason), 503 when it could not be checked. */
    void refuse(HttpServletResponse response, String what, Verdict verdict) throws IOException {
        if (verdict instanceof Verdict.Unavailable unavailable) {
            response.setHeader("Retry-After", "30");
            response.setHeader("Connection", "close");
            ApiServlet.problem(response, 503, "Token cannot be checked", "The bearer token could not be checked: "
                    + unavailable.reason() + ". Try again later, or use an API key.");
        } else if (verdict instanceof Verdict.Refused refused && refused.reason() != null) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"lantaarn\", error=\"invalid_token\", "
                    + "error_description=\"" + headerSafe(refused.reason()) + "\"");
            response.setHeader("Connection", "close");
            ApiServlet.problem(response, 401, "Unauthorized", "The bearer token was refused: " + refused.reason()
                    + ". " + what + " a valid token of this hub's identity provider or an API key.");
        } else {
            refuse(response, what);
        }
    }

    /** RFC 6750 allows printable ASCII except '"' and '\\' in {@code error_description}. */
    static String headerSafe(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            safe.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : c == '"' ? '\'' : '?');
        }
        return safe.toString();
    }

    void refuse(HttpServletResponse response, String what) throws IOException {
        boolean noKeys = authenticator instanceof ApiKeyAuthenticator keys && !keys.hasKeys()
                || authenticator instanceof KeyOrTokenAuthenticator both && !both.acceptsAnything();
        response.setHeader("WWW-Authenticate", "Bearer realm=\"lantaarn\"");
        // the body may be unread, so the connection is not reused
        response.setHeader("Connection", "close");
        ApiServlet.problem(response, 401, "Unauthorized", (noKeys
                ? "No API clients are configured on this hub, so every request that needs a key is refused. "
                : "The request has no API key, or one this hub does not know. ") + what + " an API key. "
                + HOW_TO_GET_A_KEY);
    }

    static void forbid(HttpServletResponse response, ApiClient client, Role needed, String what) throws IOException {
        response.setHeader("Connection", "close");
        ApiServlet.problem(response, 403, "Forbidden", what + " role " + needed.id() + higher(needed)
                + "; API client '" + client.name() + "' has " + describe(client) + ". An operator can add a client "
                + "with that role: ./lantaarn clients add <name> --role " + needed.id() + " --purpose <why>.");
    }

    private static String higher(Role needed) {
        String above = Arrays.stream(Role.values()).filter(role -> role.compareTo(needed) > 0).map(Role::id)
                .collect(Collectors.joining(", "));
        return above.isEmpty() ? "" : " (or " + above + ")";
    }

    private static String describe(ApiClient client) {
        return client.roles().isEmpty() ? "no role"
                : "role " + client.roles().stream().map(Role::id).collect(Collectors.joining(", "));
    }
}
