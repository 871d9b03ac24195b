package nl.lantaarn.http.internal;

import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/**
 * Checks one bearer JWT, step by step so that a refusal says which check failed: the form, the algorithm (only the
 * configured public-key ones: never {@code none}, never a shared secret), the key (by {@code kid} from the JWKS),
 * the signature, then the claims: {@code exp} (required), {@code nbf} and {@code iat} with the clock skew, {@code iss}
 * and {@code aud}. The cryptography is Nimbus JOSE+JWT's. Thread safe; the token itself never appears in a result.
 */
final class TokenVerifier {

    /** The prefix of every client name that came from a token, so that logs and audits tell it from an API key. */
    static final String NAME_PREFIX = "oidc:";
    private static final Pattern ROLE_LIST = Pattern.compile("[,\\s]+");
    /** Printable ASCII: a client name is logged and shown in headers. */
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private final OidcSettings settings;
    private final JWKSource<SecurityContext> keys;
    private final Clock clock;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    TokenVerifier(OidcSettings settings, JWKSource<SecurityContext> keys, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
    }

    /** A checked token: its client and the moment it expires (for caching). */
    record Checked(ApiClient client, Instant expires) {
    }

    /** The client of a valid token; otherwise {@link Verdict.Refused} or {@link Verdict.Unavailable}. */
    Verdict verify(String token) {
        try {
            return new Verdict.Accepted(check(token).client());
        } catch (Refusal refusal) {
            return refusal.verdict;
        }
    }

    /** Like {@link #verify}, with the expiry; throws the refusal. */
    Checked check(String token) throws Refusal {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw refused("the token is not a well-formed JWT (" + clip(e.getMessage()) + ")");
        }
        if (jwt instanceof PlainJWT) {
            throw refused("the token is not signed (alg none); allowed algorithms: " + allowed());
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            throw refused("the token is encrypted (JWE); send a signed JWT (" + allowed() + ")");
        }
        JWSHeader header = signed.getHeader();
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!settings.algorithms().contains(algorithm)) {
            throw refused("algorithm " + algorithm.getName() + " is not allowed; allowed: " + allowed());
        }
        List<JWK> candidates = keys(header);
        if (!verified(signed, header, candidates)) {
            throw refused("bad signature: the token was not signed by a key of " + settings.keySource()
                    + (header.getKeyID() == null ? "" : " with key id '" + clip(header.getKeyID()) + "'")
                    + ", or it was changed after signing");
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused("the token's payload is not a JWT claims set (" + clip(e.getMessage()) + ")");
        }
        Instant expires = checkTimes(claims);
        checkIssuerAndAudience(claims);
        return new Checked(client(claims), expires);
    }

    private List<JWK> keys(JWSHeader header) throws Refusal {
        try {
            List<JWK> matching = select(JWKMatcher.forJWSHeader(header));
            if (!matching.isEmpty()) {
                return matching;
            }
            String kid = header.getKeyID();
            if (kid == null) {
                throw refused("the token names no key id (kid) and no key of " + settings.keySource()
                        + " fits algorithm " + header.getAlgorithm().getName());
            }
            List<JWK> sameId = select(new JWKMatcher.Builder().keyID(kid).build());
            if (!sameId.isEmpty()) {
                throw refused("key '" + clip(kid) + "' of " + settings.keySource() + " is a "
                        + sameId.get(0).getKeyType() + " key (use " + sameId.get(0).getKeyUse() + "), which cannot "
                        + "verify " + header.getAlgorithm().getName());
            }
            throw refused("unknown key id '" + clip(kid) + "': " + settings.keySource()
                    + " has no such key (a new key of the provider is fetched at most every 30 s)");
        } catch (KeySourceException e) {
            throw new Refusal(new Verdict.Unavailable("the identity provider's keys could not be read from "
                    + settings.keySource() + " (" + clip(e.getMessage() == null ? e.getClass().getSimpleName()
                            : e.getMessage()) + ")"));
        }
    }

    /**
     * The matching keys; none when the key source may not look for new keys yet (it fetches the JWKS again for a key it
     * does not have at most every 30 s, and says so with an exception).
     */
    private List<JWK> select(JWKMatcher matcher) throws KeySourceException {
        try {
            return keys.get(new JWKSelector(matcher), null);
        } catch (RateLimitReachedException e) {
            return List.of();
        }
    }

    private boolean verified(SignedJWT signed, JWSHeader header, List<JWK> candidates) {
        for (JWK candidate : candidates) {
            if (!(candidate instanceof AsymmetricJWK asymmetric)) {
                continue; // a symmetric key in a JWKS is never used: see OidcSettings.SUPPORTED
            }
            try {
                Key key = asymmetric.toPublicKey();
                if (signed.verify(verifiers.createJWSVerifier(header, key))) {
                    return true;
                }
            } catch (JOSEException | IllegalStateException e) {
                // a key that does not fit this algorithm: try the next one
            }
        }
        return false;
    }

    private Instant checkTimes(JWTClaimsSet claims) throws Refusal {
        Instant now = clock.instant();
        long skew = settings.clockSkew().toSeconds();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw refused("the token has no expiry ('exp' claim), which this hub requires");
        }
        if (now.isAfter(exp.toInstant().plusSeconds(skew))) {
            throw refused("the token expired at " + exp.toInstant() + " (the hub's time is " + now + ", allowing "
                    + skew + " s of clock skew); get a new token");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minusSeconds(skew))) {
            throw refused("the token is not valid before " + nbf.toInstant() + " (the hub's time is " + now
                    + ", allowing " + skew + " s of clock skew)");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.isBefore(iat.toInstant().minusSeconds(skew))) {
            throw refused("the token was issued in the future, at " + iat.toInstant() + " (the hub's time is " + now
                    + ", allowing " + skew + " s of clock skew)");
        }
        return exp.toInstant();
    }

    private void checkIssuerAndAudience(JWTClaimsSet claims) throws Refusal {
        String issuer = claims.getIssuer();
        if (!settings.issuer().equals(issuer)) {
            throw refused(issuer == null ? "the token has no issuer ('iss' claim); expected '" + settings.issuer() + "'"
                    : "wrong issuer '" + clip(issuer) + "'; this hub accepts tokens of '" + settings.issuer()
                            + "'");
        }
        List<String> audience = claims.getAudience();
        if (!audience.contains(settings.audience())) {
            throw refused("wrong audience " + clip(audience.toString()) + "; the token must name '"
                    + settings.audience() + "' in 'aud'");
        }
    }

    private ApiClient client(JWTClaimsSet claims) throws Refusal {
        Object named = claim(claims, settings.clientClaim());
        String claimUsed = settings.clientClaim();
        if (!(named instanceof String) || ((String) named).isBlank()) {
            named = claims.getSubject();
            claimUsed = "sub";
        }
        if (!(named instanceof String name) || name.isBlank()) {
            throw refused("the token has neither '" + settings.clientClaim() + "' nor 'sub' to name its client");
        }
        if (!PRINTABLE.matcher(name).matches()) {
            throw refused("'" + claimUsed + "' must be 1 to 200 printable ASCII characters without spaces");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Object roleValues = claim(claims, settings.roleClaim());
        if (roleValues instanceof Collection<?> list) {
            list.forEach(value -> addRoles(roles, value));
        } else {
            addRoles(roles, roleValues);
        }
        Object purpose = claim(claims, settings.purposeClaim());
        return new ApiClient(NAME_PREFIX + name, roles,
                purpose instanceof String text ? clip(text.strip()) : "");
    }

    /** Roles are role ids (any case); a string may hold several (the form of 'scope'); other values are ignored. */
    private static void addRoles(Set<Role> roles, Object value) {
        if (value instanceof String text) {
            for (String id : ROLE_LIST.split(text.trim())) {
                Role.of(id).ifPresent(roles::add);
            }
        }
    }

    /** The value at a claim path: {@code realm_access.roles} is the member {@code roles} of object {@code realm_access}. */
    static Object claim(JWTClaimsSet claims, String path) {
        String[] parts = path.split("\\.");
        Object value = claims.getClaim(parts[0]);
        for (int i = 1; i < parts.length && value != null; i++) {
            value = value instanceof Map<?, ?> map ? map.get(parts[i]) : null;
        }
        return value;
    }

    /** At most 200 characters, no control characters: parts of a token (never all of it) in a reason. */
    static String clip(String text) {
        String clean = String.valueOf(text).replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= 200 ? clean : clean.substring(0, 197) + "...";
    }

    private String allowed() {
        return OidcSettings.names(settings.algorithms());
    }

    private static Refusal refused(String reason) {
        return new Refusal(new Verdict.Refused(reason));
    }

    /** A token that did not pass, with the verdict to answer. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Verdict verdict;

        Refusal(Verdict verdict) {
            super(null, null, false, false);
            this.verdict = verdict;
        }
    }
}
