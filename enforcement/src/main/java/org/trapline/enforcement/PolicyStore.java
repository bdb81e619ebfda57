package org.trapline.enforcement;

import java.sql.SQLException;

import org.jdbi.v3.core.Jdbi;
import org.trapline.common.sql.Dialect;

/**
 * The policy database as decisions use it: a transaction hands out the {@link StrikeRepository} and the
 * {@link ActionRepository} bound to it, so a decision, the standing it leaves and its journal entries
 * commit together or not at all.
 *
 * <p>Locks, all row locks of the database's own, held until the transaction ends, so they hold for
 * every process on the database and not only for one JVM:
 * <ol>
 *   <li>A subscriber's row of the strike store ({@link StrikeRepository#lock}) stands for their standing,
 *       their counted hits and their actions in the journal. Every transaction that changes any of those
 *       (a hit, expiry, unblock, confirm, dismiss, retry, recording what became of an action) locks it
 *       first and reads what it decides on after that. Where one transaction locks several subscribers
 *       (expiry), it locks them in the order {@link StrikeRepository#blockEndedBy} gives, one at a time.</li>
 *   <li>The brake ({@link ActionRepository#lockBrake}) is locked last: after any subscriber, by every
 *       transaction that reads the switch or counts the last hour's automatic actions, engages or
 *       releases a brake; it is held while the actions it let run are journaled, so their count is
 *       exact for whoever locks it next.</li>
 * </ol>
 * A transaction holding the brake never waits for a subscriber, and one holding a subscriber waits only
 * for subscribers after it in that order or for the brake: no cycle of waits, no deadlock. Staff's reads
 * ({@link #read}) lock nothing and see what was last committed.
 */
interface PolicyStore {

    /** What runs in a transaction, with the stores bound to it. */
    @FunctionalInterface
    interface Work<T> {
        T run(StrikeRepository strikes, ActionRepository actions);
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Work<T> work);

    /** Runs {@code work} outside a transaction of its own (reads; nothing is locked). */
    <T> T read(Work<T> work);

    /** The policy database behind {@code db} ({@link PolicyDatabase}), in the dialect its driver reports. */
    static PolicyStore of(Jdbi db) {
        Dialect dialect;
        try {
            dialect = db.withHandle(h -> Dialect.of(h.getConnection().getMetaData().getDatabaseProductName()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell the policy database's dialect: " + e.getMessage(), e);
        }
        return new SqlPolicyStore(db, switch (dialect) {
            case H2 -> new H2PolicyDialect();
            case POSTGRESQL -> new PostgresPolicyDialect();
        });
    }
}
