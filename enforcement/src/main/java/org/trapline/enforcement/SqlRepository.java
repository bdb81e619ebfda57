package org.trapline.enforcement;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;
import org.trapline.common.sql.Statements;

/** A repository of the policy store inside one transaction's handle, running statements by name. */
abstract class SqlRepository {

    final Handle h;
    private final Statements sql;

    SqlRepository(Handle h, Statements sql) {
        this.h = h;
        this.sql = sql;
    }

    final Query query(String name) {
        return h.createQuery(sql.get(name));
    }

    final Update update(String name) {
        return h.createUpdate(sql.get(name));
    }
}
