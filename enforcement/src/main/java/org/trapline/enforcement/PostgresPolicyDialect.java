package org.trapline.enforcement;

import java.time.Instant;

import org.jdbi.v3.core.Handle;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.Statements;

/** The policy database in PostgreSQL 15+, as {@link PolicyDatabase} opens it on {@code store.url}. */
final class PostgresPolicyDialect implements PolicyDialect {

    private final Statements statements = Statements.load(PostgresPolicyDialect.class, PolicyDatabase.STORE, Dialect.POSTGRESQL);

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public Statements statements() {
        return statements;
    }

    /**
     * {@code INSERT ... ON CONFLICT DO NOTHING}: a failed statement would end a PostgreSQL transaction, so
     * the race of two first hits is the database's to settle. The second insert waits for the first
     * transaction and, once it committed, does nothing.
     */
    @Override
    public void addSubscriber(Handle h, String subscriber, Instant now) {
        h.createUpdate(statements.get("strikes.add")).bind("s", subscriber).bind("now", now.toEpochMilli()).execute();
    }
}
