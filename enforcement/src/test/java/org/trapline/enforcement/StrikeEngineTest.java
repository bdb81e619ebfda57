package org.trapline.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.trapline.attribution.session.SessionTarget;

/** The strike rule on values alone: a standing, the hits counted so far, an event and its instant in; a standing and actions out. */
class StrikeEngineTest {

    static final Instant T0 = Instant.parse("2026-03-03T03:00:00Z");
    static final SessionTarget S1 = SessionTarget.of("10.255.0.1", "alice-s1", "alice", "10.0.9.77");
    static final SessionTarget S2 = SessionTarget.of("10.255.0.1", "alice-s2", "alice", "10.0.9.99");

    final Properties props = new Properties();

    StrikeEngine engine() {
        return new StrikeEngine(PolicySettings.from(props));
    }

    static StrikeHit hit(String id, Instant at, SessionTarget s) {
        return StrikeHit.matched(id, at, s.framedIp(), "alice", s);
    }

    static List<CountedHit> counted(Instant... at) {
        List<CountedHit> hits = new ArrayList<>();
        for (int i = 0; i < at.length; i++) hits.add(new CountedHit("h" + (i + 1), at[i], "10.0.9.77"));
        return hits;
    }

    static Instant min(long m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    static ActionRecord done(long id, ActionType type, String target) {
        return new ActionRecord(id, type, "alice", target, "", ActionMode.AUTO, ActionState.DONE, "strike 1", List.of("h1"), "rule",
                T0, null, null, "ACK", null, 1, null, null, null, null, T0, null, null, null);
    }

    @Test
    void moreThanMaxHitsInTheWindowIsAStrikeThatBlocksAndFences() {
        StrikeDecision three = engine().onHit(StrikeState.first("alice"), counted(min(1), min(2)), hit("h3", min(3), S1), min(3));
        assertThat(three.actions()).isEmpty();
        assertThat(three.state().strikes()).isZero();
        assertThat(three.state().decayFrom()).isEqualTo(min(3));
        assertThat(three.state().lastAddress()).isEqualTo("10.0.9.77");

        StrikeDecision four = engine().onHit(three.state(), counted(min(1), min(2), min(3)), hit("h4", min(4), S1), min(4));
        assertThat(four.state().strikes()).isEqualTo(1);
        assertThat(four.state().lastStrike()).isEqualTo(min(4));
        assertThat(four.state().blockedUntil()).isEqualTo(min(34));
        assertThat(four.actions()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.FENCE);
            assertThat(a.target()).isEqualTo(S1.describe());
            assertThat(a.hitIds()).containsExactly("h1", "h2", "h3", "h4");
            assertThat(a.attributes()).hasToString("[Filter-Id=smtp-block]");
            assertThat(a.rule()).contains("strike 1 of 10", "4 trap hits within PT1H");
            assertThat(a.actor()).isEqualTo("rule");
        });
        assertThat(four.dismissOpen()).isEmpty();
        assertThat(four.cutsOffAgain()).isTrue();
    }

    @Test
    void hitsOutsideTheWindowOrSpentOnTheLastStrikeDoNotCount() {
        List<CountedHit> old = counted(min(-120), min(-61), min(-60), min(10));
        StrikeDecision d = engine().onHit(StrikeState.first("alice"), old, hit("h9", min(0), S1), min(20));
        assertThat(d.actions()).isEmpty(); // the hour before h9 starts after -60, and the hit at +10 is later than h9

        StrikeState struck = new StrikeState("alice", 1, min(5), min(5), null, null, null, null, null, null);
        StrikeDecision after = engine().onHit(struck, counted(min(2), min(3), min(4), min(5)), hit("h5", min(6), S1), min(6));
        assertThat(after.actions()).isEmpty();
        assertThat(after.state().strikes()).isEqualTo(1);
    }

    @Test
    void aFixedAddressGoesOnTheAclOnceAndAReconnectedSubscriberIsFencedOnTheNewSession() {
        props.setProperty("strike.max-hits", "0");
        StrikeDecision acl = engine().onHit(StrikeState.first("shop"), List.of(),
                StrikeHit.fixedAddress("s1", min(1), "192.0.2.25", "shop"), min(1));
        assertThat(acl.actions()).extracting(PlannedAction::type, PlannedAction::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ActionType.ACL, "192.0.2.25"));

        props.setProperty("strike.max-hits", "3");
        StrikeState fenced = new StrikeState("alice", 1, min(4), min(4), min(34), null, S1.describe(), null, "10.0.9.77", null);
        assertThat(engine().onHit(fenced, List.of(), hit("h5", min(5), S1), min(5)).actions()).isEmpty();
        assertThat(engine().onHit(fenced, List.of(), hit("h6", min(6), S2), min(6)).actions()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.FENCE);
            assertThat(a.target()).isEqualTo(S2.describe());
            assertThat(a.hitIds()).containsExactly("h6");
            assertThat(a.rule()).startsWith("block active until " + min(34));
        });
    }

    @Test
    void aFenceStillOpenInTheJournalIsNotPlannedTwice() {
        props.setProperty("strike.max-hits", "0");
        StrikeDecision d = engine().onHit(StrikeState.first("alice"), List.of(), hit("h1", min(1), S1), min(1));
        ActionRecord pending = new ActionRecord(7, ActionType.FENCE, "alice", S1.describe(), "", ActionMode.REVIEW,
                ActionState.PENDING_REVIEW, "strike 1", List.of("h0"), "rule", T0, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
        assertThat(d.unlessOpen(List.of(pending)).actions()).isEmpty();
        assertThat(d.unlessOpen(List.of(done(8, ActionType.FENCE, S1.describe()))).actions()).hasSize(1);
        assertThat(d.unlessOpen(List.of(pending)).state()).isEqualTo(d.state());
    }

    @Test
    void atTheThresholdTheAccountIsSuspendedDisconnectedAndToldAndLaterHitsAreOnlyEvidence() {
        props.setProperty("strike.suspend-at", "2");
        StrikeState one = new StrikeState("alice", 1, min(4), min(4), min(34), null, S1.describe(), null, "10.0.9.77", null);
        StrikeDecision d = engine().onHit(one, counted(min(5), min(6), min(7)), hit("h8", min(8), S1), min(8));
        assertThat(d.state().suspendedAt()).isEqualTo(min(8));
        assertThat(d.state().blockedUntil()).isNull();
        assertThat(d.state().strikes()).isEqualTo(2);
        assertThat(d.actions()).extracting(PlannedAction::type).containsExactly(ActionType.DISCONNECT, ActionType.NOTICE);
        assertThat(d.actions().get(1).rule()).contains("account suspended until staff lift it");

        StrikeDecision later = engine().onHit(d.state(), counted(min(5), min(6), min(7), min(8)), hit("h9", min(9), S2), min(9));
        assertThat(later.actions()).isEmpty();
        assertThat(later.state().lastAddress()).isEqualTo("10.0.9.99");
        assertThat(engine().expire(later.state(), min(100_000))).isEqualTo(StrikeDecision.keep(later.state()));
    }

    @Test
    void quietPeriodsForgiveStrikesAndEachStrikeBlocksLonger() {
        StrikeState two = new StrikeState("alice", 2, min(0), min(0), min(60), null, null, null, null, null);
        assertThat(engine().status(two, 0, min(89)).strikes()).isEqualTo(2);
        assertThat(engine().status(two, 0, min(90)).strikes()).isEqualTo(1);
        assertThat(engine().status(two, 3, min(180))).satisfies(s -> {
            assertThat(s.strikes()).isZero();
            assertThat(s.blockedUntil()).isNull();
            assertThat(s.hitsInWindow()).isEqualTo(3);
        });
        StrikeDecision third = engine().onHit(two, counted(min(1), min(2), min(3)), hit("h4", min(4), S1), min(4));
        assertThat(third.state().strikes()).isEqualTo(3);
        assertThat(third.state().blockedUntil()).isEqualTo(min(4 + 90));
    }

    @Test
    void aBlockExpiresAtItsTimeWithARestoreToTheFencedSession() {
        StrikeState blocked = new StrikeState("alice", 1, min(4), min(4), min(34), null, S1.describe(), null, "10.0.9.77", "brake: x");
        assertThat(engine().expire(blocked, min(33))).isEqualTo(StrikeDecision.keep(blocked));
        StrikeDecision ended = engine().expire(blocked, min(34));
        assertThat(ended.state()).isEqualTo(new StrikeState("alice", 1, min(4), min(4), null, null, null, null, "10.0.9.77", null));
        assertThat(ended.actions()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.RESTORE);
            assertThat(a.target()).isEqualTo(S1.describe());
            assertThat(a.attributes()).hasToString("[Filter-Id=default]");
            assertThat(a.actor()).isEqualTo("expiry");
            assertThat(a.rule()).isEqualTo("block ended " + min(34) + " (strike 1)");
        });
        assertThat(ended.dismissOpen()).contains(new StrikeDecision.Dismissal("expiry", "block ended before review"));
        assertThat(engine().expire(blocked.withFence(null), min(40)).actions()).isEmpty();
    }

    @Test
    void staffUnblockResetsStrikesAndSpendsTheHitsSoFar() {
        StrikeState suspended = new StrikeState("alice", 10, min(4), min(4), null, min(4), S1.describe(), null, "10.0.9.77", null);
        StrikeDecision lifted = engine().unblock(suspended, "staff:anna", min(50));
        assertThat(lifted.state()).isEqualTo(new StrikeState("alice", 0, min(50), min(50), null, null, null, null, "10.0.9.77", null));
        assertThat(lifted.actions()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.RESTORE);
            assertThat(a.actor()).isEqualTo("staff:anna");
            assertThat(a.rule()).isEqualTo("unblocked by staff:anna at strike 10 (suspended)");
        });
        assertThat(lifted.dismissOpen()).contains(new StrikeDecision.Dismissal("staff:anna", "unblocked"));

        // A hit of the unblock's instant was counted before it: it is spent, as are all earlier ones.
        props.setProperty("strike.max-hits", "0");
        assertThat(engine().onHit(lifted.state(), counted(min(49)), hit("h2", min(50), S1), min(50)).actions()).isEmpty();
        assertThat(engine().onHit(lifted.state(), counted(min(49)), hit("h3", min(51), S1), min(51)).state().strikes()).isEqualTo(1);
    }

    @Test
    void whatWasCarriedOutIsKeptWhileTheBlockLastsAndAFenceAfterItIsUndone() {
        StrikeState blocked = new StrikeState("alice", 1, min(4), min(4), min(34), null, null, null, "10.0.9.77", "brake: x");
        StrikeDecision fenced = engine().carriedOut(blocked, done(5, ActionType.FENCE, S1.describe()), S2.describe(), min(10));
        assertThat(fenced).isEqualTo(StrikeDecision.keep(blocked.withFence(S2.describe())));
        assertThat(fenced.state().heldReason()).isNull();
        assertThat(engine().carriedOut(blocked, done(6, ActionType.ACL, "192.0.2.25"), "192.0.2.25", min(10)).state().aclAddress())
                .isEqualTo("192.0.2.25");
        assertThat(engine().carriedOut(blocked, done(7, ActionType.DISCONNECT, S1.describe()), S1.describe(), min(10)).state())
                .isEqualTo(blocked.withHeldReason(null));

        StrikeDecision late = engine().carriedOut(blocked, done(5, ActionType.FENCE, S1.describe()), S1.describe(), min(34));
        assertThat(late.state()).isEqualTo(blocked);
        assertThat(late.actions()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.RESTORE);
            assertThat(a.target()).isEqualTo(S1.describe());
            assertThat(a.hitIds()).containsExactly("h1");
            assertThat(a.rule()).isEqualTo("block ended while fence 5 was being applied");
        });
        assertThat(engine().carriedOut(blocked, done(6, ActionType.ACL, "192.0.2.25"), "192.0.2.25", min(40)).state()).isEqualTo(blocked);
        assertThat(engine().carriedOut(blocked, done(8, ActionType.NOTICE, "alice"), "alice", min(10))).isEqualTo(StrikeDecision.keep(blocked));
    }

    @Test
    void heldKeepsTheFirstReason() {
        StrikeState s = StrikeState.first("alice").held("brake: 20 automatic actions").held("exempt: x");
        assertThat(s.heldReason()).isEqualTo("brake: 20 automatic actions");
        assertThat(s.held(null)).isSameAs(s);
        assertThat(StrikeState.first("bob").blockedAt(T0)).isFalse();
    }
    @Test
    void aManualBlockFencesTheCurrentSessionForTheNextStrikesLengthOrTheOneGiven() {
        StrikeState one = engine().onHit(StrikeState.first("alice"), counted(min(1), min(2), min(3)), hit("h4", min(4), S1), min(4)).state();
        StrikeDecision staff = engine().block(one, S2, null, "staff:anna", "seen in the logs", min(10));
        // Strike 1 blocked until min 34; strike 2 would earn 60 minutes, and the count is staff's judgement, not a strike.
        assertThat(staff.state().strikes()).isEqualTo(1);
        assertThat(staff.state().blockedUntil()).isEqualTo(min(70));
        assertThat(staff.actions()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.FENCE);
            assertThat(a.target()).isEqualTo(S2.describe());
            assertThat(a.actor()).isEqualTo("staff:anna");
            assertThat(a.rule()).isEqualTo("blocked by staff:anna for PT1H until " + min(70) + ": seen in the logs");
        });

        StrikeDecision shorter = engine().block(staff.state(), S2, Duration.ofMinutes(5), "staff:anna", "again", min(11));
        assertThat(shorter.state().blockedUntil()).as("a manual block never shortens one that holds").isEqualTo(min(70));

        StrikeDecision fenced = engine().block(staff.state().withFence(S2.describe()), S2, Duration.ofDays(2), "staff:anna", "x", min(12));
        assertThat(fenced.actions()).as("the session is fenced already").isEmpty();
        assertThat(fenced.state().blockedUntil()).isEqualTo(min(12).plus(Duration.ofDays(2)));

        StrikeDecision offline = engine().block(StrikeState.first("bob"), null, null, "staff:anna", "x", min(0));
        assertThat(offline.actions()).isEmpty();
        assertThat(offline.state().blockedAt(min(29))).isTrue();
        assertThat(offline.state().blockedAt(min(30))).isFalse();
    }
}
