package nl.lantaarn.http.internal;

import java.util.HexFormat;

/** API clients as {@code ./lantaarn clients add} makes them (one {@link ClientFile} each), for tests. */
final class TestClients {

    private TestClients() {
    }

    /** A client file for {@code key} with these comma-separated roles. */
    static ClientFile client(String name, String roles, String key) {
        return new ClientFile(name, new String[] {roles}, "tests of " + name,
                "sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(key)), "test client " + name);
    }

    /** A client file for {@code key} with its own rate limit ({@code ""}: not set), as in the client's file. */
    static ClientFile client(String name, String roles, String key, String rateLimit, String rateBurst) {
        return new ClientFile(name, new String[] {roles}, "tests of " + name,
                "sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(key)), rateLimit, rateBurst,
                "test client " + name);
    }

    /** An authenticator that knows exactly these client files. */
    static ApiKeyAuthenticator authenticator(ClientFile... clients) {
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(ApiKeys.none());
        for (ClientFile client : clients) {
            authenticator.addClientFile(client);
        }
        return authenticator;
    }
}
