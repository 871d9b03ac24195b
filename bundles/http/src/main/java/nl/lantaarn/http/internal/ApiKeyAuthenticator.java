package nl.lantaarn.http.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;

/**
 * API keys, kept only as SHA-256 hashes: one file per client ({@link ClientFile},
 * {@code etc/nl.lantaarn.http.client-<name>.cfg}, with roles and purpose) and the older {@code apiKeyHashes} list in
 * {@code etc/nl.lantaarn.http.auth.cfg}. A key is accepted from {@code X-API-Key: <key>} or, when that header is
 * absent, from {@code Authorization: Bearer <key>}. Added and removed clients apply to the next request. The hub's
 * {@link Authenticator} service is {@link KeyOrTokenAuthenticator}, which asks this one for every API key.
 */
@Component(service = ApiKeyAuthenticator.class, configurationPid = ApiKeyAuthenticator.PID)
@Designate(ocd = ApiKeyAuthenticator.Config.class)
public final class ApiKeyAuthenticator implements Authenticator {

    static final String PID = "nl.lantaarn.http.auth";

    @ObjectClassDefinition(name = "Lantaarn HTTP API authentication")
    public @interface Config {
        @AttributeDefinition(description = "SHA-256 hashes of API keys that are accepted with every role (admin): "
                + "sha256:<hex> or <name>:sha256:<hex>; several separated by commas. Prefer ./lantaarn clients add, "
                + "which gives a client only the roles it needs.")
        String[] apiKeyHashes() default {};
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthenticator.class);
    private static final String BEARER = "Bearer ";

    private final Map<ClientFile, Boolean> files = new ConcurrentHashMap<>();
    private volatile ApiKeys legacy;
    private volatile ApiKeys keys;

    @Activate
    public ApiKeyAuthenticator(Config config) {
        this(legacyKeys(config));
    }

    ApiKeyAuthenticator(ApiKeys legacy) {
        this.legacy = legacy;
        this.keys = legacy;
    }

    @Modified
    void modified(Config config) {
        legacy = legacyKeys(config);
        combine();
    }

    /** A client file (FileInstall made a configuration of it): its key counts from the next request. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addClientFile(ClientFile file) {
        file.problems().forEach(problem -> LOG.warn("API client file {}: {}; that client is not accepted. "
                + "Revoke it and add it again with ./lantaarn clients.", file.source(), problem));
        files.put(file, Boolean.TRUE);
        file.entry().ifPresent(entry -> LOG.debug("API client {} from {}", entry.client().name(), file.source()));
        combine();
    }

    void removeClientFile(ClientFile file) {
        files.remove(file);
        file.entry().ifPresent(entry -> LOG.debug("API client {} removed", entry.client().name()));
        combine();
    }

    private synchronized void combine() {
        List<ApiKeys.Entry> fromFiles = new ArrayList<>();
        files.keySet().forEach(file -> file.entry().ifPresent(fromFiles::add));
        ApiKeys combined = legacy.plus(fromFiles);
        Set<String> seen = new HashSet<>();
        combined.names().stream().filter(name -> !seen.add(name)).distinct().forEach(name -> LOG.warn(
                "Two API keys carry the client name '{}' ({} and a client file); logs cannot tell them apart. "
                        + "Remove one.", name, PID));
        keys = combined;
    }

    private static ApiKeys legacyKeys(Config config) {
        ApiKeys parsed = ApiKeys.parse(config.apiKeyHashes());
        // the hashes are not secret, but are not logged either: the entry number is enough to find one
        parsed.problems().forEach(problem -> LOG.warn("{} (in {}); that entry is ignored.", problem, PID));
        LOG.debug("{} API keys configured in {} (role admin)", parsed.size(), PID);
        return parsed;
    }

    @Override
    public Optional<ApiClient> authenticate(String authorizationHeader, String apiKeyHeader) {
        String key = apiKeyHeader;
        if (key == null && authorizationHeader != null
                && authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            key = authorizationHeader.substring(BEARER.length());
        }
        return keys.client(key == null ? null : key.trim());
    }

    /** Whether any key is configured; without one, the refusal says so. */
    boolean hasKeys() {
        return !keys.isEmpty();
    }
}
