package org.trapline.enforcement;

import java.util.Objects;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The policy store on a JDBC database through Jdbi, its SQL from the {@link PolicyDialect}'s resources. */
final class SqlPolicyStore implements PolicyStore {

    private final Jdbi db;
    private final PolicyDialect dialect;

    SqlPolicyStore(Jdbi db, PolicyDialect dialect) {
        this.db = Objects.requireNonNull(db, "db");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    @Override
    public <T> T inTransaction(Work<T> work) {
        return db.inTransaction(h -> run(h, work));
    }

    @Override
    public <T> T read(Work<T> work) {
        return db.withHandle(h -> run(h, work));
    }

    private <T> T run(Handle h, Work<T> work) {
        return work.run(new SqlStrikeRepository(h, dialect), new SqlActionRepository(h, dialect.statements()));
    }
}
