package org.trapline.enforcement;

import java.sql.SQLException;
import java.time.Instant;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.Statements;

/** The policy database in H2 2.x (MVStore), as {@link PolicyDatabase} opens it. */
final class H2PolicyDialect implements PolicyDialect {

    /** SQLSTATE of a unique violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Statements statements = Statements.load(H2PolicyDialect.class, PolicyDatabase.STORE, Dialect.H2);

    @Override
    public Dialect dialect() {
        return Dialect.H2;
    }

    @Override
    public Statements statements() {
        return statements;
    }

    /**
     * H2 has no {@code INSERT ... ON CONFLICT DO NOTHING} outside its PostgreSQL mode. Its insert of a key
     * that another transaction inserted and has not committed waits for that transaction, and once it
     * committed fails with a unique violation; a failed statement does not end an H2 transaction, so
     * that failure means what it says: the row is there now.
     */
    @Override
    public void addSubscriber(Handle h, String subscriber, Instant now) {
        try {
            h.createUpdate(statements.get("strikes.add")).bind("s", subscriber).bind("now", now.toEpochMilli()).execute();
        } catch (UnableToExecuteStatementException e) {
            if (!(e.getCause() instanceof SQLException sql) || !UNIQUE_VIOLATION.equals(sql.getSQLState())) throw e;
        }
    }
}
