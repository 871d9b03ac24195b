package nl.lantaarn.http.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.nimbusds.jose.JWSAlgorithm;

/**
 * The checked settings of {@code etc/nl.lantaarn.http.oidc.cfg}: which tokens the hub accepts and how their claims
 * become an API client. Immutable; {@link #problems()} lists every setting that is wrong (the tokens are then all
 * refused).
 *
 * @param jwksUrl   where the identity provider publishes its keys, or {@code null}
 * @param jwksFile  a file holding the keys instead, or {@code null}
 * @param roleClaim the claim holding the roles; dots walk into objects ({@code realm_access.roles})
 */
record OidcSettings(String issuer, String audience, URI jwksUrl, Path jwksFile, Set<JWSAlgorithm> algorithms,
        Duration clockSkew, String roleClaim, String purposeClaim, String clientClaim, List<String> problems) {

    static final String FILE = "etc/" + OidcTokens.PID + ".cfg";
    /**
     * The algorithms that may be allowed: public-key signatures only (RSA and EC, the ones the NL GOV profile names).
     * A shared-secret algorithm (HS256) could be forged with the public key as the secret.
     */
    static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);
    private static final Pattern LIST = Pattern.compile("[,\\s]+");
    private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_:-]+(\\.[A-Za-z0-9_:-]+)*");
    private static final long MAX_SKEW_SECONDS = 600;

    OidcSettings {
        algorithms = Set.copyOf(algorithms);
        problems = List.copyOf(problems);
    }

    /** Checks the configuration; {@code home} resolves a relative {@code jwksFile}. */
    static OidcSettings of(OidcTokens.Config config, Path home) {
        List<String> problems = new ArrayList<>();
        String issuer = config.issuer().trim();
        if (issuer.isEmpty()) {
            problems.add("'issuer' is empty; set it to the identity provider's issuer (the 'iss' of its tokens, "
                    + "e.g. https://login.example.nl/realms/gemeente)");
        }
        String audience = config.audience().trim();
        if (audience.isEmpty()) {
            problems.add("'audience' is empty; set it to the value the identity provider puts in 'aud' for this hub");
        }
        URI url = null;
        Path file = null;
        String urlText = config.jwksUrl().trim();
        String fileText = config.jwksFile().trim();
        if (urlText.isEmpty() == fileText.isEmpty()) {
            problems.add("set exactly one of 'jwksUrl' (the provider's jwks_uri) and 'jwksFile' (a JWKS file)");
        } else if (!urlText.isEmpty()) {
            url = jwksUrl(urlText, problems);
        } else {
            file = home.resolve(fileText).toAbsolutePath().normalize();
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String value : config.algorithms()) {
            for (String name : LIST.split(value.trim())) {
                if (name.isEmpty()) {
                    continue;
                }
                JWSAlgorithm algorithm = JWSAlgorithm.parse(name.toUpperCase(Locale.ROOT));
                if (SUPPORTED.contains(algorithm)) {
                    algorithms.add(algorithm);
                } else {
                    problems.add("'algorithms' has '" + name + "', which is not allowed; use some of "
                            + names(SUPPORTED));
                }
            }
        }
        if (algorithms.isEmpty() && problems.stream().noneMatch(p -> p.startsWith("'algorithms'"))) {
            problems.add("'algorithms' is empty; use some of " + names(SUPPORTED));
        }
        long skew = config.clockSkewSeconds();
        if (skew < 0 || skew > MAX_SKEW_SECONDS) {
            problems.add("'clockSkewSeconds' is " + skew + "; use 0 to " + MAX_SKEW_SECONDS);
        }
        String roleClaim = claim("roleClaim", config.roleClaim(), problems);
        String purposeClaim = claim("purposeClaim", config.purposeClaim(), problems);
        String clientClaim = claim("clientClaim", config.clientClaim(), problems);
        return new OidcSettings(issuer, audience, url, file, algorithms,
                Duration.ofSeconds(Math.max(0, Math.min(skew, MAX_SKEW_SECONDS))), roleClaim, purposeClaim,
                clientClaim, problems.stream().map(p -> p + " (in " + FILE + ")").toList());
    }

    /** https, or http to this machine only (a provider on the same host, or tests); keys over plain HTTP could be swapped. */
    private static URI jwksUrl(String text, List<String> problems) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                problems.add("'jwksUrl' '" + text + "' is not an https URL with a host");
                return null;
            }
            if (scheme.equals("http") && !loopback(uri.getHost())) {
                problems.add("'jwksUrl' '" + text + "' uses plain http to another host; the keys must come over https");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add("'jwksUrl' '" + text + "' is not a URL: " + e.getMessage());
            return null;
        }
    }

    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: never looked up here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String claim(String setting, String value, List<String> problems) {
        String trimmed = value.trim();
        if (!CLAIM.matcher(trimmed).matches()) {
            problems.add("'" + setting + "' is '" + trimmed + "'; give a claim name (letters, digits, _ : -; dots "
                    + "walk into objects, e.g. realm_access.roles)");
        }
        return trimmed;
    }

    static String names(Set<JWSAlgorithm> algorithms) {
        return algorithms.stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", "));
    }

    /** Where the keys come from, for messages. */
    String keySource() {
        return jwksUrl != null ? jwksUrl.toString() : String.valueOf(jwksFile);
    }
}
