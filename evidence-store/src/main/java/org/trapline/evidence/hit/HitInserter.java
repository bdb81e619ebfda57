package org.trapline.evidence.hit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import org.trapline.evidence.TrapHit;
import org.trapline.evidence.raw.RawLocation;

/**
 * Inserts trap hit rows, once per intake key, on one long-lived connection with one prepared
 * statement. The trap MX records every hit through here, so it skips what a fresh handle costs per call
 * (a pooled connection, parsing the SQL again, a look-up before the insert): the unique constraint on
 * the intake key, not a prior SELECT, is what makes a replay harmless.
 *
 * <p>Calls are serialised; H2 takes one writer at a time anyway.
 */
public final class HitInserter implements AutoCloseable {
    private static final String DUPLICATE_KEY_STATE = "23505";
    private static final String INSERT = "INSERT INTO trap_hit (id, intake_key, received_at, recorded_at, envelope_sender, "
            + "trap_recipients, helo, client_ip, origin_ip, origin_time, origin_helo, attribution_status, subscriber, "
            + "session_id, nas_ip, trace_json, sha256, size, subject, message_id, raw_pack, raw_offset) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String KEPT_COPY = "SELECT raw_pack, raw_offset FROM trap_hit WHERE sha256 = ? "
            + "AND raw_purged_at IS NULL AND raw_pack IS NOT NULL LIMIT 1";

    private final DataSource dataSource;
    private final HitRepository hits;
    private Connection connection;
    private PreparedStatement insert;
    private PreparedStatement keptCopy;

    public HitInserter(DataSource dataSource, HitRepository hits) {
        this.dataSource = dataSource;
        this.hits = hits;
    }

    /** Result of {@link #insertOnce}: the row's id and whether this call inserted it. */
    public record Inserted(long id, boolean isNew) {
    }

    /**
     * Inserts the hit under {@code id} unless its intake key is already there; either way returns the
     * row's id (a replay's row keeps the id it was first stored with). The row is committed when this returns.
     */
    public synchronized Inserted insertOnce(long id, HitRow row, Instant recordedAt) {
        try {
            PreparedStatement ps = statement();
            ps.setLong(1, id);
            bind(ps, row, recordedAt);
            ps.executeUpdate();
            return new Inserted(id, true);
        } catch (SQLException e) {
            if (DUPLICATE_KEY_STATE.equals(e.getSQLState())) {
                // A replay of an intake already recorded: its row is ours.
                return new Inserted(hits.idByIntakeKey(row.hit().intakeKey())
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
    public synchronized Optional<RawLocation> keptCopy(String sha256) {
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
            insert = connection.prepareStatement(INSERT);
            keptCopy = connection.prepareStatement(KEPT_COPY);
        }
        return insert;
    }

    private static void bind(PreparedStatement ps, HitRow row, Instant recordedAt) throws SQLException {
        TrapHit hit = row.hit();
        ps.setString(2, hit.intakeKey());
        ps.setObject(3, HitRepository.utc(hit.receivedAt()));
        ps.setObject(4, HitRepository.utc(recordedAt));
        ps.setString(5, HitRepository.clip(hit.envelopeSender(), 2000));
        ps.setString(6, HitRepository.recipients(hit.trapRecipients()));
        ps.setString(7, HitRepository.clip(hit.helo(), 2000));
        ps.setString(8, HitRepository.clip(hit.clientIp(), 64));
        ps.setString(9, HitRepository.clip(hit.originIp(), 64));
        ps.setObject(10, HitRepository.utc(hit.originTime()));
        ps.setString(11, HitRepository.clip(hit.originHelo(), 2000));
        ps.setString(12, HitRepository.clip(hit.attributionStatus(), 64));
        ps.setString(13, HitRepository.clip(hit.subscriber(), 500));
        ps.setString(14, HitRepository.clip(hit.sessionId(), 500));
        ps.setString(15, HitRepository.clip(hit.nasIp(), 64));
        ps.setString(16, HitRepository.trace(hit.traceJson()));
        ps.setString(17, row.sha256());
        ps.setLong(18, row.size());
        ps.setString(19, HitRepository.clip(row.subject(), 1000));
        ps.setString(20, HitRepository.clip(row.messageId(), 1000));
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
