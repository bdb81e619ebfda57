package org.trapline.desk.casebook;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.trapline.common.sql.StoreSettings;
import org.trapline.common.sql.StorePool;
import org.trapline.common.sql.Statements;
import org.trapline.desk.AuditAct;
import org.trapline.desk.view.AuditCheck;
import org.trapline.desk.view.AuditEntry;
import org.trapline.desk.view.CaseNote;
import org.trapline.desk.view.CaseStatus;
import org.trapline.enforcement.StaffAct;

/**
 * The desk's own store {@code <data>/casebook}: the hash-chained staff audit, and the notes and status
 * staff keep on a subscriber's case. A note or a status is written in one transaction with its audit
 * entry. Appends to the audit are serialised by a lock on the chain's head row, taken before the previous
 * hash is read, so two threads or processes never fork the chain. Texts longer than their columns are cut
 * before they are hashed, so an entry's hash covers exactly what is kept. Opened by whoever owns the data
 * directory, like every other store; thread-safe.
 */
public final class Casebook implements AutoCloseable {
    public static final String FILE = "casebook";
    /** Most characters of a note. */
    public static final int MAX_NOTE = 4000;
    private static final int VERIFY_PAGE = 1000;

    /** Few: staff acts are rare, each one short transaction. */
    private static final int CONNECTIONS = 4;

    private final StorePool pool;
    private final Jdbi jdbi;
    private final Statements sql;

    private Casebook(StorePool pool) {
        this.pool = pool;
        this.jdbi = Jdbi.create(pool.dataSource());
        this.sql = Statements.load(Casebook.class, FILE, pool.dialect());
    }

    /** Opens (and creates or migrates) {@code <dataDir>/casebook.mv.db}. */
    public static Casebook open(Path dataDir) {
        return open(dataDir, StoreSettings.h2());
    }

    /**
     * Opens (and creates or migrates) the casebook where {@code store} says: H2 in
     * {@code <dataDir>/casebook.mv.db}, or the schema {@value #FILE} of the shared PostgreSQL database.
     */
    public static Casebook open(Path dataDir, StoreSettings store) {
        return new Casebook(StorePool.open(dataDir, store, FILE, CONNECTIONS));
    }

    /** A store in memory ({@code jdbc:h2:mem:<name>}), for tests. */
    public static Casebook inMemory(String name) {
        return new Casebook(StorePool.inMemory(name, FILE));
    }

    /**
     * Appends an entry to the audit.
     *
     * @param subject what it was done to ({@code action:7}, {@code subscriber:alice}), or null
     * @param detail  the reason or text as given, or null
     */
    public AuditEntry record(StaffAct who, AuditAct act, String subject, String detail, Instant at) {
        return jdbi.inTransaction(h -> append(h, who, act, subject, detail, at));
    }

    private AuditEntry append(Handle h, StaffAct who, AuditAct act, String subject, String detail, Instant at) {
        Head head = h.createQuery(sql.get("audit.lock_head")).map((rs, ctx) -> new Head(rs.getLong("seq"), rs.getString("hash"))).one();
        long seq = head.seq() + 1;
        long atMs = at.toEpochMilli();
        Instant kept = Instant.ofEpochMilli(atMs);
        String staff = clip(who.staff(), 255);
        String from = clip(who.from(), 255);
        String what = subject == null ? "" : clip(subject, 255);
        String text = detail == null ? "" : clip(detail, 2000);
        String hash = AuditChain.hash(head.hash(), seq, atMs, staff, from, act.text(), what, text);
        h.createUpdate(sql.get("audit.append")).bind("seq", seq).bind("at", atMs).bind("staff", staff).bind("from", from)
                .bind("act", act.text()).bind("subject", what).bind("detail", text).bind("prev", head.hash()).bind("hash", hash).execute();
        h.createUpdate(sql.get("audit.move_head")).bind("seq", seq).bind("hash", hash).execute();
        return new AuditEntry(seq, kept, staff, from, act.text(), what, text, head.hash(), hash);
    }

    /** Entries at or after {@code since} (null: all), newest first, at most {@code limit}. */
    public List<AuditEntry> newest(Instant since, int limit) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("audit.newest")).bind("since", since == null ? Long.MIN_VALUE : since.toEpochMilli())
                .bind("n", limit).map((rs, ctx) -> entry(rs)).list());
    }

    /** Entries numbered after {@code afterSeq}, oldest first, at most {@code limit}: the export pages through these. */
    public List<AuditEntry> after(long afterSeq, int limit) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("audit.after")).bind("after", afterSeq).bind("until", Long.MAX_VALUE)
                .bind("n", limit).map((rs, ctx) -> entry(rs)).list());
    }

    /**
     * Walks the chain from the first entry to the head as it is now: the first entry that is missing,
     * out of the chain or changed, or how many entries are intact.
     */
    public AuditCheck verify() {
        Head head = jdbi.withHandle(h -> h.createQuery(sql.get("audit.head")).map((rs, ctx) -> new Head(rs.getLong("seq"), rs.getString("hash"))).one());
        AuditChain.Walk walk = new AuditChain.Walk();
        long after = 0;
        List<AuditEntry> page;
        do {
            long from = after;
            page = jdbi.withHandle(h -> h.createQuery(sql.get("audit.after")).bind("after", from).bind("until", head.seq())
                    .bind("n", VERIFY_PAGE).map((rs, ctx) -> entry(rs)).list());
            for (AuditEntry e : page) {
                if (!walk.next(e)) return walk.end(head.seq(), head.hash());
                after = e.seq();
            }
        } while (page.size() == VERIFY_PAGE);
        return walk.end(head.seq(), head.hash());
    }

    /** Adds a note to a subscriber's case, audited in the same transaction. */
    public CaseNote addNote(String subscriber, StaffAct who, String text, Instant at) {
        return jdbi.inTransaction(h -> {
            long atMs = at.toEpochMilli();
            long id = h.createUpdate(sql.get("notes.add")).bind("s", subscriber).bind("at", atMs).bind("staff", who.staff())
                    .bind("text", text).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            append(h, who, AuditAct.NOTE, "subscriber:" + subscriber, text, at);
            return new CaseNote(id, subscriber, Instant.ofEpochMilli(atMs), who.staff(), text);
        });
    }

    /** A subscriber's notes, newest first, at most {@code limit}. */
    public List<CaseNote> notes(String subscriber, int limit) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("notes.of")).bind("s", subscriber).bind("n", limit)
                .map((rs, ctx) -> new CaseNote(rs.getLong("id"), rs.getString("subscriber"), Instant.ofEpochMilli(rs.getLong("at_ms")),
                        rs.getString("staff"), rs.getString("text"))).list());
    }

    /** Sets a case's status, with the act's reason, audited in the same transaction. */
    public CaseStatus setStatus(String subscriber, CaseStatus.State state, StaffAct who, Instant at) {
        return jdbi.inTransaction(h -> {
            long atMs = at.toEpochMilli();
            h.createUpdate(sql.get("status.set")).bind("s", subscriber).bind("status", state.name()).bind("at", atMs)
                    .bind("staff", who.staff()).bind("reason", who.reason()).execute();
            append(h, who, AuditAct.CASE_STATUS, "subscriber:" + subscriber, state.text() + (who.reason().isEmpty() ? "" : ": " + who.reason()), at);
            return new CaseStatus(state, Instant.ofEpochMilli(atMs), who.staff(), who.reason());
        });
    }

    /** The status staff last set on a subscriber's case; empty when nobody did. */
    public Optional<CaseStatus> status(String subscriber) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("status.of")).bind("s", subscriber)
                .map((rs, ctx) -> new CaseStatus(CaseStatus.State.valueOf(rs.getString("status")), Instant.ofEpochMilli(rs.getLong("at_ms")),
                        rs.getString("staff"), rs.getString("reason"))).findOne());
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), Instant.ofEpochMilli(rs.getLong("at_ms")), rs.getString("staff"), rs.getString("from_where"),
                rs.getString("act"), rs.getString("subject"), rs.getString("detail"), rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private record Head(long seq, String hash) {}

    @Override
    public void close() {
        pool.close();
    }
}
