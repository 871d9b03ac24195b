package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/**
 * Bearer JWTs against the keys of a real JWKS endpoint (a local HTTP server) and of a JWKS file: what passes, and for
 * each way a token can be wrong, a refusal that says which.
 */
class OidcTokensTest {

    private static TestTokens provider;
    private static OidcTokens tokens;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        provider = new TestTokens();
        tokens = fromUrl(Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        tokens.deactivate();
        provider.close();
    }

    private static OidcTokens fromUrl(Clock clock) {
        OidcSettings settings = OidcSettings.of(TestTokens.config(Map.of("jwksUrl", provider.jwksUrl())), home);
        assertThat(settings.problems()).isEmpty();
        return new OidcTokens(settings, clock);
    }

    private static String refusal(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Refused.class);
        return ((Verdict.Refused) verdict).reason();
    }

    private static ApiClient accepted(Verdict verdict) {
        assertThat(verdict).as("%s", verdict).isInstanceOf(Verdict.Accepted.class);
        return ((Verdict.Accepted) verdict).client();
    }

    @Test
    void aValidRs256TokenIsAClientNamedAfterItsClientId() throws Exception {
        ApiClient client = accepted(tokens.verify(provider.rs256(TestTokens.claims().build())));
        assertThat(client.name()).isEqualTo("oidc:wijkapp");
        assertThat(client.roles()).containsExactly(Role.READER);
        assertThat(client.purpose()).isEqualTo("Crowd levels for the app");
        assertThat(client.may(Role.READER)).isTrue();
        assertThat(client.may(Role.WRITER)).isFalse();
    }

    @Test
    void aValidEs256TokenPasses() throws Exception {
        ApiClient client = accepted(tokens.verify(provider.es256(TestTokens.claims(c -> c.claim("roles",
                List.of("writer"))))));
        assertThat(client.roles()).containsExactly(Role.WRITER);
    }

    @Test
    void withoutClientIdTheSubjectNamesTheClient() throws Exception {
        ApiClient client = accepted(tokens.verify(provider.rs256(TestTokens.claims(c -> c.claim("client_id", null)
                .claim("roles", "reader writer")))));
        assertThat(client.name()).isEqualTo("oidc:5f1c0c2e-service-account");
        assertThat(client.roles()).containsExactly(Role.READER, Role.WRITER);
    }

    @Test
    void anExpiredTokenIsRefusedBeyondTheSkewOnly() throws Exception {
        Instant now = Instant.now();
        String expired = provider.rs256(TestTokens.claims(c -> c.issueTime(Date.from(now.minusSeconds(900)))
                .notBeforeTime(Date.from(now.minusSeconds(900))).expirationTime(Date.from(now.minusSeconds(120)))));
        assertThat(refusal(tokens.verify(expired))).startsWith("the token expired at ")
                .contains("60 s of clock skew");
        String justExpired = provider.rs256(TestTokens.claims(c -> c.expirationTime(Date.from(now.minusSeconds(20)))));
        accepted(tokens.verify(justExpired));
    }

    @Test
    void aTokenNotYetValidBeyondTheSkewIsRefused() throws Exception {
        Instant now = Instant.now();
        String early = provider.rs256(TestTokens.claims(c -> c.notBeforeTime(Date.from(now.plusSeconds(180)))));
        assertThat(refusal(tokens.verify(early))).startsWith("the token is not valid before ");
        String slightlyEarly = provider.rs256(TestTokens.claims(c -> c.notBeforeTime(Date.from(now.plusSeconds(20)))));
        accepted(tokens.verify(slightlyEarly));
        String future = provider.rs256(TestTokens.claims(c -> c.issueTime(Date.from(now.plusSeconds(600)))));
        assertThat(refusal(tokens.verify(future))).startsWith("the token was issued in the future");
    }

    @Test
    void aTokenWithoutExpiryIsRefused() throws Exception {
        assertThat(refusal(tokens.verify(provider.rs256(TestTokens.claims(c -> c.expirationTime(null))))))
                .contains("no expiry ('exp' claim)");
    }

    @Test
    void theWrongIssuerIsRefused() throws Exception {
        String token = provider.rs256(TestTokens.claims(c -> c.issuer("https://evil.example.com")));
        assertThat(refusal(tokens.verify(token))).isEqualTo("wrong issuer 'https://evil.example.com'; this hub "
                + "accepts tokens of '" + TestTokens.ISSUER + "'");
    }

    @Test
    void theWrongAudienceIsRefused() throws Exception {
        String token = provider.rs256(TestTokens.claims(c -> c.audience("another-api")));
        assertThat(refusal(tokens.verify(token))).isEqualTo("wrong audience [another-api]; the token must name '"
                + TestTokens.AUDIENCE + "' in 'aud'");
    }

    @Test
    void anUnknownKeyIdIsRefusedAfterLookingForANewKey() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-unknown").keyUse(KeyUse.SIGNATURE).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-unknown").build(),
                TestTokens.claims().build());
        jwt.sign(new RSASSASigner(stranger));
        assertThat(refusal(tokens.verify(jwt.serialize()))).startsWith("unknown key id 'rsa-unknown': "
                + provider.jwksUrl() + " has no such key");
    }

    @Test
    void aForeignKeyUnderAKnownKeyIdIsABadSignature() throws Exception {
        RSAKey forger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(),
                TestTokens.claims().build());
        jwt.sign(new RSASSASigner(forger));
        assertThat(refusal(tokens.verify(jwt.serialize()))).startsWith("bad signature");
    }

    @Test
    void algNoneIsRefused() {
        String unsigned = new PlainJWT(TestTokens.claims().build()).serialize();
        assertThat(KeyOrTokenAuthenticator.looksLikeJwt(unsigned)).isTrue();
        assertThat(refusal(tokens.verify(unsigned))).isEqualTo("the token is not signed (alg none); allowed "
                + "algorithms: ES256, RS256");
    }

    @Test
    void hs256WithThePublicKeyAsSecretIsRefused() throws Exception {
        // the classic confusion attack: the verifier must not take the RSA public key as an HMAC secret
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                TestTokens.claims(c -> c.claim("roles", List.of("admin"))));
        jwt.sign(new MACSigner(provider.rsa.toRSAPublicKey().getEncoded()));
        assertThat(refusal(tokens.verify(jwt.serialize()))).isEqualTo("algorithm HS256 is not allowed; allowed: "
                + "ES256, RS256");
    }

    @Test
    void aTamperedPayloadIsABadSignature() throws Exception {
        String[] parts = provider.rs256(TestTokens.claims().build()).split("\\.");
        String admin = TestTokens.claims(c -> c.claim("roles", List.of("admin"))).toString();
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(admin.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String reason = refusal(tokens.verify(tampered));
        assertThat(reason).startsWith("bad signature: the token was not signed by a key of " + provider.jwksUrl()
                + " with key id 'rsa-1', or it was changed after signing");
        assertThat(reason).doesNotContain(tampered).doesNotContain(parts[1]).doesNotContain(parts[2]);
    }

    @Test
    void garbageIsNotAToken() {
        assertThat(refusal(tokens.verify("eyJub3QiOiJqc29u.e30.c2ln"))).startsWith("the token is not a well-formed JWT");
    }

    @Test
    void theKeysAreFetchedOnceForManyTokens() throws Exception {
        OidcTokens fresh = fromUrl(Clock.systemUTC());
        try {
            int before = provider.jwksFetches();
            for (int i = 0; i < 20; i++) {
                int n = i;
                accepted(fresh.verify(provider.rs256(TestTokens.claims(c -> c.claim("client_id", "app-" + n)))));
                accepted(fresh.verify(provider.es256(TestTokens.claims(c -> c.claim("client_id", "app-" + n)))));
            }
            assertThat(provider.jwksFetches() - before).isEqualTo(1);
        } finally {
            fresh.deactivate();
        }
    }

    @Test
    void aRememberedTokenStillExpires() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        OidcTokens withClock = fromUrl(clock);
        try {
            String token = provider.rs256(TestTokens.claims().build());
            accepted(withClock.verify(token));
            accepted(withClock.verify(token));
            clock.now = clock.now.plus(Duration.ofSeconds(300 + 61));
            assertThat(refusal(withClock.verify(token))).startsWith("the token expired at ");
        } finally {
            withClock.deactivate();
        }
    }

    @Test
    void keysComeFromAFileTooAndAKeyAddedToItCounts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, new JWKSet(provider.rsa.toPublicJWK()).toString());
        OidcSettings settings = OidcSettings.of(TestTokens.config(Map.of("jwksFile", file.toString())), home);
        OidcTokens fromFile = new OidcTokens(settings, Clock.systemUTC());
        accepted(fromFile.verify(provider.rs256(TestTokens.claims().build())));
        assertThat(refusal(fromFile.verify(provider.es256(TestTokens.claims().build()))))
                .startsWith("unknown key id 'ec-1': " + file);

        Files.writeString(file, provider.jwks());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        accepted(fromFile.verify(provider.es256(TestTokens.claims().build())));
    }

    @Test
    void keysThatCannotBeFetchedMakeTheCheckUnavailable() throws Exception {
        OidcSettings settings = OidcSettings.of(TestTokens.config(Map.of("jwksFile", "no/such/jwks.json")), home);
        Verdict verdict = new OidcTokens(settings, Clock.systemUTC()).verify(provider.rs256(TestTokens.claims()
                .build()));
        assertThat(verdict).isInstanceOf(Verdict.Unavailable.class);
        assertThat(((Verdict.Unavailable) verdict).reason()).contains("could not be read from "
                + home.resolve("no/such/jwks.json"));
    }

    @Test
    void nestedRoleClaimsAndScopeStringsWork() throws Exception {
        OidcSettings settings = OidcSettings.of(TestTokens.config(Map.of("jwksUrl", provider.jwksUrl(),
                "roleClaim", "realm_access.roles")), home);
        OidcTokens keycloak = new OidcTokens(settings, Clock.systemUTC());
        try {
            ApiClient client = accepted(keycloak.verify(provider.rs256(TestTokens.claims(c -> c.claim("realm_access",
                    Map.of("roles", List.of("operator", "uma_authorization")))))));
            assertThat(client.roles()).containsExactly(Role.OPERATOR);
            ApiClient none = accepted(keycloak.verify(provider.rs256(TestTokens.claims().build())));
            assertThat(none.roles()).isEmpty();
        } finally {
            keycloak.deactivate();
        }
    }

    @Test
    void aBadConfigurationNamesEverySettingAndRefusesEveryToken() throws Exception {
        OidcSettings settings = OidcSettings.of(TestTokens.config(Map.of("issuer", " ", "jwksUrl",
                "http://login.example.nl/jwks", "algorithms", new String[] {"RS256, HS256"}, "clockSkewSeconds", -1L,
                "roleClaim", "roles[0]")), home);
        assertThat(settings.problems()).hasSize(5).allMatch(p -> p.endsWith("(in etc/nl.lantaarn.http.oidc.cfg)"));
        assertThat(String.join("\n", settings.problems())).contains("'issuer' is empty")
                .contains("uses plain http to another host").contains("'algorithms' has 'HS256'")
                .contains("'clockSkewSeconds' is -1").contains("'roleClaim' is 'roles[0]'");
        assertThat(OidcSettings.of(TestTokens.config(Map.of()), home).problems())
                .anyMatch(p -> p.startsWith("set exactly one of 'jwksUrl'"));
        assertThat(OidcSettings.of(TestTokens.config(Map.of("jwksUrl", "https://login.example.nl/jwks")), home)
                .problems()).isEmpty();
        Verdict verdict = new OidcTokens(settings, Clock.systemUTC()).verify(provider.rs256(TestTokens.claims()
                .build()));
        assertThat(verdict).isInstanceOf(Verdict.Unavailable.class);
    }

    @Test
    void apiKeysAreNeverTakenForTokens() {
        assertThat(KeyOrTokenAuthenticator.looksLikeJwt("ltn_3q2-7wEAAAB_example_key-value_0123456789ab")).isFalse();
        assertThat(KeyOrTokenAuthenticator.looksLikeJwt("reader-key-1")).isFalse();
        assertThat(KeyOrTokenAuthenticator.looksLikeJwt("a.b.c")).isTrue();
        assertThat(KeyOrTokenAuthenticator.looksLikeJwt("a.b.c.d")).isFalse();
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
