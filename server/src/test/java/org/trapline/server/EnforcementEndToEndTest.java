package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.accounting.ExternalTools;
import org.trapline.enforcement.coa.FreeRadiusStandIn;

/**
 * The whole loop with real peers: radclient reports alice's session, her zombie's spam reaches the trap
 * over SMTP, the strike policy fences her with a CoA that FreeRADIUS (standing in for the NAS) ACKs,
 * the journal shows it, and when the block runs out a restoring CoA goes out by itself. In review mode
 * nothing reaches the NAS until staff confirm.
 */
class EnforcementEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void spamEarnsAStrikeTheNasAcksTheFenceAndTheBlockExpiresWithARestore() throws Exception {
        Scenario s = new Scenario(tmp, "auto");
        try (FreeRadiusStandIn nas = s.nas(); TraplineServer server = s.start(nas)) {
            s.accountingStart(server);
            s.spam(3);
            assertThat(nas.awaitOutput(o -> o.contains("smtp-block"), Duration.ofSeconds(20))).as("fence CoA at the NAS").isTrue();
            assertThat(nas.output()).contains("alice@isp.example").contains("S-42");
            String actions = s.run("actions", "--subscriber", "alice@isp.example", "--details");
            assertThat(actions).contains("FENCE").contains("DONE").contains("ACK");
            assertThat(nas.awaitOutput(o -> o.contains("Filter-Id = \"default\""), Duration.ofSeconds(20)))
                    .as("restoring CoA once the block ran out").isTrue();
            assertThat(s.run("actions", "--subscriber", "alice@isp.example")).contains("RESTORE");
            String caseSummary = s.run("case", "alice@isp.example");
            assertThat(caseSummary).contains("3 trap hits").contains("S-42").contains("FENCE").contains("RESTORE");
        }
    }

    @Test
    void reviewModeLeavesTheNasUntouchedUntilStaffConfirm() throws Exception {
        Scenario s = new Scenario(tmp, "review");
        try (FreeRadiusStandIn nas = s.nas(); TraplineServer server = s.start(nas)) {
            s.accountingStart(server);
            s.spam(3);
            String pending = "";
            for (int i = 0; i < 100 && !pending.contains("FENCE"); i++) {
                Thread.sleep(100);
                pending = s.run("actions", "--pending");
            }
            assertThat(pending).contains("FENCE").contains("PENDING_REVIEW");
            assertThat(nas.output()).doesNotContain("smtp-block");
            String id = pending.lines().filter(l -> l.contains("FENCE")).findFirst().orElseThrow().trim().split("\\s+")[0].replace("#", "");
            s.run("confirm", id, "--by", "desk-anna", "--reason", "spam from her session");
            assertThat(nas.awaitOutput(o -> o.contains("smtp-block"), Duration.ofSeconds(20))).isTrue();
            assertThat(s.run("actions", "--subscriber", "alice@isp.example", "--details")).contains("desk-anna");
            // Decided through the running server's control socket: audited in its casebook all the same.
            assertThat(s.run("audit")).contains("desk-anna", "confirm", "action:" + id, "spam from her session");
            assertThat(s.run("audit", "--verify").strip()).isEqualTo("chain intact, 1 entry");
        }
    }

    /** One subscriber, one NAS, one trap. */
    static final class Scenario {
        final TestInstance t;
        final Path tmp;
        int port;

        Scenario(Path tmp, String fenceMode) {
            this.tmp = tmp;
            this.t = new TestInstance(tmp)
                    .set("strike.max-hits", "2").set("strike.block-base", "PT4S").set("action.expiry-check-seconds", "1")
                    .set("action.fence.mode", fenceMode).set("action.notice.mode", "dry-run")
                    .set("coa.timeout", "PT2S").set("coa.retries", "1");
        }

        FreeRadiusStandIn nas() throws Exception {
            ExternalTools.require("freeradius", "freeradius");
            FreeRadiusStandIn nas = FreeRadiusStandIn.start(tmp.resolve("nas"), "coasecret", Set.of("alice@isp.example"));
            t.set("coa.nas.127.0.0.1.port", Integer.toString(nas.port())).secret("coa.nas.127.0.0.1.secret", "coasecret");
            return nas;
        }

        TraplineServer start(FreeRadiusStandIn nas) {
            port = TestInstance.freePort();
            return t.start(port);
        }

        void accountingStart(TraplineServer server) throws Exception {
            Path radclient = ExternalTools.require("radclient", "freeradius-utils");
            Process p = new ProcessBuilder(radclient.toString(), "-S", t.radiusSecretFile().toString(), "-r", "2", "-t", "2", "127.0.0.1:" + server.radiusAddress().getPort(),
                    "acct").redirectErrorStream(true).start();
            p.getOutputStream().write(("Acct-Status-Type = Start, User-Name = \"alice@isp.example\", Acct-Session-Id = \"S-42\", "
                    + "Framed-IP-Address = 10.0.9.77, NAS-IP-Address = 127.0.0.1, Acct-Delay-Time = 60\n").getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }

        void spam(int n) throws Exception {
            String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
            try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
                c.command("EHLO relay.isp.example");
                for (int i = 0; i < n; i++) {
                    assertThat(c.send("x@forged.example", List.of("trap" + i + "@trap.example.net"), (
                            "Received: from WIN-ZOMBIE ([10.0.9.77]) by relay.isp.example with SMTP; " + now + "\r\n"
                            + "Subject: pills " + i + "\r\nMessage-ID: <strike-" + i + "@zombie>\r\n\r\ncheap pills\r\n")
                            .getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(250);
                }
            }
        }

        String run(String... args) {
            return t.cli(args).out();
        }
    }
}
