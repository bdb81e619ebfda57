package org.trapline.enforcement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.trapline.attribution.session.SessionTarget;

/**
 * The strike rule: what a subscriber's standing becomes, and which actions it calls for, when a trap
 * hit counts against them, when their block runs out, when staff lift it and when an action against them
 * was carried out. Values in, values out: no database, no clock (each step is given its {@code now}; hit
 * windows use the hits' own times), no I/O; {@link Enforcer} loads the standing, hands it here and
 * stores what comes back.
 *
 * <p>Rules: more than {@code maxHits} hits since the last strike and within {@code window} earn a
 * strike; a strike blocks for {@link PolicySettings#blockFor(int)}; each {@code quietPeriod} without
 * hits forgives one strike; at {@code suspendAt} strikes the account is suspended until staff lift it.
 * Instants are compared to the millisecond, as the strike store keeps them.
 */
public final class StrikeEngine {

    static final String RULE_ACTOR = "rule";
    static final String EXPIRY_ACTOR = "expiry";
    private static final String STRIKE_RULE = "strike ";
    private static final String MANUAL_BLOCK_RULE = "blocked by ";
    /** How long counted hits are kept beyond the window (the evidence store keeps the hits themselves). */
    static final Duration HIT_RETENTION = Duration.ofDays(30);

    private static final Comparator<CountedHit> BY_TIME = Comparator.comparing(CountedHit::at).thenComparing(CountedHit::hitId);

    private final PolicySettings settings;

    public StrikeEngine(PolicySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Whether an action's rule is that of a strike or of a manual block, as {@link #onHit} and {@link #block}
     * word them: the actions one such decision journaled share its rule and its time, which is how a
     * case's strikes over time are read back from the journal.
     */
    public static boolean blockRule(String rule) {
        return rule != null && (rule.startsWith(STRIKE_RULE) || rule.startsWith(MANUAL_BLOCK_RULE));
    }

    /** The earliest (exclusive) time of the subscriber's hits that {@link #onHit} may count for {@code hit}. */
    Instant windowStart(StrikeHit hit) {
        return hit.at().minus(settings.window());
    }

    /** Counted hits older than this are no longer needed (notices quote hits of actions that may wait for review). */
    Instant keepHitsFrom(Instant now) {
        return now.minus(HIT_RETENTION).minus(settings.window());
    }

    /**
     * An attributed hit counts against its subscriber.
     *
     * @param state   the subscriber's standing before the hit ({@link StrikeState#first} for a new one)
     * @param counted the subscriber's hits counted before this one, at least those after {@link #windowStart}
     * @param hit     the new hit (not among {@code counted})
     * @return the new standing and the actions: fences and ACL entries as wanted, to be checked against the
     *         journal's open actions with {@link StrikeDecision#unlessOpen}
     */
    StrikeDecision onHit(StrikeState state, List<CountedHit> counted, StrikeHit hit, Instant now) {
        Instant at = millis(hit.at());
        StrikeState s = decay(state, now);
        s = s.withHit(s.decayFrom() == null || at.isAfter(s.decayFrom()) ? at : s.decayFrom(),
                hit.originIp() != null ? hit.originIp() : s.lastAddress());
        if (s.suspendedAt() != null) {
            // Already as blocked as it gets; the hit is evidence, not a new action.
            return StrikeDecision.keep(s);
        }
        Instant from = millis(windowStart(hit));
        if (s.lastStrike() != null && s.lastStrike().isAfter(from)) from = s.lastStrike();
        Instant after = from;
        List<String> inWindow = Stream.concat(counted.stream(), Stream.of(new CountedHit(hit.hitId(), at, hit.originIp())))
                .filter(h -> millis(h.at()).isAfter(after) && !millis(h.at()).isAfter(at))
                .sorted(BY_TIME).map(CountedHit::hitId).toList();

        List<PlannedAction> out = new ArrayList<>();
        boolean blocked = s.blockedUntil() != null && s.blockedUntil().isAfter(now);
        if (inWindow.size() > settings.maxHits()) {
            int strikes = s.strikes() + 1;
            String why = inWindow.size() + " trap hits within " + settings.window() + " (more than " + settings.maxHits() + ")";
            if (strikes >= settings.suspendAt()) {
                s = s.withStrike(strikes, at, null, now);
                String rule = STRIKE_RULE + strikes + " of " + settings.suspendAt() + ": " + why + "; account suspended until staff lift it";
                cutOff(s, hit, rule, inWindow, out);
                if (hit.session() != null) out.add(nas(ActionType.DISCONNECT, s, hit.session(), rule, inWindow));
                out.add(notice(s, rule, inWindow));
            } else {
                Duration block = settings.blockFor(strikes);
                Instant until = now.plus(block);
                if (s.blockedUntil() != null && !until.isAfter(s.blockedUntil())) until = s.blockedUntil();
                s = s.withStrike(strikes, at, until, null);
                String rule = STRIKE_RULE + strikes + " of " + settings.suspendAt() + ": " + why + "; blocked " + block + " until " + until;
                cutOff(s, hit, rule, inWindow, out);
                if (hit.session() != null && settings.disconnectAt() > 0 && strikes >= settings.disconnectAt()) {
                    out.add(nas(ActionType.DISCONNECT, s, hit.session(), rule, inWindow));
                }
                if (settings.noticeOnStrike()) out.add(notice(s, rule, inWindow));
            }
        } else if (blocked) {
            // A blocked subscriber who reconnected has a fresh, unfenced session: fence that one too.
            cutOff(s, hit, "block active until " + s.blockedUntil() + " (strike " + s.strikes() + "); hit from a new session or address",
                    List.of(hit.hitId()), out);
        }
        return new StrikeDecision(s, out, Optional.empty());
    }

    /**
     * The block runs out at its time: cleared, with the restoring CoA for a fence that was ACKed; what
     * still waits for review is dismissed. Suspensions never expire; a block not due is left as it is.
     */
    StrikeDecision expire(StrikeState state, Instant now) {
        if (state.suspendedAt() != null || state.blockedUntil() == null || state.blockedUntil().isAfter(now)) {
            return StrikeDecision.keep(state);
        }
        String rule = "block ended " + state.blockedUntil() + " (strike " + state.strikes() + ")";
        return new StrikeDecision(state.lifted(), restore(state, rule, EXPIRY_ACTOR),
                Optional.of(new StrikeDecision.Dismissal(EXPIRY_ACTOR, "block ended before review")));
    }

    /** Staff lift a block or suspension: strikes to zero, the hits so far spent, the session restored. */
    StrikeDecision unblock(StrikeState state, String actor, Instant now) {
        String rule = "unblocked by " + actor + " at strike " + state.strikes() + (state.suspendedAt() != null ? " (suspended)" : "");
        StrikeState s = state.lifted().withStrikes(0, now).withStrike(0, now, null, null);
        return new StrikeDecision(s, restore(state, rule, actor), Optional.of(new StrikeDecision.Dismissal(actor, "unblocked")));
    }

    /**
     * Staff block a subscriber by hand: blocked for {@code length} from {@code now} (the length the next
     * strike would earn when staff give none), never shortening a block that holds longer; their current
     * session fenced unless that is done already; the strike count is left as it is, as a manual block
     * is staff's judgement and not the count. A suspended account stays suspended and needs no block.
     *
     * @param session the subscriber's session now, or null when they are not online (the block is recorded,
     *                and the rule fences the session of their next hit)
     * @param length  how long, or null for {@link PolicySettings#blockFor} of the next strike
     */
    StrikeDecision block(StrikeState state, SessionTarget session, Duration length, String actor, String reason, Instant now) {
        if (length != null && (length.isNegative() || length.isZero())) throw new IllegalArgumentException("a block must last a while");
        if (state.suspendedAt() != null) throw new IllegalStateException(state.subscriber() + " is suspended already");
        Duration block = length != null ? length : settings.blockFor(state.strikes() + 1);
        Instant until = millis(now.plus(block));
        if (state.blockedUntil() != null && !until.isAfter(state.blockedUntil())) until = state.blockedUntil();
        StrikeState s = state.withStrike(state.strikes(), state.lastStrike(), until, null);
        String rule = MANUAL_BLOCK_RULE + actor + " for " + block + " until " + until + ": " + reason;
        List<PlannedAction> out = new ArrayList<>();
        if (session != null && !session.describe().equals(s.fencedTarget())) {
            out.add(new PlannedAction(ActionType.FENCE, s.subscriber(), session.describe(), settings.fenceAttributes(), rule, List.of(),
                    actor));
        }
        return new StrikeDecision(s, out, Optional.empty());
    }

    /**
     * An action against the subscriber was carried out ({@code DONE}), at {@code target} (a re-targeted
     * CoA names the session it reached). A fence ACKed while the block lasts is what the restoring CoA
     * undoes; one ACKed after the block ended (expiry or unblock while the NAS applied it) is undone at
     * once, or the subscriber would stay fenced with nothing left to restore them. Any cut-off carried
     * out means the block is no longer only on paper.
     */
    StrikeDecision carriedOut(StrikeState state, ActionRecord action, String target, Instant now) {
        boolean blocked = state.blockedAt(now);
        return switch (action.type()) {
            case FENCE -> blocked ? StrikeDecision.keep(state.withFence(target))
                    : new StrikeDecision(state, List.of(new PlannedAction(ActionType.RESTORE, action.subscriber(), target,
                            settings.restoreAttributes(), "block ended while fence " + action.id() + " was being applied",
                            action.hitIds(), EXPIRY_ACTOR)), Optional.empty());
            case ACL -> StrikeDecision.keep(blocked ? state.withAcl(action.target()) : state);
            case DISCONNECT -> StrikeDecision.keep(state.withHeldReason(null));
            default -> StrikeDecision.keep(state);
        };
    }

    /** The standing as staff see it at {@code now} (quiet periods forgiven). */
    SubscriberStatus status(StrikeState state, int hitsInWindow, Instant now) {
        StrikeState s = decay(state, now);
        Instant until = s.blockedUntil() != null && s.blockedUntil().isAfter(now) ? s.blockedUntil() : null;
        return new SubscriberStatus(s.subscriber(), s.strikes(), until, s.suspendedAt(), s.fencedTarget(), s.aclAddress(),
                s.lastAddress(), hitsInWindow);
    }

    /** Where a subscriber's hits in the window before {@code now} begin (exclusive), for {@link #status}. */
    Instant windowBefore(Instant now) {
        return now.minus(settings.window());
    }

    private StrikeState decay(StrikeState s, Instant now) {
        if (s.suspendedAt() != null || s.strikes() == 0 || s.decayFrom() == null || !now.isAfter(s.decayFrom())) return s;
        long periods = Duration.between(s.decayFrom(), now).toMillis() / settings.quietPeriod().toMillis();
        if (periods <= 0) return s;
        return s.withStrikes((int) Math.max(0, s.strikes() - periods), s.decayFrom().plus(settings.quietPeriod().multipliedBy(periods)));
    }

    /** Fence the hit's session, or put a fixed address on the ACL, unless that is done already. */
    private void cutOff(StrikeState s, StrikeHit hit, String rule, List<String> hits, List<PlannedAction> out) {
        if (hit.session() != null) {
            if (!hit.session().describe().equals(s.fencedTarget())) out.add(nas(ActionType.FENCE, s, hit.session(), rule, hits));
        } else if (hit.originIp() != null && !hit.originIp().equals(s.aclAddress())) {
            out.add(new PlannedAction(ActionType.ACL, s.subscriber(), hit.originIp(), List.of(), rule, hits, RULE_ACTOR));
        }
    }

    private List<PlannedAction> restore(StrikeState s, String rule, String actor) {
        return s.fencedTarget() == null ? List.of()
                : List.of(new PlannedAction(ActionType.RESTORE, s.subscriber(), s.fencedTarget(), settings.restoreAttributes(), rule,
                        List.of(), actor));
    }

    private PlannedAction nas(ActionType type, StrikeState s, SessionTarget session, String rule, List<String> hits) {
        return new PlannedAction(type, s.subscriber(), session.describe(),
                type == ActionType.FENCE ? settings.fenceAttributes() : List.of(), rule, hits, RULE_ACTOR);
    }

    private static PlannedAction notice(StrikeState s, String rule, List<String> hits) {
        return new PlannedAction(ActionType.NOTICE, s.subscriber(), s.subscriber(), List.of(), rule, hits, RULE_ACTOR);
    }

    private static Instant millis(Instant i) {
        return Instant.ofEpochMilli(i.toEpochMilli());
    }
}
