package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's stop (SIGTERM) right after a burst: the pipeline's last hits are flushed and their spool
 * records released before the databases close, and the log shows no error. H2 closes its databases from a
 * JVM shutdown hook of its own unless told not to; that hook ran beside Trapline's and closed the evidence
 * store under the final flush ("Database is already closed", logged as an ERROR at every stop).
 */
class CleanStopTest {
    static final int MESSAGES = 10;

    @TempDir
    Path tmp;

    @Test
    void sigtermAfterABurstFlushesReleasesAndLogsNoError() throws Exception {
        TestInstance t = new TestInstance(tmp);
        int port = TestInstance.freePort();
        Path log = tmp.resolve("server.log");
        try (ServerProcess server = ServerProcess.start(t.conf, t.data, port, log)) {
            SmtpClient.sendNumbered(port, "stop", MESSAGES);
            // Stop as soon as the last hit is stored: its spool record still waits for the releaser's next flush.
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.readString(log).contains("stored as #" + MESSAGES + ":") && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertThat(server.terminate()).as("exit code of a clean stop").isZero();
        }
        String output = Files.readString(log);
        assertThat(output.lines().filter(l -> l.contains(" ERROR ") || l.contains("Database is already closed")))
                .as("errors logged by a clean stop").isEmpty();
        assertThat(TrapMxSmtpTest.pendingInSpool(t.data.resolve("spool"))).as("spool records left after the stop").isZero();
        assertThat(CrashRecoveryTest.storedHits(t.data)).hasSize(MESSAGES);
    }
}
