package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import nl.lantaarn.security.api.ApiClient;

class ApiKeyAuthenticatorTest {

    private static final String KEY = "key-0123456789";

    private static ApiKeyAuthenticator authenticator(String... entries) {
        return new ApiKeyAuthenticator(ApiKeys.parse(entries));
    }

    @Test
    void acceptsAKnownKeyAsBearerTokenOrApiKeyHeader() {
        ApiKeyAuthenticator keys = authenticator("city-ops:sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(KEY)));
        assertThat(keys.authenticate("Bearer " + KEY, null)).contains(new ApiClient("city-ops"));
        assertThat(keys.authenticate("bearer  " + KEY + " ", null)).contains(new ApiClient("city-ops"));
        assertThat(keys.authenticate(null, KEY)).contains(new ApiClient("city-ops"));
        assertThat(keys.authenticate("Basic " + KEY, null)).isEmpty();
        assertThat(keys.authenticate("Bearer wrong", null)).isEmpty();
        assertThat(keys.authenticate(null, null)).isEmpty();
        // X-API-Key is read first, as before
        assertThat(keys.authenticate("Bearer " + KEY, "wrong")).isEmpty();
        assertThat(keys.hasKeys()).isTrue();
    }

    @Test
    void unnamedEntriesGetANumberedNameAndNoKeysAcceptsNothing() {
        ApiKeyAuthenticator keys = authenticator("sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(KEY)));
        assertThat(keys.authenticate(null, KEY).orElseThrow().name()).isEqualTo("client-1");
        ApiKeyAuthenticator none = authenticator("");
        assertThat(none.hasKeys()).isFalse();
        assertThat(none.authenticate("Bearer " + KEY, KEY)).isEmpty();
    }
}
