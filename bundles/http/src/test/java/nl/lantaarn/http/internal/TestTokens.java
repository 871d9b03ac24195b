package nl.lantaarn.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * An identity provider for tests: an RSA and an EC key pair made in the test, tokens signed with them by Nimbus, and
 * its JWKS served by a real HTTP server on a free port of 127.0.0.1.
 */
final class TestTokens implements AutoCloseable {

    static final String ISSUER = "https://login.example.nl/realms/gemeente";
    static final String AUDIENCE = "lantaarn-hub";

    final RSAKey rsa;
    final ECKey ec;
    private final HttpServer server;
    private final AtomicInteger jwksFetches = new AtomicInteger();

    TestTokens() throws JOSEException, IOException {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The public keys, as a provider publishes them. */
    String jwks() {
        return new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString();
    }

    String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    int jwksFetches() {
        return jwksFetches.get();
    }

    /** Claims of a valid token issued now for a reader. */
    static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of(AUDIENCE, "account"))
                .subject("5f1c0c2e-service-account").claim("client_id", "wijkapp")
                .claim("roles", List.of("reader", "offline_access")).claim("purpose", "Crowd levels for the app")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder builder = claims();
        change.accept(builder);
        return builder.build();
    }

    String rs256(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    String es256(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(ec));
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The configuration of {@code etc/nl.lantaarn.http.oidc.cfg}, with the defaults of {@link OidcTokens.Config}. */
    static OidcTokens.Config config(Map<String, Object> values) {
        return new OidcTokens.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return OidcTokens.Config.class;
            }

            @Override
            public String issuer() {
                return (String) values.getOrDefault("issuer", ISSUER);
            }

            @Override
            public String audience() {
                return (String) values.getOrDefault("audience", AUDIENCE);
            }

            @Override
            public String jwksUrl() {
                return (String) values.getOrDefault("jwksUrl", "");
            }

            @Override
            public String jwksFile() {
                return (String) values.getOrDefault("jwksFile", "");
            }

            @Override
            public String[] algorithms() {
                return (String[]) values.getOrDefault("algorithms", new String[] {"RS256", "ES256"});
            }

            @Override
            public long clockSkewSeconds() {
                return (Long) values.getOrDefault("clockSkewSeconds", 60L);
            }

            @Override
            public String roleClaim() {
                return (String) values.getOrDefault("roleClaim", "roles");
            }

            @Override
            public String purposeClaim() {
                return (String) values.getOrDefault("purposeClaim", "purpose");
            }

            @Override
            public String clientClaim() {
                return (String) values.getOrDefault("clientClaim", "client_id");
            }
        };
    }
}
