package org.trapline.attribution.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.h2.jdbcx.JdbcConnectionPool;
import org.trapline.common.sql.Dialect;

/**
 * The session store in an embedded H2 database, {@code <dataDir>/sessions/radacct}: what H2 does its own way
 * is here and in its resources, {@code sql/sessions/h2.sql} and {@code db/sessions/h2/}.
 *
 * <ul>
 *   <li>Commits reach the file within half a second (WRITE_DELAY) rather than each at once: writing each
 *       commit would cost more than the merge itself at accounting rates, and every writer can replay what
 *       it wrote (see {@link SessionStore}); {@code CHECKPOINT SYNC} is the store's sync to disk.</li>
 *   <li>Keyed writes are {@code MERGE ... KEY}.</li>
 *   <li>H2 has no partial indexes: IPv6 addresses and prefixes, the sessions of a NAS that a reboot may
 *       close and a subscriber's open sessions are found through {@code trapline_session_key}, which the
 *       trigger {@link SessionKeysTrigger} (migration V6) keeps in step with every write to radacct.</li>
 * </ul>
 */
final class H2Sessions {
    private H2Sessions() {
    }

    /**
     * Opens (creating and migrating as needed) the store in {@code <dataDir>/sessions}. Embedded only: the
     * process that owns the data directory opens it.
     */
    static SessionStore open(Path dataDir) {
        Path dir = dataDir.resolve(SessionStore.DIRECTORY);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create session store directory " + dir + ": " + e.getMessage(), e);
        }
        return open("jdbc:h2:file:" + dir.toAbsolutePath().resolve("radacct") + ";WRITE_DELAY=500;DB_CLOSE_ON_EXIT=FALSE");
    }

    static SessionStore inMemory(String name) {
        return open("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    }

    private static SessionStore open(String url) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        try {
            return new SqlSessionStore(pool, pool::dispose, Dialect.H2);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
    }
}
