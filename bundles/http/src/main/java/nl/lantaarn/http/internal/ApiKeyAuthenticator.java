package nl.lantaarn.http.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;

/**
 * API keys from {@code etc/nl.lantaarn.http.auth.cfg}, kept only as SHA-256 hashes. A key is accepted from
 * {@code X-API-Key: <key>} or, when that header is absent, from {@code Authorization: Bearer <key>}. New keys apply to
 * the next request.
 */
@Component(service = Authenticator.class, configurationPid = ApiKeyAuthenticator.PID)
@Designate(ocd = ApiKeyAuthenticator.Config.class)
public final class ApiKeyAuthenticator implements Authenticator {

    static final String PID = "nl.lantaarn.http.auth";

    @ObjectClassDefinition(name = "Lantaarn HTTP API authentication")
    public @interface Config {
        @AttributeDefinition(description = "SHA-256 hashes of the API keys that are accepted: sha256:<hex> or "
                + "<name>:sha256:<hex>; several separated by commas. Empty: every request that needs a key is refused.")
        String[] apiKeyHashes() default {};
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthenticator.class);
    private static final String BEARER = "Bearer ";

    private volatile ApiKeys keys;

    @Activate
    public ApiKeyAuthenticator(Config config) {
        this(keys(config));
    }

    ApiKeyAuthenticator(ApiKeys keys) {
        this.keys = keys;
    }

    @Modified
    void modified(Config config) {
        keys = keys(config);
    }

    private static ApiKeys keys(Config config) {
        ApiKeys parsed = ApiKeys.parse(config.apiKeyHashes());
        // the hashes are not secret, but are not logged either: the entry number is enough to find one
        parsed.problems().forEach(problem -> LOG.warn("{} (in {}); that entry is ignored.", problem, PID));
        if (parsed.isEmpty()) {
            LOG.debug("No API keys configured in {}: every request that needs a key is refused", PID);
        } else {
            LOG.debug("{} API keys configured", parsed.size());
        }
        return parsed;
    }

    @Override
    public Optional<ApiClient> authenticate(String authorizationHeader, String apiKeyHeader) {
        String key = apiKeyHeader;
        if (key == null && authorizationHeader != null
                && authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            key = authorizationHeader.substring(BEARER.length());
        }
        return keys.client(key == null ? null : key.trim()).map(ApiClient::new);
    }

    /** Whether any key is configured; without one, the refusal says so. */
    boolean hasKeys() {
        return !keys.isEmpty();
    }
}
