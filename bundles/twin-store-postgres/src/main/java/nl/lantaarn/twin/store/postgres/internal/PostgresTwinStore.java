package nl.lantaarn.twin.store.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.eclipse.ditto.things.model.ThingId;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import nl.lantaarn.twin.api.TwinStoreException;
import nl.lantaarn.twin.spi.StoredThing;
import nl.lantaarn.twin.spi.TwinStore;

/**
 * The twin store on PostgreSQL: one row per thing in {@code <schema>.things}, written with an upsert in auto-commit
 * mode, so a change is durable when the server acknowledged the commit (with the server's default
 * {@code synchronous_commit = on}: on its disk, and on a synchronous standby where one is configured). Concurrent
 * writers use separate pooled connections; the server groups their commits.
 * <p>
 * Registered only when configured ({@code etc/nl.lantaarn.twin.store.postgres.cfg}), with a service ranking above the
 * embedded store's. An unreachable server does not stop the registration: the schema is migrated on the first call
 * that reaches the server, and every call until then throws a {@link TwinStoreException} naming the server.
 */
@Component(service = TwinStore.class, configurationPid = PostgresTwinStore.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = "service.ranking:Integer=100")
@Designate(ocd = PostgresTwinStore.Config.class)
public final class PostgresTwinStore implements TwinStore {

    static final String PID = "nl.lantaarn.twin.store.postgres";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresTwinStore.class);
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String CFG = "etc/" + PID + ".cfg";

    @ObjectClassDefinition(name = "Lantaarn twin store (PostgreSQL)",
            description = "Keeps the hub's things in a PostgreSQL database instead of the embedded store.")
    public @interface Config {
        @AttributeDefinition(name = "JDBC URL", description = "jdbc:postgresql://host:port/database (put no password "
                + "in it; use the password setting).")
        String jdbcUrl();

        @AttributeDefinition(name = "User name")
        String username() default "lantaarn";

        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
        String password() default "";

        @AttributeDefinition(name = "Pool size", description = "Connections kept open to the server; concurrent "
                + "writes of different things use one each.", min = "1", max = "100")
        int poolSize() default 8;

        @AttributeDefinition(name = "Schema", description = "The schema holding the things table; created (with its "
                + "table) when missing. Lower-case letters, digits and underscores.")
        String schema() default "lantaarn";

        @AttributeDefinition(name = "Connection timeout (s)", description = "How long a call waits for a connection "
                + "before it fails with a store error.", min = "1")
        int connectionTimeoutSeconds() default 5;
    }

    /** Checked settings; package-private for tests. */
    record Settings(String jdbcUrl, String username, String password, int poolSize, String schema,
            int connectionTimeoutSeconds) {

        Settings {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, e.g. "
                        + "jdbc:postgresql://db.example:5432/lantaarn, not '" + withoutSecrets(jdbcUrl)
                        + "'; set it in " + CFG);
            }
            if (jdbcUrl.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
                throw new IllegalArgumentException("jdbcUrl must not carry a password (it would show in health and "
                        + "logs); set the password setting in " + CFG + " instead");
            }
            if (username == null || username.isBlank()) {
                throw new IllegalArgumentException("username must not be empty; set it in " + CFG);
            }
            if (poolSize < 1 || poolSize > 100) {
                throw new IllegalArgumentException("poolSize must be 1 to 100, not " + poolSize + "; set it in " + CFG);
            }
            if (schema == null || !SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must be lower-case letters, digits and underscores, "
                        + "starting with a letter or underscore, at most 63 characters, not '" + schema
                        + "'; set it in " + CFG);
            }
            if (connectionTimeoutSeconds < 1) {
                throw new IllegalArgumentException("connectionTimeoutSeconds must be 1 or more, not "
                        + connectionTimeoutSeconds + "; set it in " + CFG);
            }
            password = password == null ? "" : password;
        }

        static Settings of(Config config) {
            return new Settings(config.jdbcUrl(), config.username(), config.password(), config.poolSize(),
                    config.schema(), config.connectionTimeoutSeconds());
        }

        /** The URL without query parameters (which may carry credentials), and the schema. */
        String location() {
            return withoutSecrets(jdbcUrl) + " schema " + schema;
        }

        @Override
        public String toString() { // never the password
            return "Settings[" + location() + ", user " + username + ", pool " + poolSize + "]";
        }

        private static String withoutSecrets(String url) {
            if (url == null) {
                return "";
            }
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query);
        }
    }

    private final Settings settings;
    private final String location;
    private final HikariDataSource pool;
    private final String selectAll;
    private final String selectOne;
    private final String upsert;
    private final String deleteOne;
    private volatile boolean migrated;

    @Activate
    public PostgresTwinStore(Config config) {
        this(Settings.of(config));
    }

    PostgresTwinStore(Settings settings) {
        this.settings = settings;
        this.location = settings.location();
        // the driver's DataSource directly, not DriverManager: DriverManager does not see drivers of other bundles
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setURL(settings.jdbcUrl());
        driver.setUser(settings.username());
        driver.setPassword(settings.password());
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(driver);
        hikari.setPoolName("lantaarn-twin-store");
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(settings.connectionTimeoutSeconds() * 1000L);
        hikari.setAutoCommit(true);
        hikari.setInitializationFailTimeout(-1); // register and report, even while the server is down
        this.pool = new HikariDataSource(hikari);
        String table = '"' + settings.schema() + "\".things";
        this.selectAll = "SELECT thing_id, revision, json::text FROM " + table;
        this.selectOne = "SELECT thing_id, revision, json::text FROM " + table + " WHERE thing_id = ?";
        this.upsert = "INSERT INTO " + table + " (thing_id, revision, json, modified) VALUES (?, ?, ?::json, now()) "
                + "ON CONFLICT (thing_id) DO UPDATE SET revision = EXCLUDED.revision, json = EXCLUDED.json, "
                + "modified = EXCLUDED.modified";
        this.deleteOne = "DELETE FROM " + table + " WHERE thing_id = ?";
        // the schema is migrated by the first call (the twin's loadAll at its start), not here: activation must not
        // wait for a server that may be down
        LOG.debug("PostgreSQL twin store at {} started: {}", location, settings);
    }

    @Deactivate
    public void close() {
        pool.close();
        LOG.debug("PostgreSQL twin store at {} closed", location);
    }

    @Override
    public void loadAll(Consumer<StoredThing> sink) {
        migrate();
        try (Connection connection = pool.getConnection()) {
            // a cursor (fetch size with auto-commit off), so that a large table is not read into memory at once
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(selectAll)) {
                statement.setFetchSize(1000);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        sink.accept(row(rows));
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(null, "read the things from", e);
        }
    }

    @Override
    public Optional<StoredThing> get(ThingId thingId) {
        migrate();
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(selectOne)) {
            statement.setString(1, thingId.toString());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(row(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(thingId, "read " + thingId + " from", e);
        }
    }

    @Override
    public void put(StoredThing thing) {
        migrate();
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(upsert)) {
            statement.setString(1, thing.thingId().toString());
            statement.setLong(2, thing.revision());
            statement.setString(3, thing.json());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(thing.thingId(), "write " + thing.thingId() + " to", e);
        }
    }

    @Override
    public void delete(ThingId thingId) {
        migrate();
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(deleteOne)) {
            statement.setString(1, thingId.toString());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(thingId, "delete " + thingId + " from", e);
        }
    }

    Settings settings() {
        return settings;
    }

    @Override
    public String location() {
        return location;
    }

    private static StoredThing row(ResultSet rows) throws SQLException {
        return new StoredThing(ThingId.of(rows.getString(1)), rows.getLong(2), rows.getString(3));
    }

    /** Creates or upgrades the schema once; until that succeeded, every call tries again. */
    private void migrate() {
        if (migrated) {
            return;
        }
        synchronized (this) {
            if (migrated) {
                return;
            }
            try {
                Flyway flyway = Flyway.configure(PostgresTwinStore.class.getClassLoader())
                        .dataSource(pool)
                        .schemas(settings.schema())
                        .defaultSchema(settings.schema())
                        .createSchemas(true)
                        .table("lantaarn_schema_history")
                        .locations(new String[0]) // no classpath scanning: the migrations are the classes below
                        .javaMigrations(new V1__CreateThings())
                        .load();
                int applied = flyway.migrate().migrationsExecuted;
                LOG.debug("PostgreSQL twin store at {}: schema up to date ({} migrations applied)", location, applied);
                migrated = true;
            } catch (FlywayException e) {
                Throwable cause = e;
                while (cause.getCause() != null && !(cause instanceof SQLException)) {
                    cause = cause.getCause();
                }
                throw new TwinStoreException(null, "The PostgreSQL twin store at " + location
                        + " could not create or upgrade its schema: " + message(cause),
                        description(), e);
            }
        }
    }

    private TwinStoreException failure(ThingId thingId, String what, SQLException e) {
        return new TwinStoreException(thingId, "Could not " + what + " the PostgreSQL twin store at " + location
                + ": " + message(e), description(), e);
    }

    private String description() {
        return "Check that the PostgreSQL server of " + withoutSchema() + " answers and that user '"
                + settings.username() + "' may connect and write schema '" + settings.schema()
                + "' (settings jdbcUrl, username, password, schema in " + CFG + "). The store retries on every call.";
    }

    private String withoutSchema() {
        return Settings.withoutSecrets(settings.jdbcUrl());
    }

    /** The message with its SQL state, and the root cause where the pool wraps it (a refused connection). */
    private static String message(Throwable e) {
        String state = e instanceof SQLException sql && sql.getSQLState() != null ? " (SQL state "
                + sql.getSQLState() + ")" : "";
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getMessage() + state + (root == e ? "" : ": " + root.getMessage());
    }
}
