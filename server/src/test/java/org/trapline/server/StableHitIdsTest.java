package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.evidence.StoredHit;

/**
 * A hit keeps the id the log showed, through a crash: the hits of a burst are recorded and logged, then
 * the process dies before their spool records are released and before the evidence database wrote their
 * rows out (the rows are taken away here, as the crash would have); after the restart the replay stores
 * every one of them under the id logged before.
 */
class StableHitIdsTest {
    static final int MESSAGES = 12;
    static final Pattern STORED = Pattern.compile("stored as #(\\d+): to \\[trap(\\d+)@trap\\.example\\.net\\]");

    @TempDir
    Path tmp;

    @Test
    void idsLoggedBeforeACrashAreTheIdsAfterTheReplay() throws Exception {
        TestInstance t = new TestInstance(tmp);
        Path crashConf = t.confWithMailet(tmp.resolve("conf-crash"),
                "<keepSpooledAttribute>trapline.keep-spooled</keepSpooledAttribute>\n      </mailet>", ForgetAfterRecording.class);
        int port = TestInstance.freePort();
        Path log = tmp.resolve("crash.log");

        Map<Integer, Long> logged = new HashMap<>();
        try (ServerProcess crashing = ServerProcess.start(crashConf, t.data, port, log)) {
            SmtpClient.sendNumbered(port, "burst", MESSAGES);
            long deadline = System.currentTimeMillis() + 30_000;
            while (logged.size() < MESSAGES && System.currentTimeMillis() < deadline) {
                Matcher m = STORED.matcher(Files.readString(log));
                while (m.find()) {
                    logged.put(Integer.parseInt(m.group(2)), Long.parseLong(m.group(1)));
                }
                Thread.sleep(50);
            }
            crashing.kill9();
        }
        assertThat(logged).as("every hit of the burst logged with its id").hasSize(MESSAGES);
        assertThat(TrapMxSmtpTest.pendingInSpool(t.data.resolve("spool"))).isEqualTo(MESSAGES);

        // What a crash before the database's write-behind reached the disk leaves: none of the burst's rows.
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + t.data.resolve("evidence").toAbsolutePath(), "sa", "");
             Statement st = c.createStatement()) {
            // (The kill may already have cost some of them, as it does in production.)
            assertThat(st.executeUpdate("DELETE FROM trap_hit")).isBetween(0, MESSAGES);
        }

        try (ServerProcess restarted = ServerProcess.start(t.conf, t.data, port, tmp.resolve("restarted.log"))) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (TrapMxSmtpTest.pendingInSpool(t.data.resolve("spool")) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(restarted.terminate()).isIn(0, 143);
        }
        Map<Integer, Long> stored = new HashMap<>();
        for (StoredHit h : CrashRecoveryTest.storedHits(t.data)) {
            String rcpt = h.hit().trapRecipients().get(0);
            stored.put(Integer.parseInt(rcpt.substring(4, rcpt.indexOf('@'))), h.id());
        }
        assertThat(stored).as("each message under the id the log showed before the crash").isEqualTo(logged);
    }
}
