package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.evidence.StoredHit;

/** When the spool cannot be written the client hears 451 (try later), never 250. */
class SpoolFailureTest {
    @TempDir
    Path tmp;

    @Test
    void unwritableSpoolAnswers451AndRecoversWhenWritableAgain() throws Exception {
        TestInstance t = new TestInstance(tmp);
        int port = TestInstance.freePort();
        byte[] msg = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        try (TraplineServer server = t.start(port)) {
            Path spool = t.data.resolve("spool");
            Path moved = tmp.resolve("spool-away");
            // Running as root defeats chmod, so take the directory away: every write now fails.
            Files.move(spool, moved);
            Files.writeString(spool, "a file where the spool directory should be");
            try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
                c.command("EHLO bot.example");
                SmtpClient.Reply r = c.send("s@forged.example", List.of("t@trap.example.net"), msg);
                assertThat(r.code()).isEqualTo(451);
                assertThat(r.text()).contains("try again later");
            }
            Files.delete(spool);
            Files.move(moved, spool);
            try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
                c.command("EHLO bot.example");
                assertThat(c.send("s@forged.example", List.of("t@trap.example.net"), msg).code()).isEqualTo(250);
            }
        }
    }

    @Test
    void aHitTheEvidenceStoreCannotTakeStaysSpooledAndIsStoredAfterRestart() throws Exception {
        TestInstance t = new TestInstance(tmp);
        int port = TestInstance.freePort();
        Path spool = t.data.resolve("spool");
        Path raw = t.data.resolve("raw");
        Path moved = tmp.resolve("raw-away");
        try (TraplineServer server = t.start(port)) {
            // The raw store breaks after start (a full or failed disk): the spool still takes the message.
            Files.move(raw, moved);
            Files.writeString(raw, "a file where the raw store should be");
            try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
                c.command("EHLO bot.example");
                assertThat(c.send("s@forged.example", List.of("t@trap.example.net"),
                        "Subject: kept\r\nMessage-ID: <kept@x>\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(250);
            }
            Thread.sleep(1500);
            assertThat(TrapMxSmtpTest.countSpoolFiles(spool)).as("kept for replay").isEqualTo(1);
            assertThat(TrapMxSmtpTest.countSpoolFiles(spool.resolve("quarantine"))).as("not quarantined").isZero();
        }
        Files.delete(raw);
        Files.move(moved, raw);
        try (TraplineServer server = t.start(port)) {
            TrapToSubscriberTest.awaitSpoolDrained(spool);
        }
        assertThat(CrashRecoveryTest.storedHits(t.data)).extracting(StoredHit::messageId).containsExactly("<kept@x>");
    }
}
