package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A burst of client misbehaviour (resets, STARTTLS that is not offered) leaves a few log lines, each one
 * line without a stack trace, however many clients misbehave: the server's real log output is captured
 * from the root logger while real sockets hit the real server.
 */
class SmtpClientEventLoggingTest {
    private static final int BURST = 50;

    @TempDir
    Path tmp;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private TraplineServer server;
    private int port;

    @BeforeEach
    void start() {
        port = TestInstance.freePort();
        server = new TestInstance(tmp).start(port);
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void stop() {
        root.detachAppender(log);
        server.close();
    }

    @Test
    void aBurstOfResetsLogsOneLineWithoutAStackTrace() throws Exception {
        for (int i = 0; i < BURST; i++) {
            RawSmtp c = RawSmtp.connect(port);
            assertThat(c.line()).startsWith("220 ");
            c.send("EHLO reset.example\r\n");
            c.reset();
        }
        List<ILoggingEvent> events = settledEvents();
        assertOneLineEachWithoutStackTraces(events);
        assertThat(events).filteredOn(e -> e.getFormattedMessage().contains("connection reset")).hasSize(1);
    }

    @Test
    void aBurstOfUnofferedStartTlsLogsOneLineAndEverySessionGoesOn() throws Exception {
        for (int i = 0; i < BURST; i++) {
            try (RawSmtp c = RawSmtp.connect(port)) {
                assertThat(c.line()).startsWith("220 ");
                assertThat(c.command("EHLO tls.example")).startsWith("250 ");
                assertThat(c.command("STARTTLS")).startsWith("5");
                assertThat(c.command("NOOP")).as("the session goes on in plaintext").startsWith("250 ");
                assertThat(c.command("QUIT")).startsWith("221 ");
            }
        }
        List<ILoggingEvent> events = settledEvents();
        assertOneLineEachWithoutStackTraces(events);
        assertThat(events).filteredOn(e -> e.getFormattedMessage().contains("STARTTLS")).hasSize(1);
    }

    private static void assertOneLineEachWithoutStackTraces(List<ILoggingEvent> events) {
        assertThat(events).as("log lines for %s misbehaving sessions: %s", BURST, events).hasSizeLessThanOrEqualTo(3);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getThrowableProxy()).as("stack trace of %s", e).isNull();
            assertThat(e.getLevel().isGreaterOrEqual(Level.ERROR)).as("level of %s", e).isFalse();
            assertThat(e.getFormattedMessage()).doesNotContain("\n");
        });
    }

    /** The events logged so far, once the server has had time to see every closed connection. */
    private List<ILoggingEvent> settledEvents() throws InterruptedException {
        List<ILoggingEvent> seen = List.of();
        for (int quiet = 0; quiet < 5; ) {
            Thread.sleep(200);
            List<ILoggingEvent> now;
            // Appenders append under their own lock.
            synchronized (log) {
                now = new ArrayList<>(log.list);
            }
            quiet = now.size() == seen.size() ? quiet + 1 : 0;
            seen = now;
        }
        return seen;
    }
}
