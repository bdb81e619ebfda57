package org.trapline.evidence.hit;

import java.nio.file.Path;

import org.h2.jdbcx.JdbcConnectionPool;
import org.trapline.common.sql.Dialect;

/**
 * The hits in an embedded H2 database, {@code <dataDir>/evidence}: what H2 does its own way is here and in
 * its resources, {@code sql/evidence/h2.sql} and {@code db/evidence/h2/}.
 *
 * <p>H2 writes commits behind (WRITE_DELAY default, 500 ms) instead of one ~32 KB chunk per commit; the
 * evidence store's {@code record()} syncs ({@code CHECKPOINT SYNC}) before it returns, and the pipeline's
 * {@code recordDeferringSync()} hits are synced by {@code sync()} before their spooled copies are released,
 * so a kill -9 in between is covered by the spool's replay. MAX_COMPACT_TIME lets close() compact the file.
 * Embedded only, never AUTO_SERVER (a TCP listener any local user could reach): the one process that owns
 * the data directory opens it, and commands beside a running server run inside it.
 */
public final class H2Evidence {
    private H2Evidence() {
    }

    /** Opens (creating and migrating as needed) the hits of the data directory {@code dataDir}. */
    public static HitStore open(Path dataDir) {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dataDir.resolve("evidence")
                + ";MAX_COMPACT_TIME=2000;DB_CLOSE_ON_EXIT=FALSE", "sa", "");
        pool.setMaxConnections(16);
        try {
            return new SqlHitStore(pool, pool::dispose, Dialect.H2);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
    }
}
