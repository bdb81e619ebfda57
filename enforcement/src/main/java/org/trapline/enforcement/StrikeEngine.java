package org.trapline.enforcement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.trapline.attribution.session.SessionTarget;

/**
 * Turns attributed trap hits into strikes, blocks and suspensions, per subscriber (the address changes,
 * the customer does not). Deterministic: "now" is the injected clock, hit windows use the hits' own
 * times. Every method works inside the caller's transaction so that a decision and its journal entries
 * commit together.
 *
 * <p>Rules: more than {@code maxHits} hits since the last strike and within {@code window} earn a
 * strike; a strike blocks for {@link PolicySettings#blockFor(int)}; each {@code quietPeriod} without
 * hits forgives one strike; at {@code suspendAt} strikes the account is suspended until staff lift it.
 */
public final class StrikeEngine {

    static final String RULE_ACTOR = "rule";
    /** How long counted hits are kept beyond the window (the evidence store keeps the hits themselves). */
    static final Duration HIT_RETENTION = Duration.ofDays(30);

    private final PolicySettings settings;
    private final Clock clock;

    public StrikeEngine(PolicySettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Mutable working copy of one subscriber_strikes row. */
    private static final class State {
        final String subscriber;
        int strikes;
        Instant decayFrom;
        Instant lastStrike;
        Instant blockedUntil;
        Instant suspended;
        String fencedTarget;
        String aclAddress;
        String lastAddress;
        String heldReason;

        State(String subscriber) {
            this.subscriber = subscriber;
        }
    }

    /** Records a hit and returns the actions it calls for (none for unattributed or duplicate hits). */
    List<PlannedAction> onHit(Handle h, StrikeHit hit) {
        Instant now = clock.instant();
        if (!hit.attribution().actionable()) {
            h.createUpdate("MERGE INTO unattributed_hit (hit_id, at_ms, origin_ip, attribution, recorded_ms) KEY (hit_id) "
                            + "VALUES (:id, :at, :ip, :attr, :now)")
                    .bind("id", hit.hitId()).bind("at", hit.at().toEpochMilli()).bind("ip", hit.originIp())
                    .bind("attr", hit.attribution().name()).bind("now", now.toEpochMilli()).execute();
            return List.of();
        }
        boolean seen = h.createQuery("SELECT COUNT(*) FROM strike_hit WHERE hit_id = :id").bind("id", hit.hitId())
                .mapTo(Integer.class).one() > 0;
        if (seen) return List.of();
        h.createUpdate("INSERT INTO strike_hit (hit_id, subscriber, at_ms, origin_ip) VALUES (:id, :s, :at, :ip)")
                .bind("id", hit.hitId()).bind("s", hit.subscriber()).bind("at", hit.at().toEpochMilli())
                .bind("ip", hit.originIp()).execute();

        State s = load(h, hit.subscriber()).orElseGet(() -> new State(hit.subscriber()));
        decay(s, now);
        if (s.decayFrom == null || hit.at().isAfter(s.decayFrom)) s.decayFrom = hit.at();
        if (hit.originIp() != null) s.lastAddress = hit.originIp();

        List<PlannedAction> out = new ArrayList<>();
        if (s.suspended != null) {
            // Already as blocked as it gets; the hit is evidence, not a new action.
            save(h, s, now);
            return out;
        }
        Instant from = hit.at().minus(settings.window());
        if (s.lastStrike != null && s.lastStrike.isAfter(from)) from = s.lastStrike;
        List<String> counted = h.createQuery("SELECT hit_id FROM strike_hit WHERE subscriber = :s AND at_ms > :from "
                        + "AND at_ms <= :at ORDER BY at_ms, hit_id")
                .bind("s", s.subscriber).bind("from", from.toEpochMilli()).bind("at", hit.at().toEpochMilli())
                .mapTo(String.class).list();

        boolean blocked = s.blockedUntil != null && s.blockedUntil.isAfter(now);
        if (counted.size() > settings.maxHits()) {
            s.strikes++;
            s.lastStrike = hit.at();
            String why = counted.size() + " trap hits within " + settings.window() + " (more than " + settings.maxHits() + ")";
            if (s.strikes >= settings.suspendAt()) {
                s.suspended = now;
                s.blockedUntil = null;
                String rule = "strike " + s.strikes + " of " + settings.suspendAt() + ": " + why + "; account suspended until staff lift it";
                enforce(h, s, hit, rule, counted, out);
                if (hit.session() != null) out.add(nas(ActionType.DISCONNECT, s, hit.session(), rule, counted));
                out.add(notice(s, rule, counted));
            } else {
                Duration block = settings.blockFor(s.strikes);
                Instant until = now.plus(block);
                if (s.blockedUntil == null || until.isAfter(s.blockedUntil)) s.blockedUntil = until;
                String rule = "strike " + s.strikes + " of " + settings.suspendAt() + ": " + why + "; blocked " + block
                        + " until " + s.blockedUntil;
                enforce(h, s, hit, rule, counted, out);
                if (hit.session() != null && settings.disconnectAt() > 0 && s.strikes >= settings.disconnectAt()) {
                    out.add(nas(ActionType.DISCONNECT, s, hit.session(), rule, counted));
                }
                if (settings.noticeOnStrike()) out.add(notice(s, rule, counted));
            }
        } else if (blocked) {
            // A blocked subscriber who reconnected has a fresh, unfenced session: fence that one too.
            enforce(h, s, hit, "block active until " + s.blockedUntil + " (strike " + s.strikes + "); hit from a new session or address",
                    List.of(hit.hitId()), out);
        }
        save(h, s, now);
        return out;
    }

    /** Fence the hit's session, or put a fixed address on the ACL, unless that is already done or queued. */
    private void enforce(Handle h, State s, StrikeHit hit, String rule, List<String> hits, List<PlannedAction> out) {
        if (hit.session() != null) {
            String target = hit.session().describe();
            if (!target.equals(s.fencedTarget) && !openAction(h, s.subscriber, ActionType.FENCE, target)) {
                out.add(nas(ActionType.FENCE, s, hit.session(), rule, hits));
            }
        } else if (hit.originIp() != null) {
            if (!hit.originIp().equals(s.aclAddress) && !openAction(h, s.subscriber, ActionType.ACL, hit.originIp())) {
                out.add(new PlannedAction(ActionType.ACL, s.subscriber, hit.originIp(), List.of(), rule, hits, RULE_ACTOR));
            }
        }
    }

    private PlannedAction nas(ActionType type, State s, SessionTarget session, String rule, List<String> hits) {
        return new PlannedAction(type, s.subscriber, session.describe(),
                type == ActionType.FENCE ? settings.fenceAttributes() : List.of(), rule, hits, RULE_ACTOR);
    }

    private PlannedAction notice(State s, String rule, List<String> hits) {
        return new PlannedAction(ActionType.NOTICE, s.subscriber, s.subscriber, List.of(), rule, hits, RULE_ACTOR);
    }

    private static boolean openAction(Handle h, String subscriber, ActionType type, String target) {
        return h.createQuery("SELECT COUNT(*) FROM enforcement_action WHERE subscriber = :s AND type = :t AND target = :target "
                        + "AND state IN ('PENDING_REVIEW', 'QUEUED')")
                .bind("s", subscriber).bind("t", type.name()).bind("target", target).mapTo(Integer.class).one() > 0;
    }

    /**
     * Ends the blocks that are due: clears them and returns the restoring CoAs (for subscribers whose
     * fence was ACKed). Suspensions never expire.
     */
    List<PlannedAction> expire(Handle h, List<String> expiredSubscribers) {
        Instant now = clock.instant();
        List<String> due = h.createQuery("SELECT subscriber FROM subscriber_strikes WHERE suspended_ms IS NULL "
                        + "AND blocked_until_ms IS NOT NULL AND blocked_until_ms <= :now ORDER BY subscriber")
                .bind("now", now.toEpochMilli()).mapTo(String.class).list();
        // Counting needs only the last window; notices quote hits of actions that may wait for review.
        h.createUpdate("DELETE FROM strike_hit WHERE at_ms < :cutoff")
                .bind("cutoff", now.minus(HIT_RETENTION).minus(settings.window()).toEpochMilli()).execute();
        List<PlannedAction> out = new ArrayList<>();
        for (String subscriber : due) {
            State s = load(h, subscriber).orElseThrow();
            String rule = "block ended " + s.blockedUntil + " (strike " + s.strikes + ")";
            lift(s, rule, "expiry", out);
            save(h, s, now);
            expiredSubscribers.add(subscriber);
        }
        return out;
    }

    /** Staff lift: strikes to zero, suspension and block gone; empty when the subscriber is unknown. */
    Optional<List<PlannedAction>> unblock(Handle h, String subscriber, String actor) {
        Optional<State> loaded = load(h, subscriber);
        if (loaded.isEmpty()) return Optional.empty();
        Instant now = clock.instant();
        State s = loaded.get();
        List<PlannedAction> out = new ArrayList<>();
        lift(s, "unblocked by " + actor + " at strike " + s.strikes + (s.suspended != null ? " (suspended)" : ""), actor, out);
        s.strikes = 0;
        s.suspended = null;
        s.decayFrom = now;
        s.lastStrike = now;
        save(h, s, now);
        return Optional.of(out);
    }

    private void lift(State s, String rule, String actor, List<PlannedAction> out) {
        if (s.fencedTarget != null) {
            out.add(new PlannedAction(ActionType.RESTORE, s.subscriber, s.fencedTarget, settings.restoreAttributes(),
                    rule, List.of(), actor));
        }
        s.blockedUntil = null;
        s.fencedTarget = null;
        s.aclAddress = null;
        s.heldReason = null;
    }

    /** After an ACKed fence: the restoring CoA at expiry goes to this session. */
    void markFenced(Handle h, String subscriber, String target) {
        h.createUpdate("UPDATE subscriber_strikes SET fenced_target = :t, held_reason = NULL, updated_ms = :now WHERE subscriber = :s "
                        + "AND (suspended_ms IS NOT NULL OR blocked_until_ms > :now)")
                .bind("t", target).bind("s", subscriber).bind("now", clock.millis()).execute();
    }

    /** After an ACL action is carried out: the address is exported while the block lasts. */
    void markAcl(Handle h, String subscriber, String address) {
        h.createUpdate("UPDATE subscriber_strikes SET acl_address = :a, held_reason = NULL, updated_ms = :now WHERE subscriber = :s "
                        + "AND (suspended_ms IS NOT NULL OR blocked_until_ms > :now)")
                .bind("a", address).bind("s", subscriber).bind("now", clock.millis()).execute();
    }

    /**
     * The subscriber's block is decided but its actions wait for review (brake or exemption): until one
     * is carried out, the ACL export leaves their session address out, or it would cut them off anyway.
     */
    void markHeld(Handle h, String subscriber, String reason) {
        h.createUpdate("UPDATE subscriber_strikes SET held_reason = COALESCE(held_reason, :r), updated_ms = :now WHERE subscriber = :s")
                .bind("r", reason.length() <= 1000 ? reason : reason.substring(0, 1000)).bind("s", subscriber)
                .bind("now", clock.millis()).execute();
    }

    /** An action against the subscriber was carried out: the block is no longer only on paper. */
    void clearHeld(Handle h, String subscriber) {
        h.createUpdate("UPDATE subscriber_strikes SET held_reason = NULL, updated_ms = :now WHERE subscriber = :s AND held_reason IS NOT NULL")
                .bind("s", subscriber).bind("now", clock.millis()).execute();
    }

    /** Whether the subscriber's block (or suspension) is still on. */
    boolean blocked(Handle h, String subscriber) {
        return load(h, subscriber).map(s -> s.suspended != null
                || (s.blockedUntil != null && s.blockedUntil.isAfter(clock.instant()))).orElse(false);
    }

    Optional<SubscriberStatus> status(Handle h, String subscriber) {
        Instant now = clock.instant();
        return load(h, subscriber).map(s -> {
            decay(s, now);
            int inWindow = h.createQuery("SELECT COUNT(*) FROM strike_hit WHERE subscriber = :s AND at_ms > :from")
                    .bind("s", subscriber).bind("from", now.minus(settings.window()).toEpochMilli()).mapTo(Integer.class).one();
            Instant until = s.blockedUntil != null && s.blockedUntil.isAfter(now) ? s.blockedUntil : null;
            return new SubscriberStatus(s.subscriber, s.strikes, until, s.suspended, s.fencedTarget, s.aclAddress,
                    s.lastAddress, inWindow);
        });
    }

    /** Addresses to block at routers right now. */
    List<BlockedAddress> blockedAddresses(Handle h) {
        long now = clock.millis();
        String address = settings.aclIncludeSessions()
                ? "CASE WHEN held_reason IS NULL THEN COALESCE(acl_address, last_address) ELSE acl_address END" : "acl_address";
        return h.createQuery("SELECT " + address + " AS address, subscriber, blocked_until_ms, suspended_ms FROM subscriber_strikes "
                        + "WHERE " + address + " IS NOT NULL AND (suspended_ms IS NOT NULL OR blocked_until_ms > :now)")
                .bind("now", now)
                .map((rs, ctx) -> new BlockedAddress(rs.getString("address"), rs.getString("subscriber"),
                        rs.getObject("suspended_ms") != null ? null : Instant.ofEpochMilli(rs.getLong("blocked_until_ms"))))
                .list();
    }

    private void decay(State s, Instant now) {
        if (s.suspended != null || s.strikes == 0 || s.decayFrom == null || !now.isAfter(s.decayFrom)) return;
        long periods = Duration.between(s.decayFrom, now).toMillis() / settings.quietPeriod().toMillis();
        if (periods <= 0) return;
        s.strikes = (int) Math.max(0, s.strikes - periods);
        s.decayFrom = s.decayFrom.plus(settings.quietPeriod().multipliedBy(periods));
    }

    private static Optional<State> load(Handle h, String subscriber) {
        return h.createQuery("SELECT * FROM subscriber_strikes WHERE subscriber = :s").bind("s", subscriber)
                .map((rs, ctx) -> {
                    State s = new State(rs.getString("subscriber"));
                    s.strikes = rs.getInt("strikes");
                    s.decayFrom = instant(rs.getObject("decay_from_ms"));
                    s.lastStrike = instant(rs.getObject("last_strike_ms"));
                    s.blockedUntil = instant(rs.getObject("blocked_until_ms"));
                    s.suspended = instant(rs.getObject("suspended_ms"));
                    s.fencedTarget = rs.getString("fenced_target");
                    s.aclAddress = rs.getString("acl_address");
                    s.lastAddress = rs.getString("last_address");
                    s.heldReason = rs.getString("held_reason");
                    return s;
                }).findOne();
    }

    private static Instant instant(Object millis) {
        return millis == null ? null : Instant.ofEpochMilli(((Number) millis).longValue());
    }

    private static Long millis(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }

    private static void save(Handle h, State s, Instant now) {
        h.createUpdate("MERGE INTO subscriber_strikes (subscriber, strikes, decay_from_ms, last_strike_ms, blocked_until_ms, "
                        + "suspended_ms, fenced_target, acl_address, last_address, held_reason, updated_ms) KEY (subscriber) "
                        + "VALUES (:s, :strikes, :decay, :lastStrike, :until, :suspended, :fenced, :acl, :last, :held, :now)")
                .bind("s", s.subscriber).bind("strikes", s.strikes).bind("decay", millis(s.decayFrom))
                .bind("lastStrike", millis(s.lastStrike)).bind("until", millis(s.blockedUntil))
                .bind("suspended", millis(s.suspended)).bind("fenced", s.fencedTarget).bind("acl", s.aclAddress)
                .bind("last", s.lastAddress).bind("held", s.heldReason).bind("now", now.toEpochMilli()).execute();
    }
}
