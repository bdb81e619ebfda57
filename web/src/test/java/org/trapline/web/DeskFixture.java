package org.trapline.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.trapline.attribution.session.SessionTarget;
import org.trapline.desk.Desk;
import org.trapline.desk.casebook.Casebook;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.PolicyDatabase;
import org.trapline.enforcement.PolicySettings;
import org.trapline.enforcement.StrikeHit;
import org.trapline.enforcement.coa.CoaResult;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.TrapHit;
import org.trapline.evidence.TwoHitsOfAlice;
import org.trapline.web.account.PasswordHash;
import org.trapline.web.account.Role;
import org.trapline.web.account.StaffAccounts;

/**
 * A desk over alice's two hits of the evidence store's fixture, a third one with hostile HTML, a fence for
 * alice waiting for review (the NAS ACKs whatever is sent), and one staff member of each role, each with
 * the password {@link #PASSWORD}.
 */
final class DeskFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-21T04:00:00Z");
    static final String PASSWORD = "correct horse battery";
    static final byte[] HOSTILE = ("From: <s@spam.example>\r\nSubject: <script>alert(1)</script> pills\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nplain pills\r\n"
            + "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            + "<html><head><base href=\"http://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=http://evil.example/\">"
            + "<style>body{background:url(http://evil.example/css.png)}</style></head>"
            + "<body onload=\"alert(2)\"><script>document.title='pwned'</script><p style=\"background:url(http://evil.example/p.png)\">Cheap</p>"
            + "<img src=\"http://evil.example/pixel.gif\" onerror=\"alert(3)\" alt=\"pixel\"><a href=\"javascript:alert(4)\">click</a>"
            + "<form action=\"http://evil.example/\"><input name=x></form><iframe src=\"http://evil.example/\"></iframe>"
            + "<svg><script>alert(5)</script></svg></body></html>\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8);

    final EvidenceStore evidence;
    final PolicyDatabase policy;
    final Enforcer enforcer;
    final Casebook casebook;
    final Desk desk;
    final StaffAccounts staff;
    final long first;
    final long second;
    final long hostile;

    DeskFixture(Path data, String name) {
        long[] ids = TwoHitsOfAlice.record(data);
        first = ids[0];
        second = ids[1];
        evidence = EvidenceStore.open(data, Clock.systemUTC());
        hostile = evidence.record(TrapHit.of("i3", Instant.parse("2026-11-21T05:00:00Z"), "s@spam.example", List.of("c@trap.example.net"))
                .withAttribution("MATCHED", "bob", "S-9", "10.0.0.1"), HOSTILE).hitId();
        evidence.refreshIndex();
        policy = PolicyDatabase.open(data);
        Properties props = new Properties();
        props.setProperty("strike.max-hits", "1");
        props.setProperty("action.fence.mode", "review");
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        SessionTarget alice = SessionTarget.of("10.0.0.1", "S-2", "alice", "198.51.100.7");
        enforcer = new Enforcer(PolicySettings.from(props), policy.jdbi(),
                c -> new CoaResult(CoaResult.Outcome.ACK, null, 1, "x", "", "", "", T0, T0), n -> "", s -> Optional.empty(), clock);
        enforcer.onHit(StrikeHit.matched(Long.toString(first), T0.minusSeconds(60), "198.51.100.7", "alice", alice));
        enforcer.onHit(StrikeHit.matched(Long.toString(second), T0, "198.51.100.7", "alice", alice));
        enforcer.onHit(StrikeHit.unattributed(Long.toString(hostile), T0, null, org.trapline.enforcement.HitAttribution.NO_ORIGIN));
        casebook = Casebook.inMemory(name + "-casebook");
        desk = new Desk(() -> evidence, () -> enforcer, () -> casebook, clock);
        staff = StaffAccounts.inMemory(name, new PasswordHash(4), Clock.systemUTC());
        for (Role r : Role.values()) {
            staff.add(r.text(), r, PASSWORD.toCharArray());
        }
    }

    @Override
    public void close() {
        staff.close();
        casebook.close();
        evidence.close();
        policy.close();
    }
}
