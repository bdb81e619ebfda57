package org.trapline.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

/** The brake on automatic actions and the exemption list: forged trap hits must not cut off many customers. */
/** Runs once per dialect of the policy database, on the real database of each (TestStores). */
@ParameterizedClass
@MethodSource("org.trapline.common.sql.TestStores#dialects")
class BrakeTest {
    @Parameter
    Dialect dialect;
    StoreSettings where;

    @BeforeEach
    void where() {
        where = TestStores.settings(dialect, "brake");
    }


    static final Instant T0 = Instant.parse("2026-03-03T03:00:00Z");
    static final String NAS = "10.255.0.1";

    @TempDir
    Path data;
    final TestClock clock = new TestClock(T0);
    final FakeNas nas = new FakeNas();
    final List<Notice> notices = new ArrayList<>();
    final List<StaffNotice> staffMail = new ArrayList<>();
    final Properties props = new Properties();
    Exemptions exemptions = Exemptions.none();
    PolicyDatabase database;
    Jdbi db;
    int hitNo;

    final NoticeSender mail = new NoticeSender() {
        @Override
        public String send(Notice n) {
            notices.add(n);
            return "mailed " + n.subscriber();
        }

        @Override
        public String sendToStaff(StaffNotice n) {
            staffMail.add(n);
            return "mailed " + n.to();
        }
    };

    @AfterEach
    void close() {
        if (database != null) database.close();
    }

    Enforcer enforcer() {
        if (db == null) {
            database = PolicyDatabase.open(data, where);
            db = database.jdbi();
        }
        return new Enforcer(PolicySettings.from(props), db, nas, mail, s -> Optional.empty(), clock, exemptions);
    }

    /** A new process on the same files. */
    Enforcer restart() {
        database.close();
        db = null;
        return enforcer();
    }

    static SessionTarget session(String subscriber, String nasIp, String ip) {
        return SessionTarget.of(nasIp, subscriber + "-s", subscriber, ip);
    }

    StrikeHit hit(String subscriber, String nasIp, String ip) {
        SessionTarget s = session(subscriber, nasIp, ip);
        nas.sessions.add(s.acctSessionId());
        return StrikeHit.matched("hit-" + (++hitNo), clock.instant(), ip, subscriber, s);
    }

    /** Every hit is a strike: one forged hit is enough to fence a subscriber. */
    void everyHitStrikes() {
        props.setProperty("strike.max-hits", "0");
    }

    List<ActionRecord> ofType(Enforcer e, ActionType type) {
        return e.journal().list(false).stream().filter(a -> a.type() == type).toList();
    }

    @Test
    void aFloodOfForgedHitsFencesAtMostTheLimitAndTheRestWaitsForReview() {
        everyHitStrikes();
        props.setProperty("action.brake.per-nas-per-hour", "20");
        props.setProperty("action.brake.total-per-hour", "50");
        props.setProperty("action.brake.notify", "abuse-desk@isp.example");
        Enforcer e = enforcer();
        // 500 forged hits within minutes, attributed to 300 subscribers of one NAS.
        for (int i = 0; i < 500; i++) {
            clock.advance(Duration.ofSeconds(1));
            int n = i % 300;
            e.onHit(hit("sub-" + n, NAS, "10.0." + (n / 250) + "." + (n % 250)));
        }

        assertThat(nas.received).hasSize(20).allSatisfy(c -> assertThat(c.kind()).isEqualTo(NasCommand.Kind.COA));
        List<ActionRecord> fences = ofType(e, ActionType.FENCE);
        assertThat(fences).hasSize(300);
        assertThat(fences).filteredOn(a -> a.state() == ActionState.DONE).hasSize(20)
                .allSatisfy(a -> assertThat(a.heldReason()).isNull());
        assertThat(fences).filteredOn(a -> a.state() == ActionState.PENDING_REVIEW).hasSize(280).allSatisfy(a -> {
            assertThat(a.heldReason()).isEqualTo("brake: 20 automatic actions for NAS 10.255.0.1 in the last hour");
            assertThat(a.mode()).isEqualTo(ActionMode.REVIEW);
            assertThat(a.rule()).contains("strike", "held for review (brake: 20 automatic actions for NAS 10.255.0.1");
        });
        // The hits still count: a held subscriber has their strikes and their block on paper.
        SubscriberStatus held = e.status("sub-250").orElseThrow();
        assertThat(held.strikes()).isEqualTo(1);
        assertThat(held.blockedUntil()).isNotNull();

        // Staff are told once: one journal entry, one mail.
        assertThat(ofType(e, ActionType.BRAKE)).singleElement().satisfies(b -> {
            assertThat(b.rule()).startsWith("brake engaged for NAS 10.255.0.1: 20 automatic actions for it in the last hour");
            assertThat(b.state()).isEqualTo(ActionState.DONE);
            assertThat(b.actor()).isEqualTo("brake");
            assertThat(b.subscriber()).isEmpty();
        });
        assertThat(staffMail).singleElement().satisfies(m -> {
            assertThat(m.to()).isEqualTo("abuse-desk@isp.example");
            assertThat(m.subject()).isEqualTo("Trapline: brake engaged for NAS 10.255.0.1");
            assertThat(m.text()).contains("bin/trapline actions --pending");
        });
        assertThat(e.brakeStatus().limits()).extracting(BrakeStatus.Engagement::scope).containsExactly("nas:10.255.0.1");
        assertThat(e.brakeStatus().perNas()).containsEntry(NAS, 20);

        // The count is in the policy database: a restarted server still holds back.
        clock.advance(Duration.ofMinutes(2));
        Enforcer after = restart();
        assertThat(after.onHit(hit("sub-300", NAS, "10.0.1.50"))).singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(ActionState.PENDING_REVIEW));
        assertThat(nas.received).hasSize(20);
        assertThat(ofType(after, ActionType.BRAKE)).hasSize(1);

        // An hour after the 20 fences, automatic actions run again, and staff hear that too.
        clock.advance(Duration.ofMinutes(55));
        List<ActionRecord> fresh = after.onHit(hit("sub-301", NAS, "10.0.1.51"));
        assertThat(fresh).extracting(ActionRecord::type, ActionRecord::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ActionType.BRAKE, ActionState.DONE),
                org.assertj.core.groups.Tuple.tuple(ActionType.FENCE, ActionState.DONE));
        assertThat(fresh.get(0).rule()).startsWith("brake released for NAS 10.255.0.1: 0 automatic actions in the last hour");
        assertThat(nas.received).hasSize(21);
        assertThat(staffMail).hasSize(2);
        assertThat(after.brakeStatus().limits()).isEmpty();
    }

    @Test
    void theTotalLimitCountsEveryNasAndTheAclAndIsReleasedByTheClock() {
        everyHitStrikes();
        props.setProperty("action.brake.per-nas-per-hour", "0");
        props.setProperty("action.brake.total-per-hour", "2");
        Enforcer e = enforcer();
        clock.advance(Duration.ofMinutes(1));
        assertThat(e.onHit(hit("alice", "10.255.0.1", "10.0.9.77"))).singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(ActionState.DONE));
        assertThat(e.onHit(StrikeHit.fixedAddress("s-1", clock.instant(), "192.0.2.25", "shop-42"))).singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(ActionState.DONE));
        List<ActionRecord> third = e.onHit(hit("carol", "10.255.0.2", "10.0.8.1"));
        assertThat(third).extracting(ActionRecord::type).containsExactly(ActionType.BRAKE, ActionType.FENCE);
        assertThat(third.get(0).rule()).startsWith("brake engaged for all NASes: 2 automatic actions in the last hour");
        assertThat(third.get(0).outcome()).isEqualTo("journaled only (no action.brake.notify set)");
        assertThat(third.get(1).state()).isEqualTo(ActionState.PENDING_REVIEW);
        assertThat(third.get(1).heldReason()).isEqualTo("brake: 2 automatic actions in the last hour (all NASes)");
        assertThat(e.onHit(StrikeHit.fixedAddress("s-2", clock.instant(), "192.0.2.26", "shop-43"))).singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(ActionState.PENDING_REVIEW));
        assertThat(nas.received).hasSize(1);

        // The server's expiry tick releases the brake once the hour has passed, without waiting for a hit.
        clock.advance(Duration.ofMinutes(59));
        assertThat(e.expireDue()).noneMatch(a -> a.type() == ActionType.BRAKE);
        clock.advance(Duration.ofMinutes(1));
        assertThat(e.expireDue()).filteredOn(a -> a.type() == ActionType.BRAKE).singleElement()
                .satisfies(a -> assertThat(a.rule()).startsWith("brake released for all NASes: 0 automatic actions"));
        assertThat(e.brakeStatus().limits()).isEmpty();
    }

    @Test
    void aNoticeWaitsWhenTheBlockItAnnouncesWaits() {
        everyHitStrikes();
        props.setProperty("notice.on-strike", "true");
        props.setProperty("action.brake.per-nas-per-hour", "1");
        Enforcer e = enforcer();
        clock.advance(Duration.ofMinutes(1));
        // The fence that reaches the limit runs, and so does its notice.
        assertThat(e.onHit(hit("alice", NAS, "10.0.9.77"))).extracting(ActionRecord::type, ActionRecord::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ActionType.FENCE, ActionState.DONE),
                org.assertj.core.groups.Tuple.tuple(ActionType.NOTICE, ActionState.DONE));
        List<ActionRecord> bob = e.onHit(hit("bob", NAS, "10.0.9.78"));
        assertThat(bob).extracting(ActionRecord::type, ActionRecord::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ActionType.BRAKE, ActionState.DONE),
                org.assertj.core.groups.Tuple.tuple(ActionType.FENCE, ActionState.PENDING_REVIEW),
                org.assertj.core.groups.Tuple.tuple(ActionType.NOTICE, ActionState.PENDING_REVIEW));
        assertThat(bob.get(2).heldReason()).isEqualTo(bob.get(1).heldReason());
        assertThat(notices).extracting(Notice::subscriber).containsExactly("alice");
    }

    @Test
    void restoresRunWhileTheBrakeIsOnAndAreNotCounted() {
        everyHitStrikes();
        props.setProperty("action.brake.per-nas-per-hour", "1");
        Enforcer e = enforcer();
        clock.advance(Duration.ofMinutes(1));
        e.onHit(hit("alice", NAS, "10.0.9.77"));
        assertThat(e.onHit(hit("bob", NAS, "10.0.9.78"))).extracting(ActionRecord::state).contains(ActionState.PENDING_REVIEW);
        e.engageBrake(new StaffAct("anna", "test", "forged flood"));

        clock.advance(Duration.ofMinutes(30));
        List<ActionRecord> expired = e.expireDue();
        assertThat(expired).filteredOn(a -> a.type() == ActionType.RESTORE).singleElement().satisfies(a -> {
            assertThat(a.subscriber()).isEqualTo("alice");
            assertThat(a.state()).isEqualTo(ActionState.DONE);
            assertThat(a.heldReason()).isNull();
        });
        assertThat(nas.received).extracting(c -> c.attributes().toString())
                .containsExactly("[Filter-Id=smtp-block]", "[Filter-Id=default]");
        // bob's block ended before anyone reviewed his fence: nothing to send.
        assertThat(ofType(e, ActionType.FENCE)).filteredOn(a -> a.subscriber().equals("bob")).singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(ActionState.DISMISSED));
    }

    @Test
    void staffSwitchHoldsEveryAutomaticActionAcrossARestartUntilReleased() {
        props.setProperty("action.brake.notify", "abuse-desk@isp.example");
        everyHitStrikes();
        Enforcer e = enforcer();
        ActionRecord on = e.engageBrake(new StaffAct("anna", "test", "forged flood from AS64500"));
        assertThat(on.type()).isEqualTo(ActionType.BRAKE);
        assertThat(on.actor()).isEqualTo("staff:anna");
        assertThat(on.reason()).isEqualTo("forged flood from AS64500");
        assertThat(on.createdAt()).isEqualTo(T0);
        assertThat(on.rule()).startsWith("brake switched on by staff:anna: forged flood from AS64500");
        assertThat(staffMail).singleElement().satisfies(m -> assertThat(m.subject()).isEqualTo("Trapline: brake switched on by staff:anna"));
        assertThatThrownBy(() -> e.engageBrake(new StaffAct("bob", "test", "again"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("on already", "staff:anna");

        clock.advance(Duration.ofMinutes(1));
        assertThat(e.onHit(hit("alice", NAS, "10.0.9.77"))).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(ActionState.PENDING_REVIEW);
            assertThat(a.heldReason()).isEqualTo("brake: switched on by staff:anna at " + T0 + ": forged flood from AS64500");
        });
        assertThat(nas.received).isEmpty();

        Enforcer second = restart();
        BrakeStatus status = second.brakeStatus();
        assertThat(status.switched()).hasValueSatisfying(s -> {
            assertThat(s.by()).isEqualTo("staff:anna");
            assertThat(s.since()).isEqualTo(T0);
            assertThat(s.reason()).isEqualTo("forged flood from AS64500");
        });
        assertThat(second.onHit(hit("bob", NAS, "10.0.9.78"))).singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(ActionState.PENDING_REVIEW));

        ActionRecord off = second.releaseBrake(new StaffAct("bob", "test", "flood over"));
        assertThat(off.rule()).startsWith("brake switched off by staff:bob: flood over (on since " + T0 + " by staff:anna)");
        assertThatThrownBy(() -> second.releaseBrake(new StaffAct("bob", "test", ""))).isInstanceOf(IllegalStateException.class);
        assertThat(second.brakeStatus().switched()).isEmpty();
        assertThat(second.onHit(hit("carol", NAS, "10.0.9.79"))).singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(ActionState.DONE));
        // What was held meanwhile still waits for staff.
        assertThat(second.journal().list(true)).extracting(ActionRecord::subscriber).containsExactly("bob", "alice");
        assertThat(staffMail).hasSize(2);
        assertThatThrownBy(() -> second.engageBrake(new StaffAct(" ", "test", "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void heldSubscribersStayOutOfTheSessionAclUntilStaffConfirm() {
        everyHitStrikes();
        props.setProperty("action.brake.per-nas-per-hour", "1");
        props.setProperty("acl.include-sessions", "true");
        Enforcer e = enforcer();
        clock.advance(Duration.ofMinutes(1));
        e.onHit(hit("alice", NAS, "10.0.9.77"));
        long bobsFence = e.onHit(hit("bob", NAS, "10.0.9.78")).stream().filter(a -> a.type() == ActionType.FENCE)
                .findFirst().orElseThrow().id();
        assertThat(e.blockedAddresses()).extracting(BlockedAddress::address).containsExactly("10.0.9.77");
        assertThat(e.confirm(bobsFence, new StaffAct("anna", "test", null)).state()).isEqualTo(ActionState.DONE);
        assertThat(e.blockedAddresses()).extracting(BlockedAddress::address).containsExactlyInAnyOrder("10.0.9.77", "10.0.9.78");
    }

    @Test
    void actionsJournaledBeforeTheUpgradeCountForTheirNas() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dialect == Dialect.H2, "H2's own migration history");
        String url = "jdbc:h2:file:" + data.toAbsolutePath().resolve("policy");
        org.flywaydb.core.Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/policy/h2").target("1").load().migrate();
        Jdbi v1 = Jdbi.create(url, "sa", "");
        v1.useHandle(h -> h.execute("INSERT INTO enforcement_action (type, subscriber, target, mode, state, rule, actor, created_ms) "
                + "VALUES ('FENCE', 'zoe', 'nas=10.255.0.1 session=zoe-s user=zoe', 'AUTO', 'DONE', 'strike 1', 'rule', ?)",
                T0.toEpochMilli()));
        everyHitStrikes();
        props.setProperty("action.brake.per-nas-per-hour", "1");
        Enforcer e = enforcer();
        clock.advance(Duration.ofMinutes(1));
        assertThat(e.onHit(hit("alice", NAS, "10.0.9.77"))).filteredOn(a -> a.type() == ActionType.FENCE).singleElement()
                .satisfies(a -> assertThat(a.heldReason()).isEqualTo("brake: 1 automatic action for NAS 10.255.0.1 in the last hour"));
        assertThat(e.onHit(hit("bob", "10.255.0.2", "10.0.9.78"))).singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(ActionState.DONE));
    }

    Path exemptFile(String text) throws Exception {
        Path f = data.resolve("exempt.txt");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void exemptSubscribersAndPrefixesAreCountedButNeverActedOnAutomatically() throws Exception {
        everyHitStrikes();
        props.setProperty("action.brake.per-nas-per-hour", "1");
        Path file = exemptFile("# the provider's own servers and business lines\n"
                + "Alice\n"
                + "192.0.2.0/24   # mail relays\n"
                + "\n"
                + "2001:db8:100::/48\n");
        exemptions = Exemptions.load(file);
        Enforcer e = enforcer();
        clock.advance(Duration.ofMinutes(1));

        assertThat(e.onHit(hit("alice", NAS, "10.0.9.77"))).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.FENCE);
            assertThat(a.state()).isEqualTo(ActionState.PENDING_REVIEW);
            assertThat(a.heldReason()).isEqualTo("exempt: subscriber alice (" + file + ":2)");
        });
        assertThat(e.status("alice").orElseThrow().strikes()).isEqualTo(1);
        assertThat(e.onHit(StrikeHit.fixedAddress("s-1", clock.instant(), "192.0.2.25", "relay-1"))).singleElement()
                .satisfies(a -> assertThat(a.heldReason()).isEqualTo("exempt: 192.0.2.25 is in 192.0.2.0/24 (" + file + ":3)"));
        SessionTarget v6 = SessionTarget.of(NAS, "dave-s", "dave", null);
        assertThat(e.onHit(StrikeHit.matched("v6-1", clock.instant(), "2001:db8:100:7::25", "dave", v6))).singleElement()
                .satisfies(a -> assertThat(a.heldReason()).startsWith("exempt: 2001:db8:100:7::25 is in 2001:db8:100::/48"));
        assertThat(nas.received).isEmpty();
        assertThat(e.blockedAddresses()).isEmpty();

        // Exempt subscribers' actions are not automatic, so they leave the brake's count alone.
        assertThat(e.onHit(hit("bob", NAS, "10.0.9.78"))).singleElement()
                .satisfies(a -> assertThat(a.state()).isEqualTo(ActionState.DONE));
        assertThat(nas.received).hasSize(1);
        assertThat(ofType(e, ActionType.BRAKE)).isEmpty();
    }

    @Test
    void aBadExemptionLineIsOneErrorNamingFileAndLine() throws Exception {
        for (String[] bad : new String[][] {
                {"alice\n10.0.0.0/33\n", ":2: not an address or CIDR prefix"},
                {"# ok\n\n10.1.2.3/8\n", ":3: 10.1.2.3/8 has bits set beyond its length; did you mean 10.0.0.0/8?"},
                {"alice bob\n", ":1: one subscriber or prefix per line"},
                {"2001:db8::/129\n", ":1: not an address or CIDR prefix"},
                {"300.1.1.1\n", ":1: not an address or CIDR prefix"}}) {
            Path file = exemptFile(bad[0]);
            assertThatThrownBy(() -> Exemptions.load(file)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(file + bad[1]).satisfies(t -> assertThat(t.getMessage()).doesNotContain("\n"));
        }
        assertThatThrownBy(() -> Exemptions.load(data.resolve("missing.txt"))).hasMessageStartingWith("action.exempt-file: cannot read");

        // Enforcement reads the file named by the setting, relative to the conf directory.
        Path conf = Files.createDirectories(data.resolve("conf"));
        Files.writeString(conf.resolve("exempt.txt"), "alice\n10.0.0.300\n");
        props.setProperty("trapline.conf.dir", conf.toString());
        props.setProperty(Exemptions.FILE_KEY, "exempt.txt");
        assertThatThrownBy(() -> Enforcement.open(props, data.resolve("d"), s -> Optional.empty(), clock))
                .hasMessageStartingWith(conf.resolve("exempt.txt") + ":2: ");
        Files.writeString(conf.resolve("exempt.txt"), "alice\n");
        everyHitStrikes();
        try (Enforcement ok = Enforcement.open(props, data.resolve("d"), s -> Optional.empty(), clock)) {
            assertThat(ok.enforcer().onHit(StrikeHit.fixedAddress("x", clock.instant(), "192.0.2.9", "ALICE"))).singleElement()
                    .satisfies(a -> assertThat(a.heldReason()).isEqualTo("exempt: subscriber ALICE (" + conf.resolve("exempt.txt") + ":1)"));
        }
    }
}
