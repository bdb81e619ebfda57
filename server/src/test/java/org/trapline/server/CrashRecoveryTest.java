package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.StoredHit;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message answered 250 survives kill -9: the server is killed after acknowledging messages but before
 * its pipeline ran, restarted, and every message is then processed exactly once.
 */
class CrashRecoveryTest {
    static final int MESSAGES = 20;

    @TempDir
    Path tmp;

    @Test
    void acknowledgedMessagesSurviveKill9AndAreProcessedOnceAfterRestart() throws Exception {
        TestInstance t = new TestInstance(tmp);
        Path holdConf = t.confWithMailet(tmp.resolve("conf-hold"), "<processor state=\"trap\" enableJmx=\"false\">", HoldMail.class);
        int port = TestInstance.freePort();
        Path spool = t.data.resolve("spool");

        try (ServerProcess held = ServerProcess.start(holdConf, t.data, port, tmp.resolve("held.log"))) {
            SmtpClient.sendNumbered(port, "crash", MESSAGES);
            held.kill9();
        }
        assertThat(TrapMxSmtpTest.pendingInSpool(spool)).as("acknowledged messages on disk after kill -9").isEqualTo(MESSAGES);
        assertThat(storedHits(t.data)).as("nothing processed before the kill").isEmpty();
        // Keep the acknowledged journal to replay it all again later, as if a crash had undone every release.
        java.util.Map<Path, byte[]> journal = new java.util.HashMap<>();
        try (var files = Files.list(spool)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".journal")).toList()) {
                journal.put(p, Files.readAllBytes(p));
            }
        }
        assertThat(journal).isNotEmpty();

        restartAndDrain(t, port, spool, "restarted.log");
        List<StoredHit> hits = storedHits(t.data);
        assertThat(hits).as("every acknowledged message processed").hasSize(MESSAGES);
        assertThat(hits).extracting(h -> h.hit().intakeKey()).doesNotHaveDuplicates();
        assertThat(hits).extracting(StoredHit::messageId)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, MESSAGES)
                        .mapToObj(i -> "<crash-" + i + "@zombie.example>").toList());

        for (var e : journal.entrySet()) {
            Files.write(e.getKey(), e.getValue());
        }
        assertThat(TrapMxSmtpTest.pendingInSpool(spool)).as("all of them pending again").isEqualTo(MESSAGES);
        restartAndDrain(t, port, spool, "replayed-again.log");
        assertThat(storedHits(t.data)).as("a replay of finished messages creates no duplicate").hasSize(MESSAGES);
    }

    private void restartAndDrain(TestInstance t, int port, Path spool, String log) throws Exception {
        try (ServerProcess restarted = ServerProcess.start(t.conf, t.data, port, tmp.resolve(log))) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (TrapMxSmtpTest.pendingInSpool(spool) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(TrapMxSmtpTest.pendingInSpool(spool)).as("spool drained after replay").isZero();
            assertThat(restarted.terminate()).as("clean exit on SIGTERM").isIn(0, 143);
        }
    }

    /** Opens the evidence store of a stopped instance, the way an abuse desk tool would. */
    static List<StoredHit> storedHits(Path data) {
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            List<StoredHit> all = new java.util.ArrayList<>();
            List<StoredHit> page;
            while (!(page = store.hits(all.isEmpty() ? 0 : all.get(all.size() - 1).id(), 500)).isEmpty()) {
                all.addAll(page);
            }
            return all;
        }
    }
}
