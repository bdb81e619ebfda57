package org.trapline.attribution.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import javax.sql.DataSource;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.Migrations;
import org.trapline.common.sql.Statements;

/**
 * The {@link SessionStore} over JDBC in any dialect: the merge of records into rows, NAS reboots and the
 * bulk load are here, once; every statement is named and read from the dialect's {@code sql/sessions/<dialect>.sql},
 * and the schema is migrated from {@code db/sessions/<dialect>/}. Nothing here is one dialect's SQL.
 */
final class SqlSessionStore implements SessionStore {
    /** The store's name in resource paths. */
    static final String STORE = "sessions";

    private final Runnable closeDataSource;
    private final Jdbi jdbi;
    private final Statements sql;
    /** {@code sessions_by_unique_ids} for 1, 2, 4, ... {@link #LOAD_CHUNK} keys. */
    private final String[] loadByUniqueId;
    private final String insertSession;
    private final String updateSession;
    private final Map<String, NavigableSet<Instant>> reboots = new ConcurrentHashMap<>();
    private final Set<Integer> ipv6PrefixLengths = new ConcurrentSkipListSet<>();
    private final Object writeLock = new Object();

    /** Migrates the database behind {@code dataSource} and opens the store on it; {@code closeDataSource} runs at {@link #close}. */
    SqlSessionStore(DataSource dataSource, Runnable closeDataSource, Dialect dialect) {
        this.closeDataSource = closeDataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.sql = Statements.load(SqlSessionStore.class, STORE, dialect);
        this.loadByUniqueId = loadByUniqueId(sql.get("sessions_by_unique_ids"));
        this.insertSession = sql.get("insert_session");
        this.updateSession = sql.get("update_session");
        Migrations.migrate(dataSource, dialect, STORE);
        jdbi.useHandle(h -> {
            h.createQuery(sql.get("nas_reboots"))
                    .map((rs, ctx) -> Map.entry(rs.getString(1), instant(rs, 2)))
                    .forEach(e -> reboots.computeIfAbsent(e.getKey(), k -> new ConcurrentSkipListSet<>()).add(e.getValue()));
            ipv6PrefixLengths.addAll(h.createQuery(sql.get("ipv6_prefix_lengths")).mapTo(Integer.class).list());
        });
    }

    @Override
    public void apply(List<AccountingEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        apply(events, null, 0);
    }

    @Override
    public void applyJournal(List<AccountingEvent> events, String journal, long position) {
        apply(events, journal, position);
    }

    @Override
    public long journalPosition(String journal) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("journal_position"))
                .bind("j", journal).mapTo(Long.class).findOne().orElse(0L));
    }

    @Override
    public void syncToDisk() {
        jdbi.useHandle(h -> h.execute(sql.get("sync_to_disk")));
    }

    private void apply(List<AccountingEvent> events, String journal, long journalPosition) {
        synchronized (writeLock) {
            // Reboots seen in this batch join the known ones only once committed, so a failed batch
            // that is retried still records them.
            Map<String, NavigableSet<Instant>> newReboots = new HashMap<>();
            jdbi.useTransaction(h -> {
                newReboots.clear();
                Map<String, SessionRow> rows = load(h, events);
                for (AccountingEvent e : events) {
                    if (e.status().closesNas()) {
                        NavigableSet<Instant> known = reboots.get(e.nasIpAddress());
                        if (known == null || !known.contains(e.eventTime())) {
                            newReboots.computeIfAbsent(e.nasIpAddress(), k -> new TreeSet<>()).add(e.eventTime());
                        }
                    } else if (e.status() != AccountingStatus.OTHER) {
                        rows.computeIfAbsent(SessionStore.uniqueId(e.nasIpAddress(), e.acctSessionId()),
                                id -> new SessionRow(id, e.acctSessionId(), e.nasIpAddress())).merge(e);
                    }
                }
                for (SessionRow row : rows.values()) {
                    row.applyReboots(rebootsOf(row.nasIpAddress, newReboots));
                }
                write(h, rows.values());
                for (Map.Entry<String, NavigableSet<Instant>> e : newReboots.entrySet()) {
                    for (Instant at : e.getValue()) {
                        closeForReboot(h, e.getKey(), at);
                    }
                }
                if (journal != null) {
                    h.createUpdate(sql.get("save_journal_position"))
                            .bind("j", journal).bind("p", journalPosition).execute();
                }
            });
            newReboots.forEach((nas, times) -> reboots.computeIfAbsent(nas, k -> new ConcurrentSkipListSet<>()).addAll(times));
        }
    }

    @Override
    public SessionBulkLoad bulkLoad(SessionBulkLoad.Limits limits) {
        return new SessionBulkLoad(this, jdbi.open(), limits);
    }

    /**
     * Writes sessions folded in memory from records (each row as if its records had been applied in
     * order after what the store holds), and Accounting-On/Off records, in one transaction. The rows
     * are not changed except for the stop a NAS reboot gives them, so a failed call can be repeated.
     */
    void applyFolded(Handle handle, Collection<SessionRow> folded, List<AccountingEvent> nasEvents) {
        if (folded.isEmpty() && nasEvents.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            Map<String, NavigableSet<Instant>> newReboots = new HashMap<>();
            handle.useTransaction(h -> {
                newReboots.clear();
                for (AccountingEvent e : nasEvents) {
                    NavigableSet<Instant> known = reboots.get(e.nasIpAddress());
                    if (known == null || !known.contains(e.eventTime())) {
                        newReboots.computeIfAbsent(e.nasIpAddress(), k -> new TreeSet<>()).add(e.eventTime());
                    }
                }
                Set<String> ids = new TreeSet<>();
                folded.forEach(r -> ids.add(r.acctUniqueId));
                Map<String, SessionRow> stored = loadIds(h, ids);
                List<SessionRow> rows = new ArrayList<>(folded.size());
                for (SessionRow f : folded) {
                    SessionRow s = stored.get(f.acctUniqueId);
                    if (s != null) {
                        s.absorb(f);
                    }
                    SessionRow row = s != null ? s : f;
                    row.applyReboots(rebootsOf(row.nasIpAddress, newReboots));
                    row.dirty = true;
                    rows.add(row);
                }
                // In key order, each insert into the acctuniqueid index lands next to the one before: fewer
                // B-tree pages touched and rewritten (measured: about 1 s less CPU per 500,000 sessions).
                rows.sort(Comparator.comparing(r -> r.acctUniqueId));
                write(h, rows);
                for (Map.Entry<String, NavigableSet<Instant>> e : newReboots.entrySet()) {
                    for (Instant at : e.getValue()) {
                        closeForReboot(h, e.getKey(), at);
                    }
                }
            });
            newReboots.forEach((nas, times) -> reboots.computeIfAbsent(nas, k -> new ConcurrentSkipListSet<>()).addAll(times));
        }
    }

    private NavigableSet<Instant> rebootsOf(String nas, Map<String, NavigableSet<Instant>> pending) {
        NavigableSet<Instant> known = reboots.get(nas);
        NavigableSet<Instant> fresh = pending.get(nas);
        if (fresh == null) {
            return known;
        }
        if (known == null) {
            return fresh;
        }
        NavigableSet<Instant> all = new TreeSet<>(known);
        all.addAll(fresh);
        return all;
    }

    @Override
    public List<SessionSpan> spans(IpAddress address, Instant startedBy, int limit) {
        OffsetDateTime t = odt(startedBy);
        return jdbi.withHandle(h -> {
            if (address.isIpv4()) {
                return h.createQuery(sql.get("ipv4_spans")).bind("ip", address.toString()).bind("t", t).bind("n", limit)
                        .map(SqlSessionStore::span).list();
            }
            // The address and its prefixes in one query. A session has at most three IPv6 keys (address, prefix,
            // delegated prefix), so three times the limit in rows holds the limit in sessions.
            List<String> keys = new ArrayList<>();
            keys.add(address.toString());
            ipv6PrefixLengths.forEach(len -> keys.add(IpPrefix.of(address, len).toString()));
            List<SessionSpan> found = h.createQuery(sql.get("ipv6_spans")).bindList("keys", keys)
                    .bind("t", t).bind("n", 3 * limit).map(SqlSessionStore::span).list();
            return newestFirst(found, limit);
        });
    }

    /** Each session once (an IPv6 session can be found by address and by prefix), newest start first, at most {@code limit}. */
    private static List<SessionSpan> newestFirst(List<SessionSpan> found, int limit) {
        Map<Long, SessionSpan> unique = new LinkedHashMap<>();
        found.forEach(f -> unique.put(f.radAcctId(), f));
        List<SessionSpan> all = new ArrayList<>(unique.values());
        all.sort((a, b) -> b.start().compareTo(a.start()));
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    @Override
    public List<Session> sessions(List<Long> radAcctIds) {
        if (radAcctIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery(sql.get("sessions_by_radacctid")).bindList("ids", radAcctIds)
                .map(SqlSessionStore::session).list());
    }

    @Override
    public Optional<Session> newestOpenSession(String userName) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("newest_open_session"))
                .bind("u", userName).map(SqlSessionStore::session).findOne());
    }

    @Override
    public Optional<Session> find(String nasIpAddress, String acctSessionId) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("session_by_unique_id"))
                .bind("id", SessionStore.uniqueId(nasIpAddress, acctSessionId)).map(SqlSessionStore::session).findOne());
    }

    @Override
    public Optional<long[]> followedPosition(String path) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("followed_position"))
                .bind("p", path).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne());
    }

    @Override
    public void saveFollowedPosition(String path, long byteOffset, long lineNumber) {
        jdbi.useHandle(h -> h.createUpdate(sql.get("save_followed_position"))
                .bind("p", path).bind("o", byteOffset).bind("l", lineNumber).execute());
    }

    @Override
    public long count() {
        return jdbi.withHandle(h -> h.createQuery(sql.get("session_count")).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        closeDataSource.run();
    }

    private Map<String, SessionRow> load(Handle h, List<AccountingEvent> events) {
        Set<String> ids = new TreeSet<>();
        for (AccountingEvent e : events) {
            if (!e.status().closesNas() && e.status() != AccountingStatus.OTHER) {
                ids.add(SessionStore.uniqueId(e.nasIpAddress(), e.acctSessionId()));
            }
        }
        return loadIds(h, ids);
    }

    /** The stored rows with these acctuniqueids, by acctuniqueid. */
    private Map<String, SessionRow> loadIds(Handle h, Set<String> ids) {
        try {
            return loadIds(h.getConnection(), ids);
        } catch (SQLException e) {
            throw new IllegalStateException("reading sessions failed: " + e.getMessage(), e);
        }
    }

    /**
     * Plain JDBC with the keys bound in place: JDBI's list binding (a named argument per key) cost as much
     * as the lookup itself at import rates.
     */
    private Map<String, SessionRow> loadIds(Connection c, Set<String> ids) throws SQLException {
        Map<String, SessionRow> rows = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += LOAD_CHUNK) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + LOAD_CHUNK));
            // Padded to a power of two (repeating the last id) so that the few distinct statement texts
            // stay in H2's parse cache instead of being parsed for every batch.
            int size = Math.max(1, Integer.highestOneBit(chunk.size() - 1) << 1);
            try (PreparedStatement st = c.prepareStatement(loadByUniqueId[Integer.numberOfTrailingZeros(size)])) {
                for (int k = 0; k < size; k++) {
                    st.setString(k + 1, chunk.get(Math.min(k, chunk.size() - 1)));
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        SessionRow r = row(rs, null);
                        rows.put(r.acctUniqueId, r);
                    }
                }
            }
        }
        return rows;
    }

    private static final int LOAD_CHUNK = 512;

    private static String[] loadByUniqueId(String statement) {
        String[] sql = new String[Integer.numberOfTrailingZeros(LOAD_CHUNK) + 1];
        for (int i = 0; i < sql.length; i++) {
            sql[i] = statement.replace("<ids>", String.join(", ", Collections.nCopies(1 << i, "?")));
        }
        return sql;
    }

    /** Plain JDBC batches: JDBI's named binding costs more than the insert itself at import rates. */
    private void write(Handle h, Collection<SessionRow> rows) {
        try {
            writeBatches(h, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("writing sessions failed: " + e.getMessage(), e);
        }
    }

    private void writeBatches(Handle h, Collection<SessionRow> rows) throws SQLException {
        Connection c = h.getConnection();
        try (PreparedStatement insert = c.prepareStatement(insertSession); PreparedStatement update = c.prepareStatement(updateSession)) {
            int inserts = 0, updates = 0;
            for (SessionRow r : rows) {
                if (!r.dirty) {
                    continue;
                }
                recordPrefixLength(h, r.framedIpv6Prefix);
                recordPrefixLength(h, r.delegatedIpv6Prefix);
                PreparedStatement st = r.radAcctId == 0 ? insert : update;
                st.setString(1, r.acctUniqueId);
                st.setString(2, r.acctSessionId);
                st.setString(3, r.nasIpAddress);
                st.setString(4, r.userName);
                st.setString(5, r.framedIpAddress);
                st.setString(6, r.framedIpv6Address);
                st.setString(7, r.framedIpv6Prefix);
                st.setString(8, r.delegatedIpv6Prefix);
                st.setObject(9, odt(r.start));
                st.setObject(10, odt(r.lastUpdate));
                st.setObject(11, odt(r.stop));
                st.setString(12, r.terminateCause);
                st.setString(13, r.callingStationId);
                st.setString(14, r.calledStationId);
                st.setString(15, r.nasPortId);
                st.setString(16, r.acctClass);
                st.setObject(17, r.sessionTime);
                st.setObject(18, r.inputOctets);
                st.setObject(19, r.outputOctets);
                st.setBoolean(20, r.startSeen);
                st.setBoolean(21, r.stopSeen);
                st.setString(22, r.vendorAttributes);
                if (st == update) {
                    st.setLong(23, r.radAcctId);
                    updates++;
                } else {
                    inserts++;
                }
                st.addBatch();
            }
            if (inserts > 0) {
                insert.executeBatch();
            }
            if (updates > 0) {
                update.executeBatch();
            }
        }
    }

    private void recordPrefixLength(Handle h, String prefix) {
        if (prefix == null) {
            return;
        }
        int slash = prefix.lastIndexOf('/');
        if (slash < 0) {
            return;
        }
        try {
            int len = Integer.parseInt(prefix.substring(slash + 1));
            if (!ipv6PrefixLengths.contains(len)) {
                h.createUpdate(sql.get("save_ipv6_prefix_length")).bind("len", len).execute();
                ipv6PrefixLengths.add(len);
            }
        } catch (NumberFormatException e) {
            // Not a prefix FreeRADIUS would write; the row keeps the text but no lookup can match it.
        }
    }

    private void closeForReboot(Handle h, String nas, Instant at) {
        h.createUpdate(sql.get("save_nas_reboot")).bind("nas", nas).bind("t", odt(at)).execute();
        h.createUpdate(sql.get("close_for_reboot")).bind("nas", nas).bind("t", odt(at)).execute();
    }

    private static OffsetDateTime odt(Instant i) {
        // Not Instant.atOffset: on Java 17 that builds a ZoneRules object per call, measurable at import rates.
        return i == null ? null : OffsetDateTime.of(LocalDateTime.ofEpochSecond(i.getEpochSecond(), i.getNano(), ZoneOffset.UTC), ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Long nullableLong(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static SessionRow row(ResultSet rs, StatementContext ctx) throws SQLException {
        SessionRow r = new SessionRow(rs.getString(2), rs.getString(3), rs.getString(5));
        r.radAcctId = rs.getLong(1);
        r.userName = rs.getString(4);
        r.framedIpAddress = rs.getString(6);
        r.framedIpv6Address = rs.getString(7);
        r.framedIpv6Prefix = rs.getString(8);
        r.delegatedIpv6Prefix = rs.getString(9);
        r.start = instant(rs, 10);
        r.lastUpdate = instant(rs, 11);
        r.stop = instant(rs, 12);
        r.terminateCause = rs.getString(13);
        r.callingStationId = rs.getString(14);
        r.calledStationId = rs.getString(15);
        r.nasPortId = rs.getString(16);
        r.acctClass = rs.getString(17);
        r.sessionTime = nullableLong(rs, 18);
        r.inputOctets = nullableLong(rs, 19);
        r.outputOctets = nullableLong(rs, 20);
        r.startSeen = rs.getBoolean(21);
        r.stopSeen = rs.getBoolean(22);
        r.vendorAttributes = rs.getString(23);
        return r;
    }

    private static SessionSpan span(ResultSet rs, StatementContext ctx) throws SQLException {
        return new SessionSpan(rs.getLong(1), instant(rs, 2), instant(rs, 3), instant(rs, 4), rs.getBoolean(5));
    }

    private static Session session(ResultSet rs, StatementContext ctx) throws SQLException {
        return row(rs, ctx).toSession();
    }
}
