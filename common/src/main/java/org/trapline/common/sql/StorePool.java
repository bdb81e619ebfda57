package org.trapline.common.sql;

import java.nio.file.Path;
import java.util.Map;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcConnectionPool;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A store's connections where {@link StoreSettings} put them, its schema migrated ({@link Migrations}): the
 * H2 file {@code <dataDir>/<store>}, or a pool to the shared database whose schema is the store's. For the
 * stores that need nothing of their database beyond that; one with connection settings of its own (the
 * policy store's lock timeout) opens its pool itself.
 *
 * @param dataSource where the store's statements run
 * @param dialect    which of the store's SQL files to load
 * @param closer     closes the pool
 */
public record StorePool(DataSource dataSource, Dialect dialect, Runnable closer) implements AutoCloseable {

    /** Opens and migrates {@code store}'s database; nothing is left open when that fails. */
    public static StorePool open(Path dataDir, StoreSettings settings, String store, int connections) {
        if (settings.embedded()) {
            JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve(store)
                    + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
            return migrated(new StorePool(pool, Dialect.H2, pool::dispose), store);
        }
        HikariDataSource pool = settings.pool(store, connections, Map.of());
        return migrated(new StorePool(pool, settings.dialect(), pool::close), store);
    }

    /** {@code store}'s schema in the H2 memory database {@code name}, for tests. */
    public static StorePool inMemory(String name, String store) {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
        return migrated(new StorePool(pool, Dialect.H2, pool::dispose), store);
    }

    private static StorePool migrated(StorePool pool, String store) {
        try {
            Migrations.migrate(pool.dataSource(), pool.dialect(), store);
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public void close() {
        closer.run();
    }
}
