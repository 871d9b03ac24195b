package nl.lantaarn.twin.store.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import nl.lantaarn.twin.api.TwinStoreException;
import nl.lantaarn.twin.spi.StoredThing;
import nl.lantaarn.twin.spi.TwinStore;
import nl.lantaarn.twin.spi.TwinStoreContract;

/**
 * The store contract against the PostgreSQL server on 127.0.0.1:5432 (database {@code test}, user {@code postgres},
 * trust authentication; override with the system properties {@code lantaarn.it.pg.url} and
 * {@code lantaarn.it.pg.user}). Every test works in a schema of its own, dropped afterwards. Skipped when no server
 * answers.
 */
class PostgresTwinStoreInteropIT extends TwinStoreContract {

    private static final String URL = System.getProperty("lantaarn.it.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getProperty("lantaarn.it.pg.user", "postgres");

    /** Why the server cannot be used, or {@code null} when it answers; checked once. */
    private static String unavailable;
    private static boolean checked;

    /** Skips the calling test (with the reason in the report) when no server answers. */
    private static synchronized void assumeServer() {
        if (!checked) {
            checked = true;
            DriverManager.setLoginTimeout(5);
            try (Connection connection = DriverManager.getConnection(URL, USER, "")) {
                connection.isValid(5);
            } catch (SQLException e) {
                unavailable = "No PostgreSQL server answers at " + URL + " as user " + USER + " (" + e.getMessage()
                        + "): the PostgreSQL twin store interop tests are skipped. Start one, or set "
                        + "-Dlantaarn.it.pg.url and -Dlantaarn.it.pg.user.";
                System.err.println(unavailable);
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
    }

    private static PostgresTwinStore.Settings settings(String schema) {
        return new PostgresTwinStore.Settings(URL, USER, "", 4, schema, 5);
    }

    @Override
    protected TwinStore openEmpty() {
        assumeServer(); // called first by every test, also the contract's
        String schema = "lantaarn_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        return new PostgresTwinStore(settings(schema));
    }

    @Override
    protected TwinStore reopen(TwinStore store) {
        PostgresTwinStore old = (PostgresTwinStore) store;
        old.close();
        return new PostgresTwinStore(old.settings());
    }

    @Override
    protected void close(TwinStore store) throws SQLException {
        PostgresTwinStore postgres = (PostgresTwinStore) store;
        postgres.close();
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + postgres.settings().schema() + "\" CASCADE");
        }
    }

    @Test
    void keepsTheTextExactlyAcrossReopening() throws Exception {
        TwinStore store = openEmpty();
        try {
            // spacing and key order exactly as given: the json column keeps the text
            StoredThing thing = new StoredThing(ThingId.of("nl.it.test", "a"), 3,
                    "{\"thingId\":\"nl.it.test:a\", \"b\":1,\"a\":{\"z\":null}}");
            store.put(thing);
            store = reopen(store);
            assertThat(store.get(thing.thingId())).contains(thing);
        } finally {
            close(store);
        }
    }

    @Test
    void refusesTextThatIsNotJsonWithAClearError() throws Exception {
        TwinStore store = openEmpty();
        try {
            StoredThing broken = new StoredThing(ThingId.of("nl.it.test", "b"), 1, "{not json");
            assertThatThrownBy(() -> store.put(broken))
                    .isInstanceOf(TwinStoreException.class)
                    .hasMessageContaining("write nl.it.test:b to the PostgreSQL twin store at " + URL);
            assertThat(store.get(broken.thingId())).isEmpty();
        } finally {
            close(store);
        }
    }

    @Test
    void aUserWithoutRightsGetsAnErrorNamingSchemaAndSetting() throws Exception {
        assumeServer();
        PostgresTwinStore store = new PostgresTwinStore(
                new PostgresTwinStore.Settings(URL, "lantaarn_no_such_user", "", 1, "lantaarn_it_never", 5));
        try {
            assertThatThrownBy(() -> store.get(ThingId.of("nl.it.test", "c")))
                    .isInstanceOf(TwinStoreException.class)
                    .hasMessageContaining("PostgreSQL twin store at " + URL + " schema lantaarn_it_never")
                    .satisfies(e -> assertThat(((TwinStoreException) e).description())
                            .contains("user 'lantaarn_no_such_user'", "etc/nl.lantaarn.twin.store.postgres.cfg"));
        } finally {
            store.close();
        }
    }
}
