package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
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
        Path holdConf = tmp.resolve("conf-hold");
        TestInstance.copyDir(t.conf, holdConf);
        Path mailets = holdConf.resolve("mailetcontainer.xml");
        String xml = Files.readString(mailets);
        Files.writeString(mailets, xml.replace("<processor state=\"trap\" enableJmx=\"false\">",
                "<processor state=\"trap\" enableJmx=\"false\">\n<mailet match=\"All\" class=\"" + HoldMail.class.getName() + "\"/>"));
        int port = TestInstance.freePort();
        Path spool = t.data.resolve("spool");

        try (ServerProcess held = ServerProcess.start(holdConf, t.data, port, tmp.resolve("held.log"))) {
            try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
                c.command("EHLO zombie.example");
                for (int i = 0; i < MESSAGES; i++) {
                    byte[] msg = ("Subject: crash " + i + "\r\nMessage-ID: <crash-" + i + "@zombie.example>\r\n\r\nbody " + i + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    assertThat(c.send("s@zombie.example", List.of("trap" + i + "@trap.example.net"), msg).code()).isEqualTo(250);
                }
            }
            held.kill9();
        }
        assertThat(TrapMxSmtpTest.countSpoolFiles(spool)).as("acknowledged messages on disk after kill -9").isEqualTo(MESSAGES);

        try (ServerProcess restarted = ServerProcess.start(t.conf, t.data, port, tmp.resolve("restarted.log"))) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (TrapMxSmtpTest.countSpoolFiles(spool) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(TrapMxSmtpTest.countSpoolFiles(spool)).as("spool drained after replay").isZero();
            assertThat(restarted.terminate()).as("clean exit on SIGTERM").isIn(0, 143);
        }
    }
}
