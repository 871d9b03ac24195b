package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * Bearer JWTs through the real API servlet over real HTTP, next to an API key: a token with role reader reads things
 * and is refused a write with 403; a refused token is a 401 whose {@code WWW-Authenticate} says why (RFC 6750).
 */
class BearerTokenApiTest {

    private static final String READER_KEY = "reader-key-for-bearer-test";

    @TempDir
    static Path home;
    private static TestTokens provider;
    private static OidcTokens tokens;
    private static TwinServiceComponent twin;
    private static FileDeadLetterService letters;
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        provider = new TestTokens();
        tokens = new OidcTokens(OidcSettings.of(TestTokens.config(Map.of("jwksUrl", provider.jwksUrl())), home),
                Clock.systemUTC());
        KeyOrTokenAuthenticator authenticator = new KeyOrTokenAuthenticator(
                TestClients.authenticator(TestClients.client("dashboard", "reader", READER_KEY)), tokens);
        twin = new TwinServiceComponent(new MemoryTwinStore());
        letters = new FileDeadLetterService(home.resolve("data/dead-letters"), 100);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new ApiServlet(twin, letters, authenticator,
                new AdapterFiles(home, symbolicName -> List.of()))), "/api/v1/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        twin.deactivate();
        letters.close();
        tokens.deactivate();
        provider.close();
    }

    private static HttpResponse<String> send(String method, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{\"attributes\":{\"zone\":\"strijp\"}}"));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        // a client per request: the server closes the connection after a refusal
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String detail(HttpResponse<String> response) {
        return JsonObject.of(response.body()).getValue("detail").orElseThrow().asString();
    }

    @Test
    void aReadersTokenReadsAndIsRefusedAWrite() throws Exception {
        String token = provider.rs256(TestTokens.claims().build());
        HttpResponse<String> things = send("GET", "/api/v1/things", token);
        assertThat(things.statusCode()).as(things.body()).isEqualTo(200);

        HttpResponse<String> write = send("PUT", "/api/v1/things/nl.demo.safety:noise-1", token);
        assertThat(write.statusCode()).as(write.body()).isEqualTo(403);
        assertThat(detail(write)).contains("role writer").contains("API client 'oidc:wijkapp' has role reader");

        HttpResponse<String> missing = send("GET", "/api/v1/things/nl.demo.safety:noise-1", token);
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
    }

    @Test
    void aWritersTokenWrites() throws Exception {
        String token = provider.es256(TestTokens.claims(c -> c.claim("roles", List.of("writer"))));
        HttpResponse<String> write = send("PUT", "/api/v1/things/nl.demo.safety:noise-2", token);
        assertThat(write.statusCode()).as(write.body()).isEqualTo(201);
    }

    @Test
    void anExpiredTokenIsA401ThatSaysSoInWwwAuthenticate() throws Exception {
        Instant now = Instant.now();
        String token = provider.rs256(TestTokens.claims(c -> c.expirationTime(Date.from(now.minusSeconds(3600)))));
        HttpResponse<String> response = send("GET", "/api/v1/things", token);
        assertThat(response.statusCode()).isEqualTo(401);
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer realm=\"lantaarn\", error=\"invalid_token\", "
                + "error_description=\"the token expired at ");
        assertThat(challenge.substring(challenge.indexOf("error_description=\"") + 19, challenge.length() - 1))
                .doesNotContain("\"").doesNotContain("\\");
        assertThat(detail(response)).startsWith("The bearer token was refused: the token expired at ")
                .doesNotContain(token);
        assertThat(response.body()).doesNotContain(token);
    }

    @Test
    void aTokenOfAnotherIssuerIsA401NamingTheIssuer() throws Exception {
        String token = provider.rs256(TestTokens.claims(c -> c.issuer("https://other.example.org")));
        HttpResponse<String> response = send("GET", "/api/v1/things", token);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error_description=\"wrong issuer 'https://other.example.org'; this hub accepts tokens of '"
                        + TestTokens.ISSUER + "'\"");
    }

    @Test
    void apiKeysWorkAsBefore() throws Exception {
        assertThat(send("GET", "/api/v1/things", READER_KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> unknown = send("GET", "/api/v1/things", "not-a-known-key");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"lantaarn\"");
        assertThat(detail(unknown)).contains("an API key");
    }

    @Test
    void withoutTokenSettingsAJwtIsRefusedSayingSo() throws Exception {
        KeyOrTokenAuthenticator keysOnly = new KeyOrTokenAuthenticator(
                TestClients.authenticator(TestClients.client("dashboard", "reader", READER_KEY)), null);
        Verdict verdict = keysOnly.check("Bearer " + provider.rs256(TestTokens.claims().build()), null);
        assertThat(((Verdict.Refused) verdict).reason()).startsWith("this hub accepts no bearer tokens (JWT)");
        assertThat(keysOnly.check("Bearer " + READER_KEY, null)).isInstanceOf(Verdict.Accepted.class);
        assertThat(keysOnly.authenticate(null, READER_KEY)).isPresent();
    }
}
