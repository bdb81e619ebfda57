package org.trapline.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Properties;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.StoreSettings;
import org.trapline.common.sql.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.enforcement.coa.NasCommand;
import org.trapline.attribution.session.SessionTarget;

/** Runs once per dialect of the policy database, on the real database of each (TestStores). */
@ParameterizedClass
@MethodSource("org.trapline.common.sql.TestStores#dialects")
class EnforcerTest {
    @Parameter
    Dialect dialect;
    StoreSettings where;

    @BeforeEach
    void where() {
        where = TestStores.settings(dialect, "enforcer");
    }


    static final Instant T0 = Instant.parse("2026-03-03T03:00:00Z");
    static final SessionTarget ALICE_1 = SessionTarget.of("10.255.0.1", "alice-s1", "alice", "10.0.9.77");
    static final SessionTarget ALICE_2 = SessionTarget.of("10.255.0.1", "alice-s2", "alice", "10.0.9.99");

    @TempDir
    Path data;
    final TestClock clock = new TestClock(T0);
    final FakeNas nas = new FakeNas();
    final List<Notice> notices = new ArrayList<>();
    final Map<String, SessionTarget> current = new HashMap<>();
    final Properties props = new Properties();
    PolicyDatabase database;
    Jdbi db;
    int hitNo;

    @AfterEach
    void close() {
        if (database != null) database.close();
    }

    Enforcer enforcer() {
        if (db == null) {
            database = PolicyDatabase.open(data, where);
            db = database.jdbi();
        }
        return new Enforcer(PolicySettings.from(props), db, nas, n -> {
            notices.add(n);
            return "mailed " + n.subscriber();
        }, s -> Optional.ofNullable(current.get(s)), clock);
    }

    StrikeHit hit(SessionTarget s) {
        return StrikeHit.matched("hit-" + (++hitNo), clock.instant(), s.framedIp(), s.userName(), s);
    }

    /** N hits a minute apart; returns the actions of the last one. */
    List<ActionRecord> hits(Enforcer e, SessionTarget s, int n) {
        List<ActionRecord> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofMinutes(1));
            all.addAll(e.onHit(hit(s)));
        }
        return all;
    }

    @Test
    void moreThanNHitsInTheWindowIsAStrikeThatFencesTheSession() {
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        assertThat(hits(e, ALICE_1, 3)).isEmpty();
        assertThat(nas.received).isEmpty();

        List<ActionRecord> fourth = hits(e, ALICE_1, 1);
        assertThat(fourth).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.FENCE);
            assertThat(a.state()).isEqualTo(ActionState.DONE);
            assertThat(a.outcome()).isEqualTo("ACK");
            assertThat(a.actor()).isEqualTo("rule");
            assertThat(a.rule()).contains("strike 1 of 10", "4 trap hits", "PT30M");
            assertThat(a.hitIds()).containsExactly("hit-1", "hit-2", "hit-3", "hit-4");
            assertThat(a.attempts()).isEqualTo(1);
            assertThat(a.retries()).isZero();
            assertThat(a.target()).isEqualTo(ALICE_1.describe());
        });
        assertThat(nas.received).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(NasCommand.Kind.COA);
            assertThat(c.target()).isEqualTo(ALICE_1);
            assertThat(c.attributes()).hasToString("[Filter-Id=smtp-block]");
        });
        SubscriberStatus s = e.status("alice").orElseThrow();
        assertThat(s.strikes()).isEqualTo(1);
        assertThat(s.blockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        assertThat(s.fencedTarget()).isEqualTo(ALICE_1.describe());
    }

    @Test
    void hitsOutsideTheWindowDoNotAddUp() {
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        for (int i = 0; i < 8; i++) {
            clock.advance(Duration.ofMinutes(25)); // at most 3 hits in any hour
            assertThat(e.onHit(hit(ALICE_1))).isEmpty();
        }
        assertThat(e.status("alice").orElseThrow().strikes()).isZero();
    }

    @Test
    void blockExpiresByItselfWithARestoringCoa() {
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        hits(e, ALICE_1, 4);
        clock.advance(Duration.ofMinutes(29));
        assertThat(e.expireDue()).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        List<ActionRecord> restored = e.expireDue();
        assertThat(restored).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.RESTORE);
            assertThat(a.state()).isEqualTo(ActionState.DONE);
            assertThat(a.actor()).isEqualTo("expiry");
        });
        assertThat(nas.received.get(1).attributes()).hasToString("[Filter-Id=default]");
        assertThat(e.status("alice").orElseThrow().blockedUntil()).isNull();
        assertThat(e.expireDue()).isEmpty();
        // The strike itself stays until a quiet period forgives it.
        assertThat(e.status("alice").orElseThrow().strikes()).isEqualTo(1);
    }

    @Test
    void eachStrikeBlocksLongerAndQuietPeriodsForgiveThem() {
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        hits(e, ALICE_1, 4);
        hits(e, ALICE_1, 4);
        SubscriberStatus two = e.status("alice").orElseThrow();
        assertThat(two.strikes()).isEqualTo(2);
        assertThat(two.blockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(60)));
        // Still fenced on the same session: no second CoA.
        assertThat(nas.received).hasSize(1);

        clock.advance(Duration.ofMinutes(89));
        assertThat(e.status("alice").orElseThrow().strikes()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(1));
        assertThat(e.status("alice").orElseThrow().strikes()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(90));
        assertThat(e.status("alice").orElseThrow().strikes()).isZero();
        // A fresh offence starts from strike 1 again.
        e.expireDue();
        hits(e, ALICE_1, 4);
        assertThat(e.status("alice").orElseThrow().strikes()).isEqualTo(1);
    }

    @Test
    void suspensionAtTheThresholdDisconnectsNoticesAndNeverExpires() {
        props.setProperty("strike.suspend-at", "2");
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        hits(e, ALICE_1, 4);
        List<ActionRecord> second = hits(e, ALICE_1, 4);
        assertThat(second).extracting(ActionRecord::type).containsExactly(ActionType.DISCONNECT, ActionType.NOTICE);
        assertThat(second.get(0).state()).isEqualTo(ActionState.PENDING_REVIEW); // disconnect defaults to review
        assertThat(second.get(1).state()).isEqualTo(ActionState.DONE);
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.suspended()).isTrue();
            assertThat(n.strikes()).isEqualTo(2);
            assertThat(n.hitCount()).isEqualTo(4);
            assertThat(n.sampleHitId()).isEqualTo("hit-8");
            assertThat(n.firstHit()).isBefore(n.lastHit());
        });
        assertThat(e.status("alice").orElseThrow().suspended()).isTrue();

        clock.advance(Duration.ofDays(30));
        assertThat(e.expireDue()).isEmpty();
        assertThat(e.status("alice").orElseThrow().strikes()).isEqualTo(2);
        assertThat(hits(e, ALICE_1, 10)).isEmpty();

        long disconnect = second.get(0).id();
        assertThat(e.confirm(disconnect, new StaffAct("erin", "test", null)).state()).isEqualTo(ActionState.DONE);
        assertThat(nas.received.get(nas.received.size() - 1).kind()).isEqualTo(NasCommand.Kind.DISCONNECT);

        List<ActionRecord> lifted = e.unblock("alice", new StaffAct("erin", "test", "customer cleaned the machine")).orElseThrow();
        assertThat(lifted).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.RESTORE);
            assertThat(a.actor()).isEqualTo("staff:erin");
            assertThat(a.reason()).isEqualTo("customer cleaned the machine");
        });
        SubscriberStatus after = e.status("alice").orElseThrow();
        assertThat(after.suspended()).isFalse();
        assertThat(after.strikes()).isZero();
        assertThat(e.unblock("nobody", new StaffAct("erin", "test", null))).isEmpty();
    }

    @Test
    void unattributedHitsNeverActAndAreListedForReview() {
        Enforcer e = enforcer();
        for (HitAttribution a : List.of(HitAttribution.AMBIGUOUS, HitAttribution.NO_SESSION, HitAttribution.NOT_OURS)) {
            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofSeconds(10));
                assertThat(e.onHit(StrikeHit.unattributed(a + "-" + i, clock.instant(), "10.0.9.77", a))).isEmpty();
            }
        }
        assertThat(nas.received).isEmpty();
        assertThat(e.journal().list(false)).isEmpty();
        assertThat(e.unattributedHits(100)).hasSize(18).first()
                .satisfies(u -> assertThat(u.attribution()).isEqualTo(HitAttribution.NOT_OURS));
    }

    @Test
    void hitsWithoutOriginOrTimeAreListedForReviewWithTheirReasonAndNeverActedOn() {
        props.setProperty("strike.max-hits", "1");
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        clock.advance(Duration.ofMinutes(1));
        assertThat(e.onHit(StrikeHit.unattributed("no-origin-1", clock.instant(), null, HitAttribution.NO_ORIGIN))).isEmpty();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            // The address is alice's: a guessed time would have named her.
            assertThat(e.onHit(StrikeHit.unattributed("undated-" + i, clock.instant(), "10.0.9.77", HitAttribution.UNDATED))).isEmpty();
        }
        clock.advance(Duration.ofMinutes(1));
        e.onHit(StrikeHit.unattributed("not-ours", clock.instant(), "192.0.2.1", HitAttribution.NOT_OURS));
        e.expireDue();

        assertThat(nas.received).as("no CoA, no Disconnect").isEmpty();
        assertThat(notices).isEmpty();
        assertThat(e.journal().list(false)).as("nothing journaled, not even for review").isEmpty();
        assertThat(e.status("alice")).isEmpty();
        assertThat(e.faultyHits(100)).extracting(UnattributedHit::hitId)
                .containsExactly("undated-4", "undated-3", "undated-2", "undated-1", "undated-0", "no-origin-1");
        assertThat(e.faultyHits(100).get(0).reason()).contains("no usable time");
        assertThat(e.faultyHits(100).get(5)).satisfies(u -> {
            assertThat(u.originIp()).isNull();
            assertThat(u.reason()).startsWith("no origin hop");
        });
        assertThat(e.unattributedHits(100)).hasSize(7);
        // The same hits attributed would have fenced alice at once: the test would see it.
        e.onHit(StrikeHit.matched("m-1", clock.instant(), "10.0.9.77", "alice", ALICE_1));
        e.onHit(StrikeHit.matched("m-2", clock.instant(), "10.0.9.77", "alice", ALICE_1));
        assertThat(nas.received).isNotEmpty();
    }

    @Test
    void aReplayedHitCountsOnce() {
        Enforcer e = enforcer();
        StrikeHit same = StrikeHit.matched("hit-x", clock.instant(), "10.0.9.77", "alice", ALICE_1);
        for (int i = 0; i < 10; i++) assertThat(e.onHit(same)).isEmpty();
        assertThat(e.status("alice").orElseThrow().hitsInWindow()).isEqualTo(1);
    }

    @Test
    void reviewModeLeavesTheNasUntouchedUntilConfirmed() {
        props.setProperty("action.fence.mode", "review");
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        ActionRecord pending = hits(e, ALICE_1, 4).get(0);
        assertThat(pending.state()).isEqualTo(ActionState.PENDING_REVIEW);
        assertThat(nas.received).isEmpty();
        assertThat(e.journal().list(true)).extracting(ActionRecord::id).containsExactly(pending.id());
        // More hits do not queue a second fence for the same session.
        hits(e, ALICE_1, 4);
        assertThat(e.journal().list(true)).hasSize(1);

        ActionRecord done = e.confirm(pending.id(), new StaffAct("erin", "10.0.0.9", "  15 hits this week, all from her session "));
        assertThat(done.state()).isEqualTo(ActionState.DONE);
        assertThat(done.decidedBy()).isEqualTo("staff:erin");
        assertThat(done.reason()).isEqualTo("15 hits this week, all from her session");
        assertThat(nas.received).hasSize(1);
        assertThat(e.journal().list(true)).isEmpty();
        assertThatThrownBy(() -> e.confirm(pending.id(), new StaffAct("erin", "test", null))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> e.dismiss(pending.id(), new StaffAct("erin", "test", null))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> e.confirm(999, new StaffAct("erin", "test", null))).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void dismissedAndExpiredReviewsSendNothing() {
        props.setProperty("action.fence.mode", "review");
        Enforcer e = enforcer();
        ActionRecord pending = hits(e, ALICE_1, 4).get(0);
        ActionRecord dismissed = e.dismiss(pending.id(), new StaffAct("erin", "test", "forged Received chain"));
        assertThat(dismissed.state()).isEqualTo(ActionState.DISMISSED);
        assertThat(dismissed.reason()).isEqualTo("forged Received chain");

        hits(e, ALICE_2, 4);
        ActionRecord second = e.journal().list(true).get(0);
        clock.advance(Duration.ofHours(2));
        assertThat(e.expireDue()).isEmpty(); // never fenced, so nothing to restore
        ActionRecord expired = e.journal().find(second.id()).orElseThrow();
        assertThat(expired.state()).isEqualTo(ActionState.DISMISSED);
        assertThat(expired.decidedBy()).isEqualTo("expiry");
        assertThat(expired.reason()).isNull();
        assertThat(nas.received).isEmpty();
    }

    @Test
    void dryRunJournalsTheRequestWithoutSendingIt() {
        props.setProperty("action.fence.mode", "dry-run");
        Enforcer e = enforcer();
        ActionRecord a = hits(e, ALICE_1, 4).get(0);
        assertThat(a.state()).isEqualTo(ActionState.DRY_RUN);
        assertThat(a.request()).contains("CoA-Request to nas=10.255.0.1 session=alice-s1", "Filter-Id=smtp-block");
        assertThat(nas.received).isEmpty();
        assertThat(e.journal().list(true)).isEmpty();
    }

    @Test
    void nak503IsRetargetedAtTheCurrentSession() {
        nas.sessions.add("alice-s2");
        current.put("alice", ALICE_2);
        Enforcer e = enforcer();
        ActionRecord a = hits(e, ALICE_1, 4).get(0);
        assertThat(a.state()).isEqualTo(ActionState.DONE);
        assertThat(a.outcome()).isEqualTo("NAK 503 Session-Context-Not-Found, then ACK");
        assertThat(a.target()).isEqualTo(ALICE_2.describe());
        assertThat(a.attempts()).isEqualTo(2);
        assertThat(a.note()).contains("re-targeted");
        assertThat(nas.received).extracting(c -> c.target().acctSessionId()).containsExactly("alice-s1", "alice-s2");
        assertThat(e.status("alice").orElseThrow().fencedTarget()).isEqualTo(ALICE_2.describe());
    }

    @Test
    void nak503WithoutACurrentSessionClosesTheAction() {
        Enforcer e = enforcer();
        ActionRecord a = hits(e, ALICE_1, 4).get(0);
        assertThat(a.state()).isEqualTo(ActionState.CLOSED);
        assertThat(a.errorCause()).isEqualTo(503);
        assertThat(a.answer()).contains("Error-Cause = 503 Session-Context-Not-Found");
        assertThat(nas.received).hasSize(1);
        assertThat(e.status("alice").orElseThrow().fencedTarget()).isNull();
    }

    @Test
    void nasDownIsAJournaledFailureWithItsRetries() {
        nas.down = true;
        Enforcer e = enforcer();
        ActionRecord a = hits(e, ALICE_1, 4).get(0);
        assertThat(a.state()).isEqualTo(ActionState.FAILED);
        assertThat(a.outcome()).isEqualTo("TIMEOUT after 3 attempts");
        assertThat(a.retries()).isEqualTo(2);
        assertThat(a.answer()).contains("no answer");
    }

    @Test
    void aBlockedSubscriberOnANewSessionIsFencedThereToo() {
        nas.sessions.add("alice-s1");
        nas.sessions.add("alice-s2");
        Enforcer e = enforcer();
        hits(e, ALICE_1, 4);
        List<ActionRecord> next = hits(e, ALICE_2, 1);
        assertThat(next).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.FENCE);
            assertThat(a.target()).isEqualTo(ALICE_2.describe());
            assertThat(a.rule()).contains("block active");
        });
        assertThat(hits(e, ALICE_2, 1)).isEmpty();
    }

    @Test
    void escalatesToDisconnectFromTheConfiguredStrike() {
        props.setProperty("strike.disconnect-at", "2");
        props.setProperty("action.disconnect.mode", "auto");
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        assertThat(hits(e, ALICE_1, 4)).extracting(ActionRecord::type).containsExactly(ActionType.FENCE);
        assertThat(hits(e, ALICE_1, 4)).extracting(ActionRecord::type).containsExactly(ActionType.DISCONNECT);
        assertThat(nas.received).extracting(NasCommand::kind).containsExactly(NasCommand.Kind.COA, NasCommand.Kind.DISCONNECT);
    }

    @Test
    void stateAndPendingReviewsSurviveARestart() {
        props.setProperty("action.fence.mode", "review");
        nas.sessions.add("alice-s1");
        Enforcer first = enforcer();
        hits(first, ALICE_1, 4);
        hits(first, ALICE_1, 4);
        long pending = first.journal().list(true).get(0).id();
        SubscriberStatus before = first.status("alice").orElseThrow();

        database.close(); // a new process: fresh connections to the same files
        db = null;
        Enforcer second = enforcer();
        assertThat(second.status("alice")).contains(before);
        assertThat(second.confirm(pending, new StaffAct("erin", "test", null)).state()).isEqualTo(ActionState.DONE);
        clock.advance(Duration.ofHours(1));
        assertThat(second.expireDue()).extracting(ActionRecord::type).containsExactly(ActionType.RESTORE);
    }

    @Test
    void queuedActionsLeftByACrashAreResumed() {
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        PolicyStore.of(db).inTransaction((strikes, actions) -> actions.journal(new PlannedAction(ActionType.FENCE, "alice", ALICE_1.describe(),
                PolicySettings.defaults().fenceAttributes(), "test", List.of("hit-0"), "rule"), ActionMode.AUTO, ActionState.QUEUED, T0, null,
                null));
        assertThat(e.resumeQueued()).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(ActionState.DONE));
        assertThat(e.resumeQueued()).isEmpty();
    }

    @Test
    void fixedAddressCustomersGoOnTheAclUntilTheBlockEnds() {
        Enforcer e = enforcer();
        List<ActionRecord> acts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(1));
            acts.addAll(e.onHit(StrikeHit.fixedAddress("s-" + i, clock.instant(), "192.0.2.25", "shop-42")));
        }
        assertThat(acts).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.ACL);
            assertThat(a.state()).isEqualTo(ActionState.DONE);
        });
        assertThat(nas.received).isEmpty();
        assertThat(e.blockedAddresses()).singleElement().satisfies(b -> {
            assertThat(b.address()).isEqualTo("192.0.2.25");
            assertThat(b.until()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        });
        clock.advance(Duration.ofMinutes(30));
        assertThat(e.blockedAddresses()).isEmpty();
        e.expireDue();
        assertThat(e.status("shop-42").orElseThrow().aclAddress()).isNull();
    }

    @Test
    void aFenceAckedAfterTheBlockEndedIsUndone() {
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        nas.duringSend = () -> {
            clock.advance(Duration.ofMinutes(31));
            assertThat(e.expireDue()).isEmpty(); // the fence is not ACKed yet: nothing to restore
        };
        List<ActionRecord> acts = hits(e, ALICE_1, 4);
        assertThat(acts).extracting(ActionRecord::type).containsExactly(ActionType.FENCE);
        assertThat(nas.received).extracting(c -> c.attributes().toString())
                .containsExactly("[Filter-Id=smtp-block]", "[Filter-Id=default]");
        assertThat(e.journal().forSubscriber("alice")).extracting(ActionRecord::type, ActionRecord::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ActionType.FENCE, ActionState.DONE),
                        org.assertj.core.groups.Tuple.tuple(ActionType.RESTORE, ActionState.DONE));
        assertThat(e.status("alice").orElseThrow().fencedTarget()).isNull();
    }

    @Test
    void aFailedFenceIsRetriedOnceFixedAndBothAttemptsAreJournaled() {
        nas.down = true;
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        ActionRecord failed = hits(e, ALICE_1, 4).get(0);
        assertThat(failed.state()).isEqualTo(ActionState.FAILED);
        assertThatThrownBy(() -> e.confirm(failed.id(), new StaffAct("erin", "test", null))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not pending review", "trapline retry " + failed.id());

        // The NAS is back and the fence attributes were corrected: a process started with the new settings retries.
        nas.down = false;
        props.setProperty("coa.fence.attributes", "Filter-Id=smtp-block-v2");
        clock.advance(Duration.ofMinutes(5));
        Enforcer fixed = enforcer();
        ActionRecord retried = fixed.retry(failed.id(), new StaffAct("erin", "test", "CoA secret fixed"));
        assertThat(retried.reason()).isEqualTo("CoA secret fixed");
        assertThat(retried.id()).isNotEqualTo(failed.id());
        assertThat(retried.state()).isEqualTo(ActionState.DONE);
        assertThat(retried.outcome()).isEqualTo("ACK");
        assertThat(retried.retryOf()).isEqualTo(failed.id());
        assertThat(retried.type()).isEqualTo(ActionType.FENCE);
        assertThat(retried.target()).isEqualTo(failed.target());
        assertThat(retried.hitIds()).isEqualTo(failed.hitIds());
        assertThat(retried.actor()).isEqualTo("staff:erin");
        assertThat(retried.decidedBy()).isEqualTo("staff:erin");
        assertThat(retried.createdAt()).isEqualTo(clock.instant());
        assertThat(retried.rule()).startsWith("retry of action " + failed.id() + " (TIMEOUT after 3 attempts): strike 1 of 10");
        assertThat(nas.received.get(nas.received.size() - 1).attributes()).hasToString("[Filter-Id=smtp-block-v2]");
        // The failed attempt stays as it was: evidence of what happened.
        assertThat(fixed.journal().find(failed.id())).contains(failed);
        assertThat(fixed.journal().forSubscriber("alice")).extracting(ActionRecord::id, ActionRecord::state, ActionRecord::retryOf)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(failed.id(), ActionState.FAILED, null),
                        org.assertj.core.groups.Tuple.tuple(retried.id(), ActionState.DONE, failed.id()));
        assertThat(fixed.status("alice").orElseThrow().fencedTarget()).isEqualTo(ALICE_1.describe());

        assertThatThrownBy(() -> fixed.retry(failed.id(), new StaffAct("erin", "test", null))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("retried already as action " + retried.id());
        assertThatThrownBy(() -> fixed.retry(retried.id(), new StaffAct("erin", "test", null))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is DONE, not FAILED");
        assertThatThrownBy(() -> fixed.retry(999, new StaffAct("erin", "test", null))).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> fixed.retry(failed.id(), new StaffAct(" ", "test", null))).isInstanceOf(IllegalArgumentException.class);

        // The retried fence is the one the block's end restores.
        clock.advance(Duration.ofMinutes(30));
        assertThat(fixed.expireDue()).singleElement().satisfies(a -> assertThat(a.type()).isEqualTo(ActionType.RESTORE));
    }

    @Test
    void aRetryThatNoLongerFitsIsRefused() {
        nas.down = true;
        nas.sessions.add("alice-s1");
        Enforcer e = enforcer();
        ActionRecord failedFence = hits(e, ALICE_1, 4).get(0);
        clock.advance(Duration.ofMinutes(31));
        e.expireDue();
        assertThatThrownBy(() -> e.retry(failedFence.id(), new StaffAct("erin", "test", null))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alice is no longer blocked");

        // A restore that failed is retried, unless the subscriber is blocked again by then.
        nas.down = false;
        hits(e, ALICE_1, 4);
        nas.down = true;
        clock.advance(Duration.ofHours(1));
        ActionRecord failedRestore = e.expireDue().get(0);
        assertThat(failedRestore.type()).isEqualTo(ActionType.RESTORE);
        assertThat(failedRestore.state()).isEqualTo(ActionState.FAILED);
        nas.down = false;
        hits(e, ALICE_1, 4);
        assertThatThrownBy(() -> e.retry(failedRestore.id(), new StaffAct("erin", "test", null))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alice is blocked again");
        clock.advance(Duration.ofHours(3));
        e.expireDue();
        assertThat(e.retry(failedRestore.id(), new StaffAct("erin", "test", null)).state()).isEqualTo(ActionState.DONE);
    }

    int countedHits() {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM strike_hit").mapTo(Integer.class).one());
    }

    @Test
    void countedHitsArePrunedLongAfterTheirWindow() {
        Enforcer e = enforcer();
        hits(e, ALICE_1, 2);
        clock.advance(Duration.ofDays(30));
        e.expireDue();
        assertThat(countedHits()).isEqualTo(2);
        clock.advance(Duration.ofHours(2));
        e.expireDue();
        assertThat(countedHits()).isZero();
    }

    @Test
    void oversizedHitFieldsAreAClearError() {
        assertThatThrownBy(() -> StrikeHit.fixedAddress("x", T0, "10.0.0.1", "s".repeat(300)))
                .hasMessageContaining("subscriber longer than 255");
    }

    @Test
    void unattributedHitsAreRejectedWhenTheyClaimASubscriber() {
        assertThatThrownBy(() -> StrikeHit.unattributed("x", T0, "10.0.0.1", HitAttribution.MATCHED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StrikeHit("x", T0, "10.0.0.1", HitAttribution.MATCHED, "alice", null))
                .hasMessageContaining("no session");
    }
    @Test
    void staffBlockFencesTheCurrentSessionAtOnceEvenInReviewModeAndUnblockRestoresIt() {
        props.setProperty("action.fence.mode", "review");
        nas.sessions.add("alice-s1");
        current.put("alice", ALICE_1);
        Enforcer e = enforcer();
        Enforcer.Blocked b = e.block("alice", new StaffAct("erin", "test", "complaint from a peer"), Duration.ofHours(2));
        assertThat(b.actions()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.FENCE);
            assertThat(a.state()).isEqualTo(ActionState.DONE);
            assertThat(a.actor()).isEqualTo("staff:erin");
            assertThat(a.rule()).endsWith(": complaint from a peer");
        });
        assertThat(b.status().blockedUntil()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
        assertThat(nas.received).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(NasCommand.Kind.COA));
        assertThat(e.journal().list(true)).as("nothing waits for review").isEmpty();

        assertThat(e.unblock("alice", new StaffAct("erin", "test", "cleaned")).orElseThrow()).singleElement()
                .satisfies(a -> assertThat(a.type()).isEqualTo(ActionType.RESTORE));
        assertThat(e.status("alice").orElseThrow().blockedUntil()).isNull();
        assertThatThrownBy(() -> e.block("alice", new StaffAct("erin", "test", " "), null)).isInstanceOf(IllegalArgumentException.class);
    }
}
