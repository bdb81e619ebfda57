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

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.trapline.evidence.CaseSummary;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.TrapHit;
import org.trapline.evidence.raw.RawLocation;

/**
 * The trap_hit table: one row per trap hit, unique by intake key.
 */
public final class HitRepository {
    private static final String COLUMNS = "id, intake_key, received_at, recorded_at, envelope_sender, trap_recipients, helo, "
            + "client_ip, origin_ip, origin_time, origin_helo, attribution_status, subscriber, session_id, nas_ip, "
            + "trace_json, sha256, size, subject, message_id, raw_purged_at";

    private final Jdbi jdbi;

    public HitRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<Long> idByIntakeKey(String intakeKey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM trap_hit WHERE intake_key = :k")
                .bind("k", intakeKey).mapTo(Long.class).findOne());
    }

    public Optional<StoredHit> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM trap_hit WHERE id = :id")
                .bind("id", id).map(HitRepository::map).findOne());
    }

    public Optional<StoredHit> findByIntakeKey(String intakeKey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM trap_hit WHERE intake_key = :k")
                .bind("k", intakeKey).map(HitRepository::map).findOne());
    }

    public long count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM trap_hit").mapTo(Long.class).one());
    }

    /** Hits of one subscriber, oldest first. */
    public List<StoredHit> bySubscriber(String subscriber) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM trap_hit WHERE subscriber = :s ORDER BY received_at, id")
                .bind("s", subscriber).map(HitRepository::map).list());
    }

    /** Every hit id, ascending. */
    public long[] allIds() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM trap_hit ORDER BY id").mapTo(Long.class).stream()
                .mapToLong(Long::longValue).toArray());
    }

    /** Streams every hit in id order (for reindexing), a page at a time so memory stays flat. */
    public void forEach(Consumer<StoredHit> action) {
        long after = 0;
        while (true) {
            long from = after;
            List<StoredHit> page = jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                            + " FROM trap_hit WHERE id > :after ORDER BY id LIMIT 500")
                    .bind("after", from).map(HitRepository::map).list());
            if (page.isEmpty()) {
                return;
            }
            page.forEach(action);
            after = page.get(page.size() - 1).id();
        }
    }

    /** Hits by id (any order), missing ids skipped. */
    public List<StoredHit> findAll(long[] ids) {
        if (ids.length == 0) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM trap_hit WHERE id IN (<ids>)")
                .bindList("ids", Arrays.stream(ids).boxed().toList()).map(HitRepository::map).list());
    }

    /** Ids of hits received before the cutoff whose raw body is still kept. */
    public List<StoredHit> withRawReceivedBefore(Instant cutoff, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM trap_hit WHERE received_at < :cutoff "
                        + "AND raw_purged_at IS NULL ORDER BY id LIMIT :limit")
                .bind("cutoff", utc(cutoff)).bind("limit", limit).map(HitRepository::map).list());
    }

    public void markRawPurged(long id, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE trap_hit SET raw_purged_at = :at WHERE id = :id")
                .bind("at", utc(at)).bind("id", id).execute());
    }

    /** The hit's raw message, unless retention purged it (or it was lost before a layout change). */
    public Optional<RawCopy> rawCopy(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT sha256, raw_pack, raw_offset FROM trap_hit WHERE id = :id "
                        + "AND raw_purged_at IS NULL AND raw_pack IS NOT NULL")
                .bind("id", id)
                .map((rs, ctx) -> new RawCopy(rs.getString("sha256"), RawLocation.of(rs.getLong("raw_pack"), rs.getLong("raw_offset"))))
                .findOne());
    }

    /** Points a hit at another copy of its raw message (its own was lost, or moved from an old layout). */
    public void moveRaw(long id, RawLocation at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE trap_hit SET raw_pack = :p, raw_offset = :o WHERE id = :id")
                .bind("p", at.pack()).bind("o", at.offset()).bind("id", id).execute());
    }

    /** Whether any hit still keeping its raw body points at that copy. */
    public boolean rawStillNeeded(RawCopy copy) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM trap_hit WHERE sha256 = :s AND raw_pack = :p "
                        + "AND raw_offset = :o AND raw_purged_at IS NULL")
                .bind("s", copy.sha256()).bind("p", copy.at().pack()).bind("o", copy.at().offset())
                .mapTo(Long.class).one()) > 0;
    }

    /** Packs that hold at least one raw message a hit still keeps. */
    public Set<Long> livePacks() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT raw_pack FROM trap_hit WHERE raw_pack IS NOT NULL "
                + "AND raw_purged_at IS NULL").mapTo(Long.class).set());
    }

    /** Ids and hashes of hits whose raw message has no pack location yet (kept in an older layout). */
    public Map<Long, String> withoutPack(long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, sha256 FROM trap_hit WHERE id > :after AND raw_pack IS NULL "
                        + "AND raw_purged_at IS NULL ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit)
                .reduceRows(new LinkedHashMap<Long, String>(), (m, row) -> {
                    m.put(row.getColumn("id", Long.class), row.getColumn("sha256", String.class));
                    return m;
                }));
    }

    public void delete(long id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM trap_hit WHERE id = :id").bind("id", id).execute());
    }

    /** Hit count and time span of one subscriber, then per day and per session. */
    public CaseSummary caseSummary(String subscriber) {
        return jdbi.withHandle(h -> {
            var totals = h.createQuery("SELECT COUNT(*) n, MIN(received_at) first_at, MAX(received_at) last_at "
                            + "FROM trap_hit WHERE subscriber = :s")
                    .bind("s", subscriber)
                    .map((rs, ctx) -> new Object[] {rs.getLong("n"), instant(rs, "first_at"), instant(rs, "last_at")})
                    .one();
            List<CaseSummary.Day> days = h.createQuery("SELECT CAST(received_at AS DATE) d, COUNT(*) n FROM trap_hit "
                            + "WHERE subscriber = :s GROUP BY CAST(received_at AS DATE) ORDER BY d")
                    .bind("s", subscriber)
                    .map((rs, ctx) -> new CaseSummary.Day(rs.getObject("d", LocalDate.class), rs.getLong("n")))
                    .list();
            List<CaseSummary.Session> sessions = h.createQuery("SELECT session_id, nas_ip, COUNT(*) n, MIN(received_at) first_at, "
                            + "MAX(received_at) last_at FROM trap_hit WHERE subscriber = :s GROUP BY session_id, nas_ip "
                            + "ORDER BY first_at")
                    .bind("s", subscriber)
                    .map((rs, ctx) -> new CaseSummary.Session(rs.getString("session_id"), rs.getString("nas_ip"),
                            rs.getLong("n"), instant(rs, "first_at"), instant(rs, "last_at")))
                    .list();
            return new CaseSummary(subscriber, (Long) totals[0], (Instant) totals[1], (Instant) totals[2], days, sessions);
        });
    }

    /** Every hit, by id, a page at a time. */
    public List<StoredHit> page(long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM trap_hit WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit).map(HitRepository::map).list());
    }

    /** Ids and hashes of one subscriber's hits, oldest first. */
    public List<StoredHit> page(String subscriber, long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM trap_hit WHERE subscriber = :s AND id > :after "
                        + "ORDER BY id LIMIT :limit")
                .bind("s", subscriber).bind("after", afterId).bind("limit", limit).map(HitRepository::map).list());
    }

    static StoredHit map(ResultSet rs, StatementContext ctx) throws SQLException {
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
