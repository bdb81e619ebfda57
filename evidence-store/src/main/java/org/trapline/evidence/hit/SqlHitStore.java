package org.trapline.evidence.hit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.Migrations;
import org.trapline.common.sql.Statements;
import org.trapline.evidence.CaseSummary;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.TrapHit;
import org.trapline.evidence.raw.RawLocation;

/**
 * The {@link HitStore} over JDBC in any dialect: every statement is named and read from the dialect's
 * {@code sql/evidence/<dialect>.sql}, and the schema is migrated from {@code db/evidence/<dialect>/}. Nothing
 * here is one dialect's SQL.
 */
final class SqlHitStore implements HitStore {
    /** The store's name in resource paths. */
    static final String STORE = "evidence";

    private final Runnable closeDataSource;
    private final Jdbi jdbi;
    private final Statements sql;
    private final HitIds ids;
    private final HitInserter inserter;

    /** Migrates the database behind {@code dataSource} and opens the store on it; {@code closeDataSource} runs at {@link #close}. */
    SqlHitStore(DataSource dataSource, Runnable closeDataSource, Dialect dialect) {
        this.closeDataSource = closeDataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.sql = Statements.load(SqlHitStore.class, STORE, dialect);
        Migrations.migrate(dataSource, dialect, STORE);
        this.ids = new HitIds(jdbi, sql);
        this.inserter = new HitInserter(dataSource, sql, this::idByIntakeKey);
    }

    @Override
    public long nextId() {
        return ids.next();
    }

    @Override
    public Inserted insertOnce(long id, HitRow row, Instant recordedAt) {
        return inserter.insertOnce(id, row, recordedAt);
    }

    @Override
    public Optional<RawLocation> keptCopy(String sha256) {
        return inserter.keptCopy(sha256);
    }

    @Override
    public void syncToDisk() {
        jdbi.useHandle(h -> h.execute(sql.get("sync_to_disk")));
    }

    @Override
    public void close() {
        try {
            inserter.close();
        } finally {
            closeDataSource.run();
        }
    }

    @Override
    public Optional<Long> idByIntakeKey(String intakeKey) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("id_by_intake_key"))
                .bind("k", intakeKey).mapTo(Long.class).findOne());
    }

    @Override
    public Optional<StoredHit> find(long id) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("hit_by_id"))
                .bind("id", id).map(SqlHitStore::hit).findOne());
    }

    @Override
    public Optional<StoredHit> findByIntakeKey(String intakeKey) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("hit_by_intake_key"))
                .bind("k", intakeKey).map(SqlHitStore::hit).findOne());
    }

    @Override
    public long count() {
        return jdbi.withHandle(h -> h.createQuery(sql.get("hit_count")).mapTo(Long.class).one());
    }

    @Override
    public List<StoredHit> bySubscriber(String subscriber) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("subscriber_hits"))
                .bind("s", subscriber).map(SqlHitStore::hit).list());
    }

    @Override
    public long[] allIds() {
        return jdbi.withHandle(h -> h.createQuery(sql.get("hit_ids")).mapTo(Long.class).stream()
                .mapToLong(Long::longValue).toArray());
    }

    @Override
    public void forEach(Consumer<StoredHit> action) {
        long after = 0;
        while (true) {
            long from = after;
            List<StoredHit> page = jdbi.withHandle(h -> h.createQuery(sql.get("hits_page"))
                    .bind("after", from).bind("limit", 500).map(SqlHitStore::hit).list());
            if (page.isEmpty()) {
                return;
            }
            page.forEach(action);
            after = page.get(page.size() - 1).id();
        }
    }

    @Override
    public List<StoredHit> findAll(long[] ids) {
        if (ids.length == 0) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery(sql.get("hits_by_id"))
                .bindList("ids", Arrays.stream(ids).boxed().toList()).map(SqlHitStore::hit).list());
    }

    @Override
    public List<StoredHit> withRawReceivedBefore(Instant cutoff, int limit) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("hits_with_raw_received_before"))
                .bind("cutoff", utc(cutoff)).bind("limit", limit).map(SqlHitStore::hit).list());
    }

    @Override
    public void markRawPurged(long id, Instant at) {
        jdbi.useHandle(h -> h.createUpdate(sql.get("mark_raw_purged"))
                .bind("at", utc(at)).bind("id", id).execute());
    }

    @Override
    public Optional<RawCopy> rawCopy(long id) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("raw_copy"))
                .bind("id", id)
                .map((rs, ctx) -> new RawCopy(rs.getString("sha256"), RawLocation.of(rs.getLong("raw_pack"), rs.getLong("raw_offset"))))
                .findOne());
    }

    @Override
    public void moveRaw(long id, RawLocation at) {
        jdbi.useHandle(h -> h.createUpdate(sql.get("move_raw"))
                .bind("p", at.pack()).bind("o", at.offset()).bind("id", id).execute());
    }

    @Override
    public boolean rawStillNeeded(RawCopy copy) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("raw_copy_users"))
                .bind("s", copy.sha256()).bind("p", copy.at().pack()).bind("o", copy.at().offset())
                .mapTo(Long.class).one()) > 0;
    }

    @Override
    public Set<Long> livePacks() {
        return jdbi.withHandle(h -> h.createQuery(sql.get("live_packs")).mapTo(Long.class).set());
    }

    @Override
    public Map<Long, String> withoutPack(long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("hits_without_pack"))
                .bind("after", afterId).bind("limit", limit)
                .reduceRows(new LinkedHashMap<Long, String>(), (m, row) -> {
                    m.put(row.getColumn("id", Long.class), row.getColumn("sha256", String.class));
                    return m;
                }));
    }

    @Override
    public void delete(long id) {
        jdbi.useHandle(h -> h.createUpdate(sql.get("delete_hit")).bind("id", id).execute());
    }

    @Override
    public CaseSummary caseSummary(String subscriber) {
        return jdbi.withHandle(h -> {
            var totals = h.createQuery(sql.get("case_totals"))
                    .bind("s", subscriber)
                    .map((rs, ctx) -> new Object[] {rs.getLong("n"), instant(rs, "first_at"), instant(rs, "last_at")})
                    .one();
            List<CaseSummary.Day> days = h.createQuery(sql.get("case_days"))
                    .bind("s", subscriber)
                    .map((rs, ctx) -> new CaseSummary.Day(rs.getObject("d", LocalDate.class), rs.getLong("n")))
                    .list();
            List<CaseSummary.Session> sessions = h.createQuery(sql.get("case_sessions"))
                    .bind("s", subscriber)
                    .map((rs, ctx) -> new CaseSummary.Session(rs.getString("session_id"), rs.getString("nas_ip"),
                            rs.getString("origin_ip"), rs.getLong("n"), instant(rs, "first_at"), instant(rs, "last_at")))
                    .list();
            return new CaseSummary(subscriber, (Long) totals[0], (Instant) totals[1], (Instant) totals[2], days, sessions);
        });
    }

    @Override
    public List<StoredHit> page(long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("hits_page"))
                .bind("after", afterId).bind("limit", limit).map(SqlHitStore::hit).list());
    }

    @Override
    public List<StoredHit> page(String subscriber, long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("subscriber_hits_page"))
                .bind("s", subscriber).bind("after", afterId).bind("limit", limit).map(SqlHitStore::hit).list());
    }

    @Override
    public long appendJournal(Instant at, String action, String target, String actor, long hits, String detail) {
        return jdbi.withHandle(h -> h.createUpdate(sql.get("append_journal"))
                .bind("at", utc(at)).bind("action", action)
                .bind("target", clip(target, 1000)).bind("actor", clip(actor, 500))
                .bind("hits", hits).bind("detail", detail)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    @Override
    public List<JournalEntry> journal(int limit) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("recent_journal"))
                .bind("limit", limit)
                .map((rs, ctx) -> new JournalEntry(rs.getLong("id"), instant(rs, "at"), rs.getString("action"),
                        rs.getString("target"), rs.getString("actor"), rs.getLong("hits"), rs.getString("detail")))
                .list());
    }

    static StoredHit hit(ResultSet rs, StatementContext ctx) throws SQLException {
        String recipients = rs.getString("trap_recipients");
        TrapHit hit = new TrapHit(
                rs.getString("intake_key"),
                instant(rs, "received_at"),
                rs.getString("envelope_sender"),
                recipients == null || recipients.isEmpty() ? List.of() : List.of(recipients.split("\n")),
                rs.getString("helo"),
                rs.getString("client_ip"),
                rs.getString("origin_ip"),
                instant(rs, "origin_time"),
                rs.getString("origin_helo"),
                rs.getString("attribution_status"),
                rs.getString("subscriber"),
                rs.getString("session_id"),
                rs.getString("nas_ip"),
                rs.getString("trace_json"),
                rs.getLong("id"));
        return new StoredHit(rs.getLong("id"), hit, rs.getString("sha256"), rs.getLong("size"),
                rs.getString("subject"), rs.getString("message_id"), instant(rs, "recorded_at"), instant(rs, "raw_purged_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static final int MAX_RECIPIENTS_CHARS = 100_000;
    private static final int MAX_TRACE_CHARS = 1_000_000;

    /** Recipients newline-joined, whole addresses only, within the column. */
    static String recipients(List<String> traps) {
        StringBuilder b = new StringBuilder();
        for (String t : traps) {
            String clean = t.replace('\n', ' ').replace('\r', ' ');
            if (b.length() + clean.length() + 1 > MAX_RECIPIENTS_CHARS) {
                break;
            }
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(clean);
        }
        return b.toString();
    }

    /**
     * The trace as given, or, past the column's size, a JSON note that it was cut with its
     * beginning as a string: a hit must never fail to record (and be retried forever) over its trace.
     */
    static String trace(String json) {
        if (json == null || json.length() <= MAX_TRACE_CHARS) {
            return json;
        }
        String head = clip(json, MAX_TRACE_CHARS / 2);
        StringBuilder b = new StringBuilder("{\"trace_truncated\":true,\"original_chars\":").append(json.length())
                .append(",\"head\":\"");
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append("\"}").toString();
    }

    static String clip(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

}
