package org.trapline.enforcement.coa;

import org.trapline.attribution.session.SessionTarget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CoA and Disconnect against FreeRADIUS acting as the NAS. */
class CoaSenderFreeRadiusTest {

    static final String SECRET = "nas-test-secret";

    @TempDir
    static Path dir;
    static FreeRadiusStandIn nas;

    @BeforeAll
    static void startNas() throws Exception {
        if (!FreeRadiusStandIn.available() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("FreeRADIUS is required in CI: apt-get install freeradius freeradius-utils");
        }
        assumeTrue(FreeRadiusStandIn.available(), "FreeRADIUS not installed (apt-get install freeradius); skipping tests against a real NAS");
        nas = FreeRadiusStandIn.start(dir, SECRET, Set.of("alice", "bob"));
    }

    @AfterAll
    static void stopNas() throws Exception {
        if (nas != null) nas.close();
    }

    private static CoaSender sender(String secret, int port) {
        Properties p = new Properties();
        p.setProperty("coa.port", "9"); // the per-NAS port below must win over the default
        p.setProperty("coa.nas.127.0.0.1.port", Integer.toString(port));
        p.setProperty("coa.nas.127.0.0.1.secret", secret);
        p.setProperty("coa.timeout", "PT0.3S");
        p.setProperty("coa.retries", "2");
        return new CoaSender(CoaSettings.from(p));
    }

    @Test
    void fenceCoaIsAckedAndTheNasSeesSessionAndFilter() throws Exception {
        SessionTarget alice = SessionTarget.of("127.0.0.1", "sess-alice-0001", "alice", "10.0.9.77");
        CoaResult r = sender(SECRET, nas.port())
                .send(NasCommand.coa(alice, NasAttribute.parseList("Filter-Id=smtp-block")));

        assertThat(r.outcome()).isEqualTo(CoaResult.Outcome.ACK);
        assertThat(r.summary()).isEqualTo("ACK");
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.retries()).isZero();
        assertThat(r.request()).contains("CoA-Request", "User-Name = alice", "Acct-Session-Id = sess-alice-0001",
                "Framed-IP-Address = 10.0.9.77", "NAS-IP-Address = 127.0.0.1", "Filter-Id = smtp-block");
        assertThat(r.answer()).startsWith("CoA-ACK");
        assertThat(r.nas()).isEqualTo("127.0.0.1:" + nas.port());
        assertThat(List.of(r.request(), r.answer(), r.detail(), r.toString())).noneMatch(s -> s.contains(SECRET));

        assertThat(nas.awaitOutput(o -> o.contains("Acct-Session-Id = \"sess-alice-0001\""), Duration.ofSeconds(5))).isTrue();
        String out = nas.output();
        assertThat(out).contains("Received CoA-Request", "User-Name = \"alice\"", "Filter-Id = \"smtp-block\"",
                "Framed-IP-Address = 10.0.9.77", "NAS-IP-Address = 127.0.0.1", "Sent CoA-ACK");
    }

    @Test
    void disconnectForAHeldSessionIsAcked() throws Exception {
        SessionTarget bob = SessionTarget.of("127.0.0.1", "sess-bob-0002", "bob", null);
        CoaResult r = sender(SECRET, nas.port()).send(NasCommand.disconnect(bob));

        assertThat(r.outcome()).isEqualTo(CoaResult.Outcome.ACK);
        assertThat(r.request()).startsWith("Disconnect-Request").doesNotContain("Framed-IP-Address");
        assertThat(r.answer()).startsWith("Disconnect-ACK");
        assertThat(nas.awaitOutput(o -> o.contains("Received Disconnect-Request") && o.contains("Sent Disconnect-ACK"),
                Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void unknownSessionIsNakedWith503() {
        SessionTarget gone = SessionTarget.of("127.0.0.1", "sess-gone-0003", "carol", "10.0.9.78");
        CoaResult coa = sender(SECRET, nas.port())
                .send(NasCommand.coa(gone, NasAttribute.parseList("Filter-Id=smtp-block")));
        CoaResult disconnect = sender(SECRET, nas.port()).send(NasCommand.disconnect(gone));

        for (CoaResult r : List.of(coa, disconnect)) {
            assertThat(r.outcome()).isEqualTo(CoaResult.Outcome.NAK);
            assertThat(r.errorCause()).isEqualTo(503);
            assertThat(r.sessionGone()).isTrue();
            assertThat(r.summary()).isEqualTo("NAK 503 Session-Context-Not-Found");
            assertThat(r.answer()).contains("Error-Cause = 503 Session-Context-Not-Found");
        }
        assertThat(coa.answer()).startsWith("CoA-NAK");
        assertThat(disconnect.answer()).startsWith("Disconnect-NAK");
    }

    @Test
    void wrongSecretGetsNoAnswerAndTimesOutAfterRetries() throws Exception {
        SessionTarget alice = SessionTarget.of("127.0.0.1", "sess-wrong-secret", "alice", null);
        CoaResult r = sender("not-the-nas-secret", nas.port()).send(NasCommand.disconnect(alice));

        assertThat(r.outcome()).isEqualTo(CoaResult.Outcome.TIMEOUT);
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(r.retries()).isEqualTo(2);
        assertThat(r.summary()).isEqualTo("TIMEOUT after 3 attempts");
        // FreeRADIUS saw the packet and refused it without acting on the session.
        assertThat(nas.awaitOutput(o -> o.contains("invalid Request Authenticator"), Duration.ofSeconds(5))).isTrue();
        assertThat(nas.output()).doesNotContain("Acct-Session-Id = \"sess-wrong-secret\"");
    }
}
