package nl.lantaarn.twin.store.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import nl.lantaarn.twin.api.TwinStoreException;
import nl.lantaarn.twin.spi.StoredThing;

/** Configuration checks and the behaviour without a server; needs no PostgreSQL. */
class PostgresTwinStoreTest {

    private static final String CFG = "etc/nl.lantaarn.twin.store.postgres.cfg";

    private static PostgresTwinStore.Settings settings(String url, String user, int pool, String schema) {
        return new PostgresTwinStore.Settings(url, user, "s3cret", pool, schema, 1);
    }

    @Test
    void acceptsAPlainConfiguration() {
        PostgresTwinStore.Settings settings = settings("jdbc:postgresql://db.example:5432/hub?ssl=true", "hub", 8,
                "lantaarn");
        assertThat(settings.location()).isEqualTo("jdbc:postgresql://db.example:5432/hub schema lantaarn");
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void namesTheWrongSettingAndTheFile() {
        assertThatThrownBy(() -> settings("jdbc:mysql://db.example/hub", "hub", 8, "lantaarn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbcUrl must start with jdbc:postgresql:").hasMessageContaining(CFG);
        assertThatThrownBy(() -> settings(null, "hub", 8, "lantaarn"))
                .hasMessageContaining("jdbcUrl must start with jdbc:postgresql:");
        assertThatThrownBy(() -> settings("jdbc:postgresql://db/hub?user=x&password=s3cret", "hub", 8, "lantaarn"))
                .hasMessageContaining("jdbcUrl must not carry a password").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> settings("jdbc:postgresql://db/hub", " ", 8, "lantaarn"))
                .hasMessageContaining("username must not be empty").hasMessageContaining(CFG);
        assertThatThrownBy(() -> settings("jdbc:postgresql://db/hub", "hub", 0, "lantaarn"))
                .hasMessageContaining("poolSize must be 1 to 100, not 0");
        assertThatThrownBy(() -> settings("jdbc:postgresql://db/hub", "hub", 101, "lantaarn"))
                .hasMessageContaining("poolSize must be 1 to 100, not 101");
        assertThatThrownBy(() -> settings("jdbc:postgresql://db/hub", "hub", 8, "Lantaarn\"; drop"))
                .hasMessageContaining("schema must be lower-case letters, digits and underscores")
                .hasMessageContaining(CFG);
        assertThatThrownBy(() -> new PostgresTwinStore.Settings("jdbc:postgresql://db/hub", "hub", "", 8, "x", 0))
                .hasMessageContaining("connectionTimeoutSeconds must be 1 or more, not 0");
    }

    @Test
    void startsWithoutAServerAndRefusesCallsNamingIt() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/hub";
        PostgresTwinStore store = new PostgresTwinStore(settings(url, "hub", 2, "lantaarn"));
        try {
            assertThat(store.location()).isEqualTo(url + " schema lantaarn");
            ThingId id = ThingId.of("nl.unit.test", "x");
            assertThatThrownBy(() -> store.put(new StoredThing(id, 1, "{}")))
                    .isInstanceOf(TwinStoreException.class)
                    .hasMessageContaining("PostgreSQL twin store at " + url + " schema lantaarn")
                    .hasMessageNotContaining("s3cret")
                    .satisfies(e -> assertThat(((TwinStoreException) e).description())
                            .contains(url, "user 'hub'", CFG).doesNotContain("s3cret"));
            assertThatThrownBy(() -> store.loadAll(thing -> { }))
                    .isInstanceOf(TwinStoreException.class);
        } finally {
            store.close();
        }
    }
}
