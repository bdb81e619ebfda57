package org.trapline.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.enforcement.coa.CoaSender;
import org.trapline.enforcement.coa.CoaSettings;
import org.trapline.enforcement.coa.FreeRadiusStandIn;
import org.trapline.attribution.session.SessionTarget;

/** The enforcer with the real CoA sender against FreeRADIUS as the NAS: fence, expiry, restore, review, 503. */
class EnforcerFreeRadiusTest {

    static final String SECRET = "policy-nas-secret";

    @TempDir
    static Path nasDir;
    static FreeRadiusStandIn nas;

    @TempDir
    Path data;
    final TestClock clock = new TestClock(Instant.parse("2026-03-03T03:00:00Z"));
    final Properties props = new Properties();
    final Map<String, SessionTarget> current = new HashMap<>();
    PolicyDatabase db;
    int hitNo;

    @BeforeAll
    static void startNas() throws Exception {
        if (!FreeRadiusStandIn.available() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("FreeRADIUS is required in CI: apt-get install freeradius freeradius-utils");
        }
        assumeTrue(FreeRadiusStandIn.available(), "FreeRADIUS not installed (apt-get install freeradius); skipping");
        nas = FreeRadiusStandIn.start(nasDir, SECRET, Set.of("alice", "dave"));
    }

    @AfterAll
    static void stopNas() throws Exception {
        if (nas != null) nas.close();
    }

    @AfterEach
    void closeDb() {
        if (db != null) db.close();
    }

    Enforcer enforcer() {
        props.setProperty("coa.nas.127.0.0.1.port", Integer.toString(nas.port()));
        props.putIfAbsent("coa.nas.127.0.0.1.secret", SECRET);
        props.setProperty("coa.timeout", "PT0.3S");
        props.setProperty("coa.retries", "1");
        db = PolicyDatabase.open(data);
        return new Enforcer(PolicySettings.from(props), db.jdbi(), new CoaSender(CoaSettings.from(props)), n -> "",
                s -> Optional.ofNullable(current.get(s)), clock);
    }

    List<ActionRecord> hits(Enforcer e, String subscriber, SessionTarget s, int n) {
        List<ActionRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofMinutes(1));
            out.addAll(e.onHit(StrikeHit.matched("h" + (++hitNo), clock.instant(), s.framedIp(), subscriber, s)));
        }
        return out;
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    @Test
    void strikeFencesAtTheNasAndExpiryRestores() throws Exception {
        Enforcer e = enforcer();
        SessionTarget alice = SessionTarget.of("127.0.0.1", "e2e-alice-1", "alice", "10.0.9.77");
        ActionRecord fence = hits(e, "alice", alice, 4).get(0);
        assertThat(fence.state()).isEqualTo(ActionState.DONE);
        assertThat(fence.outcome()).isEqualTo("ACK");
        assertThat(fence.answer()).startsWith("CoA-ACK");
        assertThat(nas.awaitOutput(o -> o.contains("Acct-Session-Id = \"e2e-alice-1\"") && o.contains("Filter-Id = \"smtp-block\""),
                Duration.ofSeconds(5))).isTrue();

        clock.advance(Duration.ofMinutes(30));
        ActionRecord restore = e.expireDue().get(0);
        assertThat(restore.type()).isEqualTo(ActionType.RESTORE);
        assertThat(restore.outcome()).isEqualTo("ACK");
        assertThat(nas.awaitOutput(o -> o.contains("Filter-Id = \"default\""), Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void reviewLeavesTheNasUntouchedUntilConfirmed() throws Exception {
        props.setProperty("action.fence.mode", "review");
        Enforcer e = enforcer();
        SessionTarget alice = SessionTarget.of("127.0.0.1", "e2e-review-1", "alice", "10.0.9.80");
        ActionRecord pending = hits(e, "alice", alice, 4).get(0);
        Thread.sleep(300);
        assertThat(nas.output()).doesNotContain("e2e-review-1");

        assertThat(e.confirm(pending.id(), new StaffAct("erin", "test", null)).outcome()).isEqualTo("ACK");
        assertThat(nas.awaitOutput(o -> o.contains("Acct-Session-Id = \"e2e-review-1\""), Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void goneSessionIsRetargetedAtTheSubscribersCurrentOne() throws Exception {
        Enforcer e = enforcer();
        SessionTarget old = SessionTarget.of("127.0.0.1", "e2e-dave-old", "dave-old-login", "10.0.9.81");
        current.put("dave", SessionTarget.of("127.0.0.1", "e2e-dave-new", "dave", "10.0.9.82"));
        ActionRecord fence = hits(e, "dave", old, 4).get(0);
        assertThat(fence.outcome()).isEqualTo("NAK 503 Session-Context-Not-Found, then ACK");
        assertThat(fence.state()).isEqualTo(ActionState.DONE);
        assertThat(fence.target()).contains("session=e2e-dave-new");
        assertThat(nas.awaitOutput(o -> o.contains("e2e-dave-old") && o.contains("e2e-dave-new"), Duration.ofSeconds(5))).isTrue();
        assertThat(count(nas.output(), "Sent CoA-NAK")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void wrongSecretIsAJournaledTimeout() {
        props.setProperty("coa.nas.127.0.0.1.secret", "not-the-secret");
        Enforcer e = enforcer();
        ActionRecord fence = hits(e, "alice", SessionTarget.of("127.0.0.1", "e2e-secret", "alice", null), 4).get(0);
        assertThat(fence.state()).isEqualTo(ActionState.FAILED);
        assertThat(fence.outcome()).isEqualTo("TIMEOUT after 2 attempts");
        assertThat(fence.retries()).isEqualTo(1);
    }
}
