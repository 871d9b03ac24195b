package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Set;

import org.junit.jupiter.api.Test;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

class ApiKeyAuthenticatorTest {

    private static final String KEY = "key-0123456789";
    /** An apiKeyHashes entry: every role, as before clients had roles, so existing entries keep working. */
    private static final ApiClient CITY_OPS = new ApiClient("city-ops", Set.of(Role.ADMIN), "");

    private static ApiKeyAuthenticator authenticator(String... entries) {
        return new ApiKeyAuthenticator(ApiKeys.parse(entries));
    }

    @Test
    void acceptsAKnownKeyAsBearerTokenOrApiKeyHeader() {
        ApiKeyAuthenticator keys = authenticator("city-ops:sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(KEY)));
        assertThat(keys.authenticate("Bearer " + KEY, null)).contains(CITY_OPS);
        assertThat(keys.authenticate("bearer  " + KEY + " ", null)).contains(CITY_OPS);
        assertThat(keys.authenticate(null, KEY)).contains(CITY_OPS);
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

    @Test
    void clientFilesCarryRolesAndPurposeAndCountUntilRemoved() {
        ClientFile reader = TestClients.client("dashboard", "reader", "reader-key");
        ClientFile both = TestClients.client("ops", "writer, operator", "ops-key");
        ApiKeyAuthenticator keys = new ApiKeyAuthenticator(ApiKeys.parse(new String[] {
            "city-ops:sha256:" + HexFormat.of().formatHex(ApiKeys.sha256(KEY))}));
        keys.addClientFile(reader);
        keys.addClientFile(both);

        ApiClient dashboard = keys.authenticate("Bearer reader-key", null).orElseThrow();
        assertThat(dashboard.name()).isEqualTo("dashboard");
        assertThat(dashboard.roles()).containsExactly(Role.READER);
        assertThat(dashboard.purpose()).isEqualTo("tests of dashboard");
        assertThat(dashboard.may(Role.READER)).isTrue();
        assertThat(dashboard.may(Role.WRITER)).isFalse();
        ApiClient ops = keys.authenticate(null, "ops-key").orElseThrow();
        assertThat(ops.roles()).containsExactly(Role.WRITER, Role.OPERATOR);
        assertThat(ops.may(Role.READER)).isTrue();
        assertThat(ops.may(Role.ADMIN)).isFalse();
        assertThat(keys.authenticate(null, KEY)).contains(CITY_OPS);

        keys.removeClientFile(reader);
        assertThat(keys.authenticate("Bearer reader-key", null)).isEmpty();
        assertThat(keys.authenticate(null, "ops-key")).isPresent();
    }

    @Test
    void anInvalidClientFileIsNotAcceptedAndSaysWhy() {
        ClientFile unknownRole = new ClientFile("x", new String[] {"reader, root"}, "", "sha256:"
                + HexFormat.of().formatHex(ApiKeys.sha256("x-key")), "etc/nl.lantaarn.http.client-x.cfg");
        assertThat(unknownRole.entry()).isEmpty();
        assertThat(unknownRole.problems()).singleElement().asString().contains("unknown role 'root'")
                .contains("reader, writer, operator, admin");
        ClientFile badHash = new ClientFile("Bad Name", new String[] {}, "", "md5:00", "file");
        assertThat(badHash.problems()).hasSize(3).anySatisfy(p -> assertThat(p).contains("'name'"))
                .anySatisfy(p -> assertThat(p).contains("'roles' is empty"))
                .anySatisfy(p -> assertThat(p).contains("'keyHash'"));
        ApiKeyAuthenticator keys = TestClients.authenticator(unknownRole);
        assertThat(keys.authenticate(null, "x-key")).isEmpty();
        assertThat(keys.hasKeys()).isFalse();
    }
}
