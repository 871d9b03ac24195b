package nl.lantaarn.http.internal;

import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;

/**
 * The hub's {@link Authenticator}: API keys ({@link ApiKeyAuthenticator}, unchanged) and, when
 * {@code etc/nl.lantaarn.http.oidc.cfg} is there, OAuth2/OIDC bearer JWTs ({@link OidcTokens}). A bearer value that
 * has the form of a JWT (three base64url parts separated by dots) goes to the token check; anything else, and every
 * {@code X-API-Key}, stays an API key, so the key lookup costs one scan of the value more than before.
 */
@Component(service = Authenticator.class)
public final class KeyOrTokenAuthenticator implements Authenticator {

    private static final String BEARER = "Bearer ";
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private final ApiKeyAuthenticator keys;
    private volatile OidcTokens tokens;

    @Activate
    public KeyOrTokenAuthenticator(@Reference ApiKeyAuthenticator keys) {
        this.keys = keys;
    }

    KeyOrTokenAuthenticator(ApiKeyAuthenticator keys, OidcTokens tokens) {
        this.keys = keys;
        this.tokens = tokens;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTokens(OidcTokens service) {
        tokens = service;
    }

    void unsetTokens(OidcTokens service) {
        if (tokens == service) {
            tokens = null;
        }
    }

    @Override
    public Optional<ApiClient> authenticate(String authorizationHeader, String apiKeyHeader) {
        return check(authorizationHeader, apiKeyHeader) instanceof Verdict.Accepted accepted
                ? Optional.of(accepted.client()) : Optional.empty();
    }

    /** The client, or why there is none. */
    Verdict check(String authorizationHeader, String apiKeyHeader) {
        OidcTokens oidc = tokens;
        if (oidc != null && apiKeyHeader == null && authorizationHeader != null
                && authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String value = authorizationHeader.substring(BEARER.length()).trim();
            if (looksLikeJwt(value)) {
                return oidc.verify(value);
            }
        }
        Optional<ApiClient> client = keys.authenticate(authorizationHeader, apiKeyHeader);
        if (client.isPresent()) {
            return new Verdict.Accepted(client.get());
        }
        if (oidc == null && apiKeyHeader == null && authorizationHeader != null
                && authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && looksLikeJwt(authorizationHeader.substring(BEARER.length()).trim())) {
            return new Verdict.Refused("this hub accepts no bearer tokens (JWT), only API keys: its operator has not "
                    + "configured an identity provider (" + OidcSettings.FILE + ")");
        }
        return Verdict.UNKNOWN_KEY;
    }

    /** Whether the value has the form of a JWS compact serialisation; an API key ({@code ltn_...}) never has dots. */
    static boolean looksLikeJwt(String value) {
        return value.indexOf('.') > 0 && JWT.matcher(value).matches();
    }

    /** Whether any credential can be accepted at all; without one, the refusal says so. */
    boolean acceptsAnything() {
        return keys.hasKeys() || tokens != null;
    }

    boolean acceptsTokens() {
        return tokens != null;
    }
}
