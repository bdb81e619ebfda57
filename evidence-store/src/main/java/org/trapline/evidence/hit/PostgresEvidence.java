package org.trapline.evidence.hit;

import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;

import org.trapline.common.sql.StoreSettings;

/**
 * The hits in the shared PostgreSQL database of {@code store.url}, in the schema {@value SqlHitStore#STORE}:
 * what PostgreSQL does its own way is in its resources, {@code sql/evidence/postgresql.sql} and
 * {@code db/evidence/postgresql/}. A commit is durable there, so {@code syncToDisk} has nothing to do.
 * The raw messages and the search index stay files under the data directory.
 */
public final class PostgresEvidence {
    /** As many as H2's pool: the pipeline's writers, the desk's readers and the inserter's own. */
    private static final int CONNECTIONS = 16;

    private PostgresEvidence() {
    }

    public static HitStore open(StoreSettings store) {
        HikariDataSource pool = store.pool(SqlHitStore.STORE, CONNECTIONS, Map.of());
        try {
            return new SqlHitStore(pool, pool::close, store.dialect());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
