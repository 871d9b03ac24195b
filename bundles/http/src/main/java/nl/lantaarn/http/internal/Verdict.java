package nl.lantaarn.http.internal;

import nl.lantaarn.security.api.ApiClient;

/**
 * What the hub made of a request's credential, with the reason when it was refused: the {@link nl.lantaarn.security.api.Authenticator} API
 * only says whether there is a client, but a refused token deserves a 401 that says what was wrong with it.
 *
 * @see KeyOrTokenAuthenticator#check(String, String)
 */
sealed interface Verdict {

    /** The credential identifies this client. */
    record Accepted(ApiClient client) implements Verdict {
    }

    /**
     * No credential, or one that is not valid: a 401.
     *
     * @param reason what was wrong with a bearer token (for {@code error_description}); {@code null} for a missing or
     *               unknown API key, which gets the generic answer
     */
    record Refused(String reason) implements Verdict {
    }

    /** The credential could not be checked now (the identity provider's keys could not be fetched): a 503. */
    record Unavailable(String reason) implements Verdict {
    }

    Verdict UNKNOWN_KEY = new Refused(null);
}
