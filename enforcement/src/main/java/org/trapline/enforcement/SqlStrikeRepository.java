package org.trapline.enforcement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The strike store in tables {@code subscriber_strikes}, {@code strike_hit} and {@code unattributed_hit}. */
final class SqlStrikeRepository extends SqlRepository implements StrikeRepository {

    /** Width of {@code subscriber_strikes.held_reason}. */
    private static final int HELD_REASON = 1000;
    private static final RowMapper<StrikeState> STATE = (rs, ctx) -> state(rs);
    private static final RowMapper<CountedHit> HIT = (rs, ctx) -> hit(rs);
    private static final RowMapper<UnattributedHit> UNATTRIBUTED = (rs, ctx) -> new UnattributedHit(rs.getString("hit_id"),
            Instant.ofEpochMilli(rs.getLong("at_ms")), rs.getString("origin_ip"), HitAttribution.valueOf(rs.getString("attribution")));

    private final PolicyDialect dialect;

    SqlStrikeRepository(Handle h, PolicyDialect dialect) {
        super(h, dialect.statements());
        this.dialect = dialect;
    }

    @Override
    public Optional<StrikeState> lock(String subscriber) {
        return query("strikes.lock").bind("s", subscriber).map(STATE).findOne();
    }

    @Override
    public StrikeState lockOrAdd(String subscriber, Instant now) {
        Optional<StrikeState> known = lock(subscriber);
        if (known.isPresent()) return known.get();
        dialect.addSubscriber(h, subscriber, now);
        return lock(subscriber).orElseThrow(() -> new IllegalStateException("subscriber " + subscriber + " was added but has no row"));
    }

    @Override
    public Optional<StrikeState> find(String subscriber) {
        return query("strikes.find").bind("s", subscriber).map(STATE).findOne();
    }

    @Override
    public void save(StrikeState s, Instant now) {
        String held = s.heldReason() == null || s.heldReason().length() <= HELD_REASON ? s.heldReason()
                : s.heldReason().substring(0, HELD_REASON);
        int saved = update("strikes.save")
                .bind("s", s.subscriber()).bind("strikes", s.strikes()).bind("decay", millis(s.decayFrom()))
                .bind("lastStrike", millis(s.lastStrike())).bind("until", millis(s.blockedUntil()))
                .bind("suspended", millis(s.suspendedAt())).bind("fenced", s.fencedTarget()).bind("acl", s.aclAddress())
                .bind("last", s.lastAddress()).bind("held", held).bind("now", now.toEpochMilli()).execute();
        if (saved != 1) throw new IllegalStateException("no row for subscriber " + s.subscriber() + " to save");
    }

    @Override
    public boolean counted(String hitId) {
        return query("strikes.counted").bind("id", hitId).mapTo(Integer.class).one() > 0;
    }

    @Override
    public void count(StrikeHit hit) {
        update("strikes.count").bind("id", hit.hitId()).bind("s", hit.subscriber())
                .bind("at", hit.at().toEpochMilli()).bind("ip", hit.originIp()).execute();
    }

    @Override
    public List<CountedHit> hitsWithin(String subscriber, Instant after, Instant until) {
        return query("strikes.hits_within").bind("s", subscriber).bind("after", after.toEpochMilli())
                .bind("until", until.toEpochMilli()).map(HIT).list();
    }

    @Override
    public int hitsSince(String subscriber, Instant after) {
        return query("strikes.hits_since").bind("s", subscriber).bind("after", after.toEpochMilli())
                .mapTo(Integer.class).one();
    }

    @Override
    public List<CountedHit> hits(Collection<String> hitIds) {
        if (hitIds.isEmpty()) return List.of();
        return query("strikes.hits").bindList("ids", List.copyOf(hitIds)).map(HIT).list();
    }

    @Override
    public void forgetHitsBefore(Instant before) {
        update("strikes.forget_hits").bind("before", before.toEpochMilli()).execute();
    }

    @Override
    public List<String> blockEndedBy(Instant now) {
        return query("strikes.block_ended").bind("now", now.toEpochMilli()).mapTo(String.class).list();
    }

    @Override
    public List<BlockedAddress> blockedAddresses(Instant now, boolean withSessions) {
        return query(withSessions ? "strikes.blocked_addresses_with_sessions" : "strikes.blocked_addresses")
                .bind("now", now.toEpochMilli())
                .map((rs, ctx) -> new BlockedAddress(rs.getString("address"), rs.getString("subscriber"),
                        rs.getObject("suspended_ms") != null ? null : Instant.ofEpochMilli(rs.getLong("blocked_until_ms"))))
                .list();
    }

    @Override
    public void recordUnattributed(StrikeHit hit, Instant now) {
        update("unattributed.record").bind("id", hit.hitId()).bind("at", hit.at().toEpochMilli())
                .bind("ip", hit.originIp()).bind("attribution", hit.attribution().name()).bind("now", now.toEpochMilli()).execute();
    }

    @Override
    public List<UnattributedHit> unattributed(int limit) {
        return query("unattributed.newest").bind("n", limit).map(UNATTRIBUTED).list();
    }

    @Override
    public List<UnattributedHit> unattributed(Set<HitAttribution> of, int limit) {
        if (of.isEmpty()) return List.of();
        return query("unattributed.newest_of").bindList("kinds", of.stream().map(HitAttribution::name).sorted().toList())
                .bind("n", limit).map(UNATTRIBUTED).list();
    }

    private static StrikeState state(ResultSet rs) throws SQLException {
        return new StrikeState(rs.getString("subscriber"), rs.getInt("strikes"), instant(rs, "decay_from_ms"),
                instant(rs, "last_strike_ms"), instant(rs, "blocked_until_ms"), instant(rs, "suspended_ms"),
                rs.getString("fenced_target"), rs.getString("acl_address"), rs.getString("last_address"), rs.getString("held_reason"));
    }

    private static CountedHit hit(ResultSet rs) throws SQLException {
        return new CountedHit(rs.getString("hit_id"), Instant.ofEpochMilli(rs.getLong("at_ms")), rs.getString("origin_ip"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Object v = rs.getObject(column);
        return v == null ? null : Instant.ofEpochMilli(((Number) v).longValue());
    }

    private static Long millis(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }
}
