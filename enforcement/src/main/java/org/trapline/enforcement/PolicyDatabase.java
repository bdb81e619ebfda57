package org.trapline.enforcement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.trapline.common.sql.Dialect;

/**
 * The policy database {@code <data>/policy}: an H2 file migrated by Flyway from {@code db/policy/h2}
 * ({@link Dialect#migrations}), behind a small connection pool (opening an H2 file per statement would
 * cost more than the work); {@link H2PolicyDialect} speaks to it. Embedded only: the process that owns the data directory opens it (commands beside a running server
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

    private final JdbcConnectionPool pool;
    private final Jdbi jdbi;

    private PolicyDatabase(JdbcConnectionPool pool) {
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
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
            Flyway.configure().dataSource(pool).locations(Dialect.H2.migrations(STORE)).load().migrate();
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return new PolicyDatabase(pool);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
