package org.trapline.common.sql;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * Migrates a store's schema from {@code db/<store>/<dialect>/} ({@link Dialect#migrations}). On a shared
 * database each store has a schema of its own, named after it, holding its tables and its own Flyway
 * history, so two stores' version 1 never collide; an H2 file holds one store and keeps its history where
 * it always had it.
 */
public final class Migrations {
    private Migrations() {
    }

    public static void migrate(DataSource dataSource, Dialect dialect, String store) {
        var flyway = Flyway.configure().loggers("slf4j").dataSource(dataSource).locations(dialect.migrations(store));
        if (dialect != Dialect.H2) {
            flyway.schemas(store).createSchemas(true);
        }
        flyway.load().migrate();
    }
}
