package nl.lantaarn.security.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Decides who presented a credential. Thread safe; never logs a credential. */
@ProviderType
public interface Authenticator {

    /**
     * The client identified by the request's credentials.
     *
     * @param authorizationHeader the {@code Authorization} header ({@code Bearer <key>}), or {@code null}
     * @param apiKeyHeader        the {@code X-API-Key} header, or {@code null}
     * @return the client, or empty when no credential was given or it is not valid
     */
    Optional<ApiClient> authenticate(String authorizationHeader, String apiKeyHeader);
}
