package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle sessions are closed after smtp.idle-timeout-seconds, and no client, nor all of them together, can
 * hold more sessions open than smtp.max-connections-per-client and smtp.max-connections allow: real
 * sockets against the real server, clients told apart by their loopback source address.
 */
class SmtpConnectionLimitsTest {
    @TempDir
    Path tmp;

    @Test
    void aSilentClientHears421AfterTheIdleTimeoutAndIsDisconnected() throws Exception {
        TestInstance t = new TestInstance(tmp).set("smtp.idle-timeout-seconds", "2");
        int port = TestInstance.freePort();
        try (TraplineServer server = t.start(port)) {
            try (RawSmtp idle = RawSmtp.connect(port)) {
                assertThat(idle.line()).startsWith("220 ");
                assertThat(idle.command("EHLO bot.example")).startsWith("250 ");
                long silentSince = System.nanoTime();
                String goodbye = idle.line();
                long silentMs = (System.nanoTime() - silentSince) / 1_000_000;
                assertThat(goodbye).startsWith("421 4.4.2 ");
                assertThat(idle.closedWithin(2000)).as("closed after the 421").isTrue();
                // James's own timeout handler closed only at the second idle event: after twice the timeout.
                assertThat(silentMs).as("ms of silence before the 421").isBetween(1900L, 3500L);
            }
            // A client that keeps talking is never timed out, however long it stays.
            try (RawSmtp busy = RawSmtp.connect(port)) {
                assertThat(busy.line()).startsWith("220 ");
                for (int i = 0; i < 8; i++) {
                    assertThat(busy.command("NOOP")).startsWith("250 ");
                    Thread.sleep(600);
                }
            }
        }
    }

    @Test
    void connectionsPastTheLimitPerClientAndInAllHear421AndAreClosed() throws Exception {
        TestInstance t = new TestInstance(tmp).set("smtp.max-connections", "4").set("smtp.max-connections-per-client", "3");
        int port = TestInstance.freePort();
        List<RawSmtp> open = new ArrayList<>();
        try (TraplineServer server = t.start(port)) {
            for (int i = 0; i < 3; i++) {
                open.add(greeted(RawSmtp.connect(port, "127.0.0.1")));
            }
            try (RawSmtp fourth = RawSmtp.connect(port, "127.0.0.1")) {
                assertThat(fourth.line()).startsWith("421 4.7.0 ").contains("too many connections from one address");
                assertThat(fourth.closedWithin(2000)).isTrue();
            }
            // Another client still gets in, up to the total limit.
            open.add(greeted(RawSmtp.connect(port, "127.0.0.2")));
            try (RawSmtp fifth = RawSmtp.connect(port, "127.0.0.3")) {
                assertThat(fifth.line()).startsWith("421 4.7.0 ").contains("too many connections");
                assertThat(fifth.closedWithin(2000)).isTrue();
            }
            // The sessions let in are unharmed by the refusals.
            for (RawSmtp s : open) {
                assertThat(s.command("NOOP")).startsWith("250 ");
            }
            // A closed session frees its place: the same client is let in again.
            open.remove(0).close();
            RawSmtp again = null;
            for (int attempt = 0; attempt < 50 && again == null; attempt++) {
                RawSmtp s = RawSmtp.connect(port, "127.0.0.1");
                if (s.line().startsWith("220 ")) {
                    again = s;
                } else {
                    s.close();
                    Thread.sleep(100);
                }
            }
            assertThat(again).as("let in once a place is free").isNotNull();
            open.add(again);
            assertThat(again.command("NOOP")).startsWith("250 ");
        } finally {
            for (RawSmtp s : open) {
                s.close();
            }
        }
    }

    private static RawSmtp greeted(RawSmtp s) throws Exception {
        assertThat(s.line()).startsWith("220 ");
        return s;
    }
}
