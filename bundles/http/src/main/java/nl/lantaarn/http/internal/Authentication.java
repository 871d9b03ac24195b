package nl.lantaarn.http.internal;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;

/** Who is calling, from the request's headers, and the 401 answer that says how to get a key. */
final class Authentication {

    static final String HOW_TO_GET_A_KEY = "Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'. "
            + "An operator adds the SHA-256 hash of a key to apiKeyHashes in etc/nl.lantaarn.http.auth.cfg "
            + "(printf %s \"$KEY\" | sha256sum gives it; enter it as sha256:<hex> or <name>:sha256:<hex>).";

    private final Authenticator authenticator;

    Authentication(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    Optional<ApiClient> client(HttpServletRequest request) {
        return authenticator.authenticate(request.getHeader("Authorization"), request.getHeader("X-API-Key"));
    }

    /**
     * The calling client, or empty after answering 401.
     *
     * @param what what needs the key, for the answer: e.g. {@code Writes need}
     */
    Optional<ApiClient> require(HttpServletRequest request, HttpServletResponse response, String what)
            throws IOException {
        Optional<ApiClient> client = client(request);
        if (client.isEmpty()) {
            refuse(response, what);
        }
        return client;
    }

    void refuse(HttpServletResponse response, String what) throws IOException {
        boolean noKeys = authenticator instanceof ApiKeyAuthenticator keys && !keys.hasKeys();
        response.setHeader("WWW-Authenticate", "Bearer realm=\"lantaarn\"");
        // the body may be unread, so the connection is not reused
        response.setHeader("Connection", "close");
        ApiServlet.problem(response, 401, "Unauthorized", (noKeys
                ? "No API keys are configured on this hub, so every request that needs one is refused. "
                : "The request has no API key, or one this hub does not know. ") + what + " an API key. "
                + HOW_TO_GET_A_KEY);
    }
}
