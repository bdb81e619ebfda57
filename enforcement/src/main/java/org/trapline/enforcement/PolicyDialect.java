package org.trapline.enforcement;

import java.time.Instant;

import org.jdbi.v3.core.Handle;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.Statements;

/**
 * What the policy database's SQL differs in from one dialect to another. The statements themselves are
 * resources ({@code sql/policy/<dialect>.sql}, {@link #statements}) and so are the migrations
 * ({@code db/policy/<dialect>/}); what a dialect does its own way in Java is a method here.
 */
interface PolicyDialect {

    Dialect dialect();

    /** The named statements of the policy store in this dialect. */
    Statements statements();

    /**
     * Adds the row of a subscriber seen for the first time ({@code strikes.add}) unless there is one;
     * when another transaction is adding it at the same time, returns once that one has committed, so
     * that the row can be locked.
     */
    void addSubscriber(Handle h, String subscriber, Instant now);
}
