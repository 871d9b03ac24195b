package nl.lantaarn.http.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;

/**
 * Bearer JWTs of one OAuth2/OpenID Connect provider (NL GOV Assurance profile: signed access tokens, keys from the
 * provider's JWKS), configured in {@code etc/nl.lantaarn.http.oidc.cfg}; without that file the component does not run
 * and the hub accepts API keys only. {@link KeyOrTokenAuthenticator} hands it every bearer value that has the form of
 * a JWT.
 * <p>
 * Keys from a URL are cached and refreshed by Nimbus' {@link JWKSourceBuilder} (a token with an unknown key id makes
 * it fetch the set again, at most every 30 s, so a provider's key rotation needs nothing here). A valid token is
 * remembered until it expires, so that a client sending the same token many times costs one signature check.
 */
@Component(service = OidcTokens.class, configurationPid = OidcTokens.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OidcTokens.Config.class)
public final class OidcTokens {

    static final String PID = "nl.lantaarn.http.oidc";
    static final String HOME_PROPERTY = "lantaarn.home";
    /** More checked tokens than this and the memory is emptied: bounded, and cheap to refill. */
    static final int MAX_REMEMBERED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(OidcTokens.class);

    @ObjectClassDefinition(name = "Lantaarn OAuth2/OIDC bearer tokens",
            description = "Which JWT access tokens the API accepts besides API keys, and how their claims become an "
                    + "API client.")
    public @interface Config {
        @AttributeDefinition(description = "The provider's issuer: the exact 'iss' of its tokens.")
        String issuer() default "";

        @AttributeDefinition(description = "This hub's audience: a token must name it in 'aud'.")
        String audience() default "";

        @AttributeDefinition(description = "The provider's jwks_uri (https; http only on this machine).")
        String jwksUrl() default "";

        @AttributeDefinition(description = "A JWKS file instead of jwksUrl (relative to the hub's home).")
        String jwksFile() default "";

        @AttributeDefinition(description = "Allowed signature algorithms: RS256, RS384, RS512, PS256, PS384, PS512, "
                + "ES256, ES384, ES512.")
        String[] algorithms() default {"RS256", "ES256"};

        @AttributeDefinition(description = "Seconds of clock difference allowed for exp, nbf and iat (0-600).")
        long clockSkewSeconds() default 60;

        @AttributeDefinition(description = "The claim holding the roles (reader, writer, operator, admin); dots walk "
                + "into objects, e.g. realm_access.roles.")
        String roleClaim() default "roles";

        @AttributeDefinition(description = "The claim holding the purpose the client was given access for.")
        String purposeClaim() default "purpose";

        @AttributeDefinition(description = "The claim naming the client; 'sub' when the token has no such claim.")
        String clientClaim() default "client_id";
    }

    private final OidcSettings settings;
    private final JWKSource<SecurityContext> keys;
    private final TokenVerifier verifier;
    private final Clock clock;
    private final Map<String, TokenVerifier.Checked> remembered = new ConcurrentHashMap<>();

    @Activate
    public OidcTokens(BundleContext context, Config config) {
        this(OidcSettings.of(config, home(context.getProperty(HOME_PROPERTY))), Clock.systemUTC());
        if (settings.problems().isEmpty()) {
            LOG.info("Bearer tokens of issuer {} for audience {} accepted, keys from {}", settings.issuer(),
                    settings.audience(), settings.keySource());
        } else {
            settings.problems().forEach(problem -> LOG.warn("Bearer tokens are refused until this is fixed: {}",
                    problem));
        }
    }

    OidcTokens(OidcSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.keys = settings.problems().isEmpty() ? keySource(settings) : null;
        this.verifier = keys == null ? null : new TokenVerifier(settings, keys, clock);
    }

    private static JWKSource<SecurityContext> keySource(OidcSettings settings) {
        if (settings.jwksFile() != null) {
            return new FileJwkSource(settings.jwksFile());
        }
        try {
            // a provider answers within seconds or not at all; a JWKS is small
            return JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().toURL(),
                    new DefaultResourceRetriever(3000, 3000, 256 * 1024))
                    .cache(TimeUnit.MINUTES.toMillis(15), TimeUnit.SECONDS.toMillis(10))
                    .refreshAheadCache(true)
                    .rateLimited(TimeUnit.SECONDS.toMillis(30))
                    .retrying(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("'jwksUrl' " + settings.jwksUrl() + " is not a URL", e);
        }
    }

    static Path home(String property) {
        return Path.of(property == null || property.isBlank() ? "" : property.trim()).toAbsolutePath().normalize();
    }

    @Deactivate
    void deactivate() {
        remembered.clear();
        if (keys instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                LOG.debug("Closing the key source of {}", settings.keySource(), e);
            }
        }
    }

    /** The client of a valid token, or why it is not accepted. Never logs the token. */
    Verdict verify(String token) {
        if (verifier == null) {
            return new Verdict.Unavailable("this hub's token settings (" + OidcSettings.FILE + ") are not valid, so "
                    + "no token is accepted; its operator finds the problem in the log");
        }
        TokenVerifier.Checked known = remembered.get(token);
        Instant now = clock.instant();
        if (known != null) {
            if (!now.isAfter(known.expires().plus(settings.clockSkew()))) {
                return new Verdict.Accepted(known.client());
            }
            remembered.remove(token);
        }
        try {
            TokenVerifier.Checked checked = verifier.check(token);
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
            remembered.put(token, checked);
            return new Verdict.Accepted(checked.client());
        } catch (TokenVerifier.Refusal refusal) {
            if (refusal.verdict instanceof Verdict.Unavailable unavailable) {
                LOG.warn("A bearer token could not be checked: {}", unavailable.reason());
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("Bearer token refused: {}", ((Verdict.Refused) refusal.verdict).reason());
            }
            return refusal.verdict;
        }
    }

    /** For tests and messages. */
    OidcSettings settings() {
        return settings;
    }
}
