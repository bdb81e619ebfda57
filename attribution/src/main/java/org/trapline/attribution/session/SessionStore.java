package org.trapline.attribution.session;

import java.nio.file.Files;
import java.nio.file.Path;
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

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;
import org.trapline.attribution.session.SessionKeysTrigger.Kind;

import static org.trapline.attribution.session.SessionKeysTrigger.IDS_PER_SESSION;

/**
 * The session store: FreeRADIUS-compatible {@code radacct} rows in an embedded H2 database, kept
 * correct whatever order accounting records arrive in. {@link #apply(List)} is the only writer and
 * returns once the records are committed: visible to every reader, and written to the file within half a
 * second (H2's WRITE_DELAY). Writing each commit at once would cost more than the merge itself at accounting
 * rates; nothing is lost by waiting because every writer can replay what it wrote: RADIUS accounting is
 * acknowledged from the accounting journal, whose position is committed with the rows (see
 * {@link #applyJournal}), and detail files are followed from positions saved after their rows.
 *
 * <p>IPv4 lookups read an index over radacct; IPv6 addresses and prefixes, the sessions of a NAS that a
 * reboot may close and a subscriber's open sessions are found through {@code trapline_session_key}, which
 * {@link SessionKeysTrigger} keeps in step with every write to radacct.
 */
public final class SessionStore implements AutoCloseable {
    /** Directory under the data dir holding the H2 files. */
    public static final String DIRECTORY = "sessions";

    private static final String COLUMNS = "radacctid, acctuniqueid, acctsessionid, username, nasipaddress, framedipaddress,"
            + " framedipv6address, framedipv6prefix, delegatedipv6prefix, acctstarttime, acctupdatetime, acctstoptime,"
            + " acctterminatecause, callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets,"
            + " acctoutputoctets, trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes";

    private final JdbcConnectionPool pool;
    private final Jdbi jdbi;
    private final Map<String, NavigableSet<Instant>> reboots = new ConcurrentHashMap<>();
    private final Set<Integer> ipv6PrefixLengths = new ConcurrentSkipListSet<>();
    private final Object writeLock = new Object();

    private SessionStore(JdbcConnectionPool pool) {
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        Flyway.configure().dataSource(pool).locations("classpath:db/sessions").load().migrate();
        jdbi.useHandle(h -> {
            h.createQuery("SELECT nasipaddress, eventtime FROM trapline_nas_reboot")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), instant(rs, 2)))
                    .forEach(e -> reboots.computeIfAbsent(e.getKey(), k -> new ConcurrentSkipListSet<>()).add(e.getValue()));
            ipv6PrefixLengths.addAll(h.createQuery("SELECT prefixlength FROM trapline_ipv6_prefix_length").mapTo(Integer.class).list());
        });
    }

    /**
     * Opens (creating and migrating as needed) the store in {@code <dataDir>/sessions}. Several processes
     * may open it at once (the server and a {@code who} command): H2's automatic mixed mode lets the
     * second one connect through the first.
     */
    public static SessionStore open(Path dataDir) {
        Path dir = dataDir.resolve(DIRECTORY);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create session store directory " + dir + ": " + e.getMessage(), e);
        }
        // Commits reach the file within 500 ms rather than each at once: see the class comment. Embedded
        // only: the process that owns the data directory opens it.
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("radacct") + ";WRITE_DELAY=500;DB_CLOSE_ON_EXIT=FALSE";
        return new SessionStore(JdbcConnectionPool.create(url, "sa", ""));
    }

    /** A store in memory only, for tests and benchmarks. */
    public static SessionStore inMemory(String name) {
        return new SessionStore(JdbcConnectionPool.create("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", ""));
    }

    /** Applies one record; see {@link #apply(List)}. */
    public void apply(AccountingEvent event) {
        apply(List.of(event));
    }

    /**
     * Applies records in the order given, in one transaction, and returns after the commit. Records
     * that carry no session (Accounting-On/Off) close the NAS's sessions that had no record after them.
     */
    public void apply(List<AccountingEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        apply(events, null, 0);
    }

    /**
     * Applies journaled records like {@link #apply(List)} and records, in the same transaction, that the
     * journal named {@code journal} is applied up to {@code position}; so after a crash the records
     * after the stored position, and only those, are applied again. {@code events} may be empty.
     */
    public void applyJournal(List<AccountingEvent> events, String journal, long position) {
        apply(events, journal, position);
    }

    /** How far the named journal has been applied ({@link #applyJournal}); 0 when never. */
    public long journalPosition(String journal) {
        return jdbi.withHandle(h -> h.createQuery("SELECT appliedposition FROM trapline_journal_position WHERE journal = :j")
                .bind("j", journal).mapTo(Long.class).findOne().orElse(0L));
    }

    /** Writes what is committed to the file and forces it to the disk (before a replayable source is deleted). */
    public void syncToDisk() {
        jdbi.useHandle(h -> h.execute("CHECKPOINT SYNC"));
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
                        rows.computeIfAbsent(uniqueId(e.nasIpAddress(), e.acctSessionId()),
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
                    h.createUpdate("MERGE INTO trapline_journal_position KEY (journal) VALUES (:j, :p)")
                            .bind("j", journal).bind("p", journalPosition).execute();
                }
            });
            newReboots.forEach((nas, times) -> reboots.computeIfAbsent(nas, k -> new ConcurrentSkipListSet<>()).addAll(times));
        }
    }

    /**
     * Starts a bulk load: records folded into their sessions in memory and written in large
     * transactions; see {@link SessionBulkLoad}. For big imports; {@link #apply(List)} remains the path
     * for records that must be committed before they are acknowledged. Holds a connection until closed.
     */
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

    /**
     * What decides whether a session covers an instant, for every session that used this IPv4 address
     * (or IPv6 address / prefix containing it) and started no later than {@code startedBy}, newest
     * first, at most {@code limit}. Read from the lookup indexes alone; {@link #sessions} then fetches
     * the few that matter.
     */
    public List<SessionSpan> spans(IpAddress address, Instant startedBy, int limit) {
        OffsetDateTime t = odt(startedBy);
        return jdbi.withHandle(h -> {
            if (address.isIpv4()) {
                return h.createQuery(IPV4_SPANS).bind("ip", address.toString()).bind("t", t).bind("n", limit)
                        .map(SessionStore::span).list();
            }
            // The address and its prefixes in one query: an address key has no '/', a prefix key has one, so
            // each text can only match keys of its own kind. A session has at most three IPv6 keys, so
            // three times the limit in rows holds the limit in sessions.
            List<String> keys = new ArrayList<>();
            keys.add(address.toString());
            ipv6PrefixLengths.forEach(len -> keys.add(IpPrefix.of(address, len).toString()));
            List<SessionSpan> found = h.createQuery(IPV6_SPANS).bindList("keys", keys)
                    .bind("first", Kind.FRAMED_IPV6_ADDRESS.code).bind("last", Kind.DELEGATED_IPV6_PREFIX.code)
                    .bind("t", t).bind("n", 3 * limit).map(SessionStore::span).list();
            return newestFirst(found, limit);
        });
    }

    private static final String SPAN_COLUMNS = "acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen";
    /** Answered from radacct_framedip_start alone. */
    private static final String IPV4_SPANS = "SELECT radacctid, " + SPAN_COLUMNS + " FROM radacct"
            + " WHERE framedipaddress = :ip AND acctstarttime <= :t ORDER BY acctstarttime DESC LIMIT :n";
    /**
     * Answered from trapline_session_key_lookup alone (its entries carry the id: radacctid * IDS_PER_SESSION + kind);
     * the IPv6 kinds are the codes from :first to :last, which keeps out a NAS spelled like the address.
     */
    private static final String IPV6_SPANS = "SELECT id / " + IDS_PER_SESSION + ", " + SPAN_COLUMNS + " FROM trapline_session_key"
            + " WHERE keytext IN (<keys>) AND kind BETWEEN :first AND :last AND acctstarttime <= :t ORDER BY acctstarttime DESC LIMIT :n";

    /** Each session once (an IPv6 session can be found by address and by prefix), newest start first, at most {@code limit}. */
    private static List<SessionSpan> newestFirst(List<SessionSpan> found, int limit) {
        Map<Long, SessionSpan> unique = new LinkedHashMap<>();
        found.forEach(f -> unique.put(f.radAcctId(), f));
        List<SessionSpan> all = new ArrayList<>(unique.values());
        all.sort((a, b) -> b.start().compareTo(a.start()));
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    /** The sessions with these radacctids, newest start first. */
    public List<Session> sessions(List<Long> radAcctIds) {
        if (radAcctIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM radacct WHERE radacctid IN (<ids>)"
                        + " ORDER BY acctstarttime DESC").bindList("ids", radAcctIds).map(SessionStore::session).list());
    }

    /**
     * Sessions that used this IPv4 address (or IPv6 address / prefix containing it) and started no
     * later than {@code startedBy}, newest first, at most {@code limit}.
     */
    public List<Session> candidates(IpAddress address, Instant startedBy, int limit) {
        return sessions(spans(address, startedBy, limit).stream().map(SessionSpan::radAcctId).toList());
    }

    /**
     * The subscriber's newest session that has no Stop: where a CoA for them goes now (a NAK 503 for an
     * older session is re-targeted here). Whether it is still alive is the lookup's call (grace).
     */
    public Optional<Session> newestOpenSession(String userName) {
        // By the subscriber's open-session keys (SessionKeysTrigger): radacct has no index on username.
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM radacct WHERE radacctid IN"
                        + " (SELECT id / " + IDS_PER_SESSION + " FROM trapline_session_key WHERE keytext = :u AND kind = :open)"
                        + " AND acctstoptime IS NULL ORDER BY acctstarttime DESC LIMIT 1")
                .bind("u", userName).bind("open", Kind.OPEN_USER.code).map(SessionStore::session).findOne());
    }

    /** The session a NAS knows by this Acct-Session-Id, if any record of it arrived. */
    public Optional<Session> find(String nasIpAddress, String acctSessionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM radacct WHERE acctuniqueid = :id")
                .bind("id", uniqueId(nasIpAddress, acctSessionId)).map(SessionStore::session).findOne());
    }

    /**
     * Where a follower of a file (the detail watcher) stopped: {@code [byteOffset, lineNumber]}, or empty
     * if it never read that file.
     */
    public Optional<long[]> followedPosition(String path) {
        return jdbi.withHandle(h -> h.createQuery("SELECT byteoffset, linenumber FROM trapline_followed_file WHERE path = :p")
                .bind("p", path).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne());
    }

    /** Records how far a file has been imported (after its records were applied). */
    public void saveFollowedPosition(String path, long byteOffset, long lineNumber) {
        jdbi.useHandle(h -> h.createUpdate("MERGE INTO trapline_followed_file KEY (path) VALUES (:p, :o, :l)")
                .bind("p", path).bind("o", byteOffset).bind("l", lineNumber).execute());
    }

    /** Number of sessions stored. */
    public long count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM radacct").mapTo(Long.class).one());
    }

    /**
     * Trapline's acctuniqueid: {@code "<NAS-IP-Address> <Acct-Session-Id>"}. A NAS names a session by
     * Acct-Session-Id, unique per NAS (RFC 2866). FreeRADIUS's own Acct-Unique-Session-Id hashes
     * attributes that some records of one session lack (NAS-Port), so it is not used; and a readable,
     * mostly increasing key keeps inserts into its unique index local, where a hash would touch a
     * random index page per session.
     */
    public static String uniqueId(String nasIpAddress, String acctSessionId) {
        return nasIpAddress + " " + acctSessionId;
    }

    @Override
    public void close() {
        pool.dispose();
    }

    private Map<String, SessionRow> load(Handle h, List<AccountingEvent> events) {
        Set<String> ids = new TreeSet<>();
        for (AccountingEvent e : events) {
            if (!e.status().closesNas() && e.status() != AccountingStatus.OTHER) {
                ids.add(uniqueId(e.nasIpAddress(), e.acctSessionId()));
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
    private static Map<String, SessionRow> loadIds(Connection c, Set<String> ids) throws SQLException {
        Map<String, SessionRow> rows = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += LOAD_CHUNK) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + LOAD_CHUNK));
            // Padded to a power of two (repeating the last id) so that the few distinct statement texts
            // stay in H2's parse cache instead of being parsed for every batch.
            int size = Math.max(1, Integer.highestOneBit(chunk.size() - 1) << 1);
            try (PreparedStatement st = c.prepareStatement(LOAD_BY_ID[Integer.numberOfTrailingZeros(size)])) {
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
    /** The lookup by acctuniqueid for 1, 2, 4, ... {@link #LOAD_CHUNK} keys. */
    private static final String[] LOAD_BY_ID = loadById();

    private static String[] loadById() {
        String[] sql = new String[Integer.numberOfTrailingZeros(LOAD_CHUNK) + 1];
        for (int i = 0; i < sql.length; i++) {
            sql[i] = "SELECT " + COLUMNS + " FROM radacct WHERE acctuniqueid IN (" + String.join(", ", Collections.nCopies(1 << i, "?")) + ")";
        }
        return sql;
    }

    private static final String INSERT = "INSERT INTO radacct (acctuniqueid, acctsessionid, nasipaddress, username,"
            + " framedipaddress, framedipv6address, framedipv6prefix, delegatedipv6prefix, acctstarttime, acctupdatetime,"
            + " acctstoptime, acctterminatecause, callingstationid, calledstationid, nasportid, class, acctsessiontime,"
            + " acctinputoctets, acctoutputoctets, trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE radacct SET acctuniqueid = ?, acctsessionid = ?, nasipaddress = ?,"
            + " username = ?, framedipaddress = ?, framedipv6address = ?, framedipv6prefix = ?, delegatedipv6prefix = ?,"
            + " acctstarttime = ?, acctupdatetime = ?, acctstoptime = ?, acctterminatecause = ?, callingstationid = ?,"
            + " calledstationid = ?, nasportid = ?, class = ?, acctsessiontime = ?, acctinputoctets = ?, acctoutputoctets = ?,"
            + " trapline_start_seen = ?, trapline_stop_seen = ?, trapline_vendor_attributes = ? WHERE radacctid = ?";

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
        try (PreparedStatement insert = c.prepareStatement(INSERT); PreparedStatement update = c.prepareStatement(UPDATE)) {
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
                h.createUpdate("MERGE INTO trapline_ipv6_prefix_length KEY (prefixlength) VALUES (:len)").bind("len", len).execute();
                ipv6PrefixLengths.add(len);
            }
        } catch (NumberFormatException e) {
            // Not a prefix FreeRADIUS would write; the row keeps the text but no lookup can match it.
        }
    }

    private void closeForReboot(Handle h, String nas, Instant at) {
        h.createUpdate("MERGE INTO trapline_nas_reboot KEY (nasipaddress, eventtime) VALUES (:nas, :t)")
                .bind("nas", nas).bind("t", odt(at)).execute();
        // The sessions of that NAS whose Stop was not seen, by their keys (SessionKeysTrigger).
        h.createUpdate("UPDATE radacct SET acctstoptime = :t, acctterminatecause = 'NAS-Reboot' WHERE radacctid IN"
                        + " (SELECT id / " + IDS_PER_SESSION + " FROM trapline_session_key WHERE keytext = :nas AND kind = :open)"
                        + " AND acctupdatetime <= :t AND (acctstoptime IS NULL OR acctstoptime > :t)")
                .bind("open", Kind.OPEN_NAS.code).bind("nas", nas).bind("t", odt(at)).execute();
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
