package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.evidence.StoredHit;
import org.trapline.mailets.spool.Spool;

/** When the spool cannot be written the client hears 451 (try later), never 250. */
class SpoolFailureTest {
    @TempDir
    Path tmp;

    @Test
    void aWriteTheDiskRefusesAnswers451AndLeavesNoPartialRecordBehind() throws Exception {
        TestInstance t = new TestInstance(tmp);
        int port = TestInstance.freePort();
        Path spool = t.data.resolve("spool");
        // Each ~1 MB message grows the spool journal by ~1 MB; the kernel stops it at 6 MB, as a full disk would.
        long limit = 6L << 20;
        List<String> accepted = new ArrayList<>();
        boolean refused = false;
        try (ServerProcess server = ServerProcess.startWithFileSizeLimit(limit, t.conf, t.data, port, tmp.resolve("limited.log"));
             SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO bot.example");
            for (int i = 0; i < 10 && !refused; i++) {
                String id = "<big-" + i + "@bot.example>";
                SmtpClient.Reply r = c.send("s@forged.example", List.of("t@trap.example.net"), bigMessage(id, 1_000_000));
                if (r.code() == 250) {
                    accepted.add(id);
                } else {
                    assertThat(r.code()).as(r.text()).isEqualTo(451);
                    assertThat(r.text()).contains("try again later");
                    refused = true;
                }
            }
            assertThat(refused).as("the journal hit the limit").isTrue();
            assertThat(accepted).hasSizeGreaterThan(2);
            String small = "<small@bot.example>";
            assertThat(c.send("s@forged.example", List.of("t@trap.example.net"), bigMessage(small, 10_000)).code())
                    .as("a message that still fits is taken right after").isEqualTo(250);
            accepted.add(small);
            TrapToSubscriberTest.awaitSpoolDrained(spool);
            server.terminate();
        }
        try (TraplineServer server = t.start(port)) {
            assertThat(Spool.countQuarantined(spool)).as("no damaged journal bytes found at restart").isZero();
        }
        assertThat(CrashRecoveryTest.storedHits(t.data)).extracting(StoredHit::messageId)
                .containsExactlyInAnyOrderElementsOf(accepted);
    }

    private static byte[] bigMessage(String messageId, int bodyBytes) {
        StringBuilder b = new StringBuilder("Subject: big\r\nMessage-ID: ").append(messageId).append("\r\n\r\n");
        String line = "x".repeat(76) + "\r\n";
        while (b.length() < bodyBytes) {
            b.append(line);
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
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
            assertThat(TrapMxSmtpTest.pendingInSpool(spool)).as("kept for replay").isEqualTo(1);
            assertThat(Spool.countQuarantined(spool)).as("not quarantined").isZero();
        }
        Files.delete(raw);
        Files.move(moved, raw);
        try (TraplineServer server = t.start(port)) {
            TrapToSubscriberTest.awaitSpoolDrained(spool);
        }
        assertThat(CrashRecoveryTest.storedHits(t.data)).extracting(StoredHit::messageId).containsExactly("<kept@x>");
    }
}
