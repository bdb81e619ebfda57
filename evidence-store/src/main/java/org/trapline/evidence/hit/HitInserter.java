package org.trapline.evidence.hit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import javax.sql.DataSource;

import org.trapline.common.sql.Statements;
import org.trapline.evidence.TrapHit;
import org.trapline.evidence.raw.RawLocation;

/**
 * Inserts trap hit rows, once per intake key, on one long-lived connection with one prepared
 * statement. The trap MX records every hit through here, so it skips what a fresh handle costs per call
 * (a pooled connection, parsing the SQL again, a look-up before the insert): the unique constraint on
 * the intake key, not a prior SELECT, is what makes a replay harmless.
 *
 * <p>Calls are serialised: they share the one connection.
 */
final class HitInserter implements AutoCloseable {
    /** SQLSTATE of a unique violation, the same in every dialect (SQL standard). */
    private static final String DUPLICATE_KEY_STATE = "23505";

    private final DataSource dataSource;
    private final String insertHit;
    private final String keptCopyOf;
    private final Function<String, Optional<Long>> idByIntakeKey;
    private Connection connection;
    private PreparedStatement insert;
    private PreparedStatement keptCopy;

    HitInserter(DataSource dataSource, Statements sql, Function<String, Optional<Long>> idByIntakeKey) {
        this.dataSource = dataSource;
        this.insertHit = sql.get("insert_hit");
        this.keptCopyOf = sql.get("kept_copy");
        this.idByIntakeKey = idByIntakeKey;
    }

    /**
     * Inserts the hit under {@code id} unless its intake key is already there; either way returns the
     * row's id (a replay's row keeps the id it was first stored with). The row is committed when this returns.
     */
    synchronized HitStore.Inserted insertOnce(long id, HitRow row, Instant recordedAt) {
        try {
            PreparedStatement ps = statement();
            ps.setLong(1, id);
            bind(ps, row, recordedAt);
            ps.executeUpdate();
            return new HitStore.Inserted(id, true);
        } catch (SQLException e) {
            if (DUPLICATE_KEY_STATE.equals(e.getSQLState())) {
                // A replay of an intake already recorded: its row is ours.
                return new HitStore.Inserted(idByIntakeKey.apply(row.hit().intakeKey())
                        .orElseThrow(() -> new IllegalStateException("duplicate intake key without a row", e)), false);
            }
            // Start over on a fresh connection next time, whatever state this one is in.
            closeQuietly();
            throw new IllegalStateException("cannot insert trap hit " + row.hit().intakeKey() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a kept copy of the message with that hash is, if any hit still keeps one: the same bytes are
     * stored once.
     */
    synchronized Optional<RawLocation> keptCopy(String sha256) {
        try {
            statement();
            keptCopy.setString(1, sha256);
            try (ResultSet rs = keptCopy.executeQuery()) {
                return rs.next() ? Optional.of(RawLocation.of(rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            closeQuietly();
            throw new IllegalStateException("cannot look up raw message " + sha256 + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private PreparedStatement statement() throws SQLException {
        if (insert == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            insert = connection.prepareStatement(insertHit);
            keptCopy = connection.prepareStatement(keptCopyOf);
        }
        return insert;
    }

    private static void bind(PreparedStatement ps, HitRow row, Instant recordedAt) throws SQLException {
        TrapHit hit = row.hit();
        ps.setString(2, hit.intakeKey());
        ps.setObject(3, SqlHitStore.utc(hit.receivedAt()));
        ps.setObject(4, SqlHitStore.utc(recordedAt));
        ps.setString(5, SqlHitStore.clip(hit.envelopeSender(), 2000));
        ps.setString(6, SqlHitStore.recipients(hit.trapRecipients()));
        ps.setString(7, SqlHitStore.clip(hit.helo(), 2000));
        ps.setString(8, SqlHitStore.clip(hit.clientIp(), 64));
        ps.setString(9, SqlHitStore.clip(hit.originIp(), 64));
        ps.setObject(10, SqlHitStore.utc(hit.originTime()));
        ps.setString(11, SqlHitStore.clip(hit.originHelo(), 2000));
        ps.setString(12, SqlHitStore.clip(hit.attributionStatus(), 64));
        ps.setString(13, SqlHitStore.clip(hit.subscriber(), 500));
        ps.setString(14, SqlHitStore.clip(hit.sessionId(), 500));
        ps.setString(15, SqlHitStore.clip(hit.nasIp(), 64));
        ps.setString(16, SqlHitStore.trace(hit.traceJson()));
        ps.setString(17, row.sha256());
        ps.setLong(18, row.size());
        ps.setString(19, SqlHitStore.clip(row.subject(), 1000));
        ps.setString(20, SqlHitStore.clip(row.messageId(), 1000));
        ps.setLong(21, row.raw().pack());
        ps.setLong(22, row.raw().offset());
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // the connection is being dropped anyway
        } finally {
            connection = null;
            insert = null;
            keptCopy = null;
        }
    }
}
