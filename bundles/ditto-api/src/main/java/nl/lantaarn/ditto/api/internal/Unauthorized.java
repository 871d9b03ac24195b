package nl.lantaarn.ditto.api.internal;

import java.io.IOException;

import org.eclipse.ditto.base.model.common.HttpStatus;

import jakarta.servlet.http.HttpServletResponse;

/** The 401 of /ws/2 and /api/2: what is missing and how an operator issues a key. */
final class Unauthorized {

    static final String MESSAGE = "The request has no API key, or one this hub does not know. The Ditto API needs "
            + "an API key.";
    static final String DESCRIPTION = "Send 'Authorization: Bearer <key>' (the Ditto client's access-token "
            + "authentication) or 'X-API-Key: <key>'. An operator of this hub creates a client and its key with: "
            + "./lantaarn clients add <name> --role reader --purpose <why the client needs access> (role writer to "
            + "change things), or adds the SHA-256 hash of a key to apiKeyHashes in etc/nl.lantaarn.http.auth.cfg.";

    private Unauthorized() {
    }

    static void answer(HttpServletResponse response) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"lantaarn\"");
        DittoHttpErrors.write(response, HttpStatus.UNAUTHORIZED, "gateway:authentication.failed", MESSAGE,
                DESCRIPTION);
    }
}
