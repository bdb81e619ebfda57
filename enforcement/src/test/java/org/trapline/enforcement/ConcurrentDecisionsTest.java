package org.trapline.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

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
import org.trapline.attribution.session.SessionTarget;
import org.trapline.enforcement.coa.CoaResult;
import org.trapline.enforcement.coa.NasGateway;

/**
 * Two enforcers on one policy database, as two processes would have them (each its own objects and
 * monitors, only the database in common), deciding about the same subscriber at the same moment: a
 * barrier starts both steps of a round together, and the round is checked once both returned. Runs once
 * per dialect: H2's row locks and PostgreSQL's SELECT ... FOR UPDATE must serialise them alike.
 */
@ParameterizedClass
@MethodSource("org.trapline.common.sql.TestStores#dialects")
class ConcurrentDecisionsTest {
    @Parameter
    Dialect dialect;
    StoreSettings where;

    @BeforeEach
    void where() {
        where = TestStores.settings(dialect, "decisions");
    }


    static final Instant T0 = Instant.parse("2026-03-03T03:00:00Z");
    static final String NAS = "10.255.0.1";
    static final int ROUNDS = 300;

    @TempDir
    Path data;
    final TestClock clock = new TestClock(T0);
    final Properties props = new Properties();
    final List<String> broken = Collections.synchronizedList(new ArrayList<>());
    PolicyDatabase database;
    int hitNo;

    @AfterEach
    void close() {
        if (database != null) database.close();
    }

    /** One process's enforcer, with a NAS of its own that ACKs every request. */
    Enforcer process() {
        if (database == null) database = PolicyDatabase.open(data, where);
        NasGateway nas = c -> new CoaResult(CoaResult.Outcome.ACK, null, 1, "fake:3799", c.kind() + " " + c.target().describe(), "ACK", "",
                Instant.EPOCH, Instant.EPOCH);
        return new Enforcer(PolicySettings.from(props), database.jdbi(), nas, n -> "mailed", s -> Optional.empty(), clock);
    }

    StrikeHit hit(String subscriber, int round) {
        return hit(subscriber, round, NAS);
    }

    StrikeHit hit(String subscriber, int round, String nas) {
        SessionTarget s = SessionTarget.of(nas, subscriber + "-s", subscriber, "10.0.9." + (round % 250));
        return StrikeHit.matched("hit-" + (++hitNo) + "-" + subscriber, clock.instant(), s.framedIp(), subscriber, s);
    }

    /**
     * Runs {@code rounds} rounds of {@code first} and {@code second} at once, each on a thread of its own,
     * the clock {@code apart} on before each round; {@code check} runs after each round, while both wait.
     */
    void race(int rounds, Duration apart, IntConsumer first, IntConsumer second, IntConsumer check) throws Exception {
        int[] round = {0};
        CyclicBarrier start = new CyclicBarrier(2, () -> clock.advance(apart));
        CyclicBarrier end = new CyclicBarrier(2, () -> check.accept(round[0]++));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> both = new ArrayList<>();
            for (IntConsumer step : List.of(first, second)) {
                both.add(threads.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        start.await(30, TimeUnit.SECONDS);
                        step.accept(r);
                        end.await(30, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            for (Future<?> f : both) f.get(5, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
        }
    }

    List<ActionRecord> of(Enforcer e, String subscriber, ActionType type, ActionState state) {
        return e.journal().forSubscriber(subscriber).stream().filter(a -> a.type() == type && a.state() == state).toList();
    }

    @Test
    void anUnblockThatRacesAHitIsNeverOverwritten() throws Exception {
        props.setProperty("strike.max-hits", "0"); // every hit is a strike, and fences the session
        props.setProperty("strike.suspend-at", "100000");
        props.setProperty("action.brake.per-nas-per-hour", "0");
        props.setProperty("action.brake.total-per-hour", "0");
        Enforcer mx = process();
        Enforcer desk = process();
        mx.onHit(hit("alice", 0));
        desk.unblock("alice", new StaffAct("anna", "test", null)).orElseThrow();

        race(ROUNDS, Duration.ofMinutes(1), r -> mx.onHit(hit("alice", r)), r -> desk.unblock("alice", new StaffAct("anna", "test", null)).orElseThrow(), r -> {
            // Both ran at the same instant. A hit decided before the unblock is lifted with it; one decided
            // after it is not later than the unblock, so it is spent already and cannot strike.
            SubscriberStatus s = desk.status("alice").orElseThrow();
            if (s.strikes() != 0 || s.blockedAt(clock.instant()) || s.fencedTarget() != null) {
                broken.add("round " + r + ": " + s);
            }
        });

        assertThat(broken).as("rounds in which an unblock that had returned was overwritten").isEmpty();
        // The journal tells the same story: every fence the NAS applied was restored, nothing waits.
        List<ActionRecord> fences = of(desk, "alice", ActionType.FENCE, ActionState.DONE);
        assertThat(fences).hasSizeGreaterThan(1);
        assertThat(of(desk, "alice", ActionType.RESTORE, ActionState.DONE)).hasSameSizeAs(fences);
        assertThat(desk.journal().forSubscriber("alice")).allSatisfy(a -> assertThat(a.state()).isEqualTo(ActionState.DONE));
        // And no hit was lost.
        int counted = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM strike_hit").mapTo(Integer.class).one());
        assertThat(counted).isEqualTo(ROUNDS + 1);
    }

    @Test
    void twoFirstHitsAtOnceBothCount() throws Exception {
        props.setProperty("strike.max-hits", "1"); // the second hit is the strike
        Enforcer one = process();
        Enforcer other = process();
        race(ROUNDS / 3, Duration.ofMinutes(1), r -> one.onHit(hit("new-" + r, r)), r -> other.onHit(hit("new-" + r, r)), r -> {
            SubscriberStatus s = one.status("new-" + r).orElseThrow();
            if (s.strikes() != 1 || s.hitsInWindow() != 2) broken.add("round " + r + ": " + s);
        });
        assertThat(broken).as("rounds in which one of two first hits was not counted").isEmpty();
    }

    /** Of this round's two fences (both journaled now), exactly one ran automatically; else the round is broken. */
    private void oneOfTwoFencesRan(Enforcer one, int r) {
        List<ActionRecord> fences = one.journal().list(false).stream()
                .filter(a -> a.type() == ActionType.FENCE && a.createdAt().equals(clock.instant())).toList();
        long ran = fences.stream().filter(a -> a.mode() == ActionMode.AUTO).count();
        if (fences.size() != 2 || ran != 1) broken.add("round " + r + ": " + ran + " of " + fences.size() + " fences ran");
    }

    @Test
    void theBrakeCountsTheAutomaticActionsOfEveryProcess() throws Exception {
        props.setProperty("strike.max-hits", "0");
        props.setProperty("action.brake.per-nas-per-hour", "1");
        props.setProperty("action.brake.total-per-hour", "0");
        Enforcer one = process();
        Enforcer other = process();
        // Each round an hour after the last: the brake has let go, and room for one fence of the two.
        race(ROUNDS / 3, Duration.ofMinutes(61), r -> one.onHit(hit("one-" + r, r)), r -> other.onHit(hit("other-" + r, r)), r -> oneOfTwoFencesRan(one, r));
        assertThat(broken).as("rounds in which the brake let more than its limit run").isEmpty();
    }

    @Test
    void theTotalLimitCountsTheAutomaticActionsOfEveryProcessOnEveryNas() throws Exception {
        props.setProperty("strike.max-hits", "0");
        props.setProperty("action.brake.per-nas-per-hour", "0");
        props.setProperty("action.brake.total-per-hour", "1");
        Enforcer one = process();
        Enforcer other = process();
        // Two NASes, so only the total limit holds: one fence of the two in each hour.
        race(ROUNDS / 3, Duration.ofMinutes(61), r -> one.onHit(hit("one-" + r, r, "10.255.0.1")),
                r -> other.onHit(hit("other-" + r, r, "10.255.0.2")), r -> oneOfTwoFencesRan(one, r));
        assertThat(broken).as("rounds in which the brake let more than its total run").isEmpty();
    }
}
