package org.trapline.attribution.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.h2.api.Trigger;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.Statements;

/**
 * Keeps {@code trapline_session_key} (migration V6) in step with {@code radacct}: one entry for each IPv6
 * address or prefix a session has, one for each session whose Stop was not seen (keyed by its NAS, for
 * Accounting-On/Off), and one for each session without a stop time (keyed by its User-Name, for the
 * subscriber's current session). PostgreSQL would use partial indexes here; H2 has none, and an index over
 * radacct itself holds an entry for every row, key or not: a detail import spent a fifth of its time putting
 * NULL-keyed entries for IPv4-only, stopped sessions into four such indexes. Being a trigger, it sees every
 * write to radacct, Trapline's or anyone's SQL, in the writer's own transaction, so the keys can never
 * disagree with the rows.
 *
 * <pre>
 * CREATE TRIGGER trapline_session_key_sync AFTER INSERT, UPDATE, DELETE ON radacct
 *     FOR EACH ROW CALL 'org.trapline.attribution.session.SessionKeysTrigger'
 * </pre>
 *
 * H2 makes one instance per trigger and calls {@link #init} before any {@link #fire}; {@code fire} may then
 * run for several sessions at once, so the instance holds nothing but the column positions {@code init}
 * found and its statements. *
 * <p>This is H2's way of keeping the session store (see {@link H2Sessions}); the store's contract and its
 * dialect-neutral code know nothing of it, and H2's statements ({@code sql/sessions/h2.sql}) read the
 * table it fills. Its name stays where it is: V6 and every database V6 created call it by that name.
 */
public final class SessionKeysTrigger implements Trigger {
    /** An entry's id is {@code radacctid * IDS_PER_SESSION + kind code}, as migration V6 writes it. */
    public static final int IDS_PER_SESSION = 8;

    /** What an entry is keyed by; its code is the entry's {@code kind}. The IPv6 kinds are contiguous (one range in a query). */
    public enum Kind {
        /** nasipaddress of a session whose Stop was not seen; no times (Accounting-On/Off reads the row). */
        OPEN_NAS(0, "nasipaddress"),
        FRAMED_IPV6_ADDRESS(1, "framedipv6address"),
        FRAMED_IPV6_PREFIX(2, "framedipv6prefix"),
        DELEGATED_IPV6_PREFIX(3, "delegatedipv6prefix"),
        /** username of a session without a stop time; no times (the query reads the rows). */
        OPEN_USER(4, "username");

        public final int code;
        private final String column;

        Kind(int code, String column) {
            this.code = code;
            this.column = column;
        }
    }

    /** What the index holds for one key of one session. */
    private record Entry(String key, Object start, Object update, Object stop, Object stopSeen) {
    }

    /** Its statements, from sql/sessions/h2.sql, read at {@link #init}. */
    private String insertKey;
    private String updateKey;
    private String deleteKey;
    /** Positions in the row arrays H2 passes, found by name at {@link #init}. */
    private int id;
    private int start;
    private int update;
    private int stop;
    private int stopSeen;
    private final int[] keyColumns = new int[Kind.values().length];

    /** For H2, which instantiates triggers by class name. */
    public SessionKeysTrigger() {
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        Statements sql = Statements.load(SessionKeysTrigger.class, SqlSessionStore.STORE, Dialect.H2);
        insertKey = sql.get("insert_session_key");
        updateKey = sql.get("update_session_key");
        deleteKey = sql.get("delete_session_key");
        Map<String, Integer> positions = new HashMap<>();
        try (ResultSet rs = conn.getMetaData().getColumns(null, schemaName, tableName, null)) {
            while (rs.next()) {
                positions.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("ORDINAL_POSITION") - 1);
            }
        }
        id = position(positions, "radacctid");
        start = position(positions, "acctstarttime");
        update = position(positions, "acctupdatetime");
        stop = position(positions, "acctstoptime");
        stopSeen = position(positions, "trapline_stop_seen");
        for (Kind k : Kind.values()) {
            keyColumns[k.ordinal()] = position(positions, k.column);
        }
    }

    private static int position(Map<String, Integer> positions, String column) throws SQLException {
        Integer p = positions.get(column);
        if (p == null) {
            throw new SQLException("radacct has no column " + column + " for the session keys");
        }
        return p;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        long oldId = oldRow == null ? -1 : ((Number) oldRow[id]).longValue();
        long newId = newRow == null ? -1 : ((Number) newRow[id]).longValue();
        for (Kind k : Kind.values()) {
            Entry was = entry(oldRow, k);
            Entry is = entry(newRow, k);
            if (was != null && (is == null || oldId != newId)) {
                delete(conn, oldId * IDS_PER_SESSION + k.code);
                was = null;
            }
            if (is != null && !is.equals(was)) {
                if (was == null) {
                    insert(conn, newId * IDS_PER_SESSION + k.code, k, is);
                } else {
                    update(conn, newId * IDS_PER_SESSION + k.code, is);
                }
            }
        }
    }

    private Entry entry(Object[] row, Kind k) {
        if (row == null) {
            return null;
        }
        Object key = row[keyColumns[k.ordinal()]];
        if (key == null) {
            return null;
        }
        if (k == Kind.OPEN_NAS) {
            return Boolean.TRUE.equals(row[stopSeen]) ? null : new Entry(key.toString(), null, null, null, null);
        }
        if (k == Kind.OPEN_USER) {
            return row[stop] != null ? null : new Entry(key.toString(), null, null, null, null);
        }
        return new Entry(key.toString(), row[start], row[update], row[stop], row[stopSeen]);
    }

    private void insert(Connection conn, long entryId, Kind k, Entry e) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(insertKey)) {
            st.setLong(1, entryId);
            st.setInt(2, k.code);
            st.setString(3, e.key());
            st.setObject(4, e.start());
            st.setObject(5, e.update());
            st.setObject(6, e.stop());
            st.setObject(7, e.stopSeen());
            st.executeUpdate();
        }
    }

    private void update(Connection conn, long entryId, Entry e) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(updateKey)) {
            st.setString(1, e.key());
            st.setObject(2, e.start());
            st.setObject(3, e.update());
            st.setObject(4, e.stop());
            st.setObject(5, e.stopSeen());
            st.setLong(6, entryId);
            st.executeUpdate();
        }
    }

    private void delete(Connection conn, long entryId) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(deleteKey)) {
            st.setLong(1, entryId);
            st.executeUpdate();
        }
    }
}
