package org.trapline.enforcement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Map;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.Migrations;
import org.trapline.common.sql.StoreSettings;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The policy database {@code <data>/policy}: an H2 file migrated by Flyway from {@code db/policy/h2}
 * ({@link Dialect#migrations}), behind a small connection pool (opening an H2 file per statement would
 * cost more than the work); {@link H2PolicyDialect} speaks to it. With {@code store.url} it is the schema
 * {@value #STORE} of the shared PostgreSQL database instead, spoken to by {@link PostgresPolicyDialect}. Embedded only: the process that owns the data directory opens it (commands beside a running server
 * run inside that server).
 */
public final class PolicyDatabase implements AutoCloseable {

    /** The store's name in resource paths ({@code db/policy/<dialect>/}, {@code sql/policy/<dialect>.sql}). */
    static final String STORE = "policy";
    /**
     * How long a decision waits for another one on the same subscriber or on the brake (row locks) before
     * it fails; H2's own default is short for a machine busy with an SMTP burst.
     */
    static final int LOCK_TIMEOUT_MS = 10_000;
    /** The pipeline's decisions, the desk's and the expiry timer's, each a short transaction. */
    private static final int CONNECTIONS = 10;

    private final Runnable closePool;
    private final Jdbi jdbi;

    private PolicyDatabase(DataSource pool, Runnable closePool) {
        this.closePool = closePool;
        this.jdbi = Jdbi.create(pool);
    }

    /**
     * Opens (creating and migrating if needed) the policy database where {@code store} says: H2 in
     * {@code <dataDir>/policy}, or the shared PostgreSQL database (schema {@value #STORE}), whose
     * connections wait {@link #LOCK_TIMEOUT_MS} for a row lock as H2's do.
     */
    public static PolicyDatabase open(Path dataDir, StoreSettings store) {
        if (store.embedded()) {
            return open(dataDir);
        }
        HikariDataSource pool = store.pool(STORE, CONNECTIONS, Map.of("lock_timeout", Integer.toString(LOCK_TIMEOUT_MS)));
        try {
            Migrations.migrate(pool, store.dialect(), STORE);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new PolicyDatabase(pool, pool::close);
    }

    /** Opens (creating and migrating if needed) {@code <dataDir>/policy}. */
    public static PolicyDatabase open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        JdbcConnectionPool pool = JdbcConnectionPool.create(
                "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("policy") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=" + LOCK_TIMEOUT_MS, "sa", "");
        try {
            // Flyway tells migrations apart by version and checksum, not by folder: a database migrated when
            // they lay in db/policy/ validates against db/policy/h2/ as it is.
            Migrations.migrate(pool, Dialect.H2, STORE);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return new PolicyDatabase(pool, pool::dispose);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        closePool.run();
    }
}
