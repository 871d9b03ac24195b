package nl.lantaarn.twin.store.postgres.internal;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The first schema version: one row per thing. A Java migration handed to Flyway explicitly, because Flyway's classpath
 * scanning for SQL files does not see into an OSGi bundle reliably. Never change it once released: add a V2.
 * <p>
 * {@code json} is of type {@code json}, not {@code jsonb}: the store must give back exactly the text it was given
 * (Ditto's field order, which the APIs show), and jsonb reorders keys. Nothing queries inside the documents (search
 * runs in the hub's memory), so no GIN index; a jsonb expression index can be added in a later version if that
 * changes. The primary key is the only index {@code get}, {@code put} and {@code delete} need.
 */
public class V1__CreateThings extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            // unqualified: Flyway sets the search path to the configured schema
            statement.execute("CREATE TABLE things ("
                    + "thing_id text PRIMARY KEY, "
                    + "revision bigint NOT NULL CHECK (revision >= 1), "
                    + "json json NOT NULL, "
                    + "modified timestamptz NOT NULL DEFAULT now())");
        }
    }
}
