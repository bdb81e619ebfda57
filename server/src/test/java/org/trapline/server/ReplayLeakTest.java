package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.apache.james.lifecycle.api.Disposable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.mailets.spool.Envelope;
import org.trapline.mailets.spool.Spool;

/**
 * The replay at start releases every message source it makes, as the SMTP path does: James counts each
 * source not yet released, and logs a "Leak detected!" ERROR for each one the garbage collector finds.
 */
class ReplayLeakTest {
    static final int MESSAGES = 30;

    @TempDir
    Path tmp;

    @Test
    void replayedMessagesLeaveNoMessageSourceBehind() throws Exception {
        TestInstance t = new TestInstance(tmp);
        Spool left = new Spool(t.data.resolve("spool"));
        left.open();
        for (int i = 0; i < MESSAGES; i++) {
            left.write(new Envelope("s@spam.example", List.of("trap" + i + "@trap.example.net"), "192.0.2.7", "zombie", Instant.now()),
                    ("Subject: left " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        left.close();
        int before = Disposable.LeakAware.REFERENCES_IN_USE.size();
        try (TraplineServer server = t.start(TestInstance.freePort())) {
            TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (!server.status().replay().isFinished() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(server.status().replay().isFinished()).isTrue();
            assertThat(server.status().replay().done()).isEqualTo(MESSAGES);
            assertThat(Disposable.LeakAware.REFERENCES_IN_USE.size() - before).as("message sources not released").isLessThanOrEqualTo(0);
        }
    }
}
