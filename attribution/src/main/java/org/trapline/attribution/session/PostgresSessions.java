package org.trapline.attribution.session;

import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;

import org.trapline.common.sql.StoreSettings;

/**
 * The session store in the shared PostgreSQL database of {@code store.url}, in the schema
 * {@value SqlSessionStore#STORE}: what PostgreSQL does its own way is in its resources,
 * {@code sql/sessions/postgresql.sql} (upserts by {@code ON CONFLICT}, partial indexes for the IPv6 and
 * open-session lookups, a commit that is durable by itself) and {@code db/sessions/postgresql/}.
 */
final class PostgresSessions {
    private static final int CONNECTIONS = 10;

    private PostgresSessions() {
    }

    static SessionStore open(StoreSettings store) {
        HikariDataSource pool = store.pool(SqlSessionStore.STORE, CONNECTIONS, Map.of());
        try {
            return new SqlSessionStore(pool, pool::close, store.dialect());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
