package org.trapline.server.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** One line per client and kind per minute, and the next line tells how many were left out. */
class ClientEventLogTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ClientEventLog.class);
    private final MovableClock clock = new MovableClock();
    private final ClientEventLog events = new ClientEventLog(clock);

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
        // The lines are checked here; the console is spared the flood test's ten thousand.
        logger.setAdditive(false);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
        logger.setAdditive(true);
    }

    @Test
    void repeatsWithinAMinuteAreCountedAndReportedOnTheNextLine() {
        InetSocketAddress bot = new InetSocketAddress("192.0.2.7", 40000);
        for (int i = 0; i < 100; i++) {
            events.note(ClientEventLog.Kind.CONNECTION_RESET, bot, "reset");
            clock.advance(Duration.ofMillis(100));
        }
        assertThat(lines()).hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        events.note(ClientEventLog.Kind.CONNECTION_RESET, bot, "reset");
        assertThat(lines()).hasSize(2);
        assertThat(lines().get(1)).contains("192.0.2.7").contains("99 more");
    }

    @Test
    void clientsAndKindsAreLimitedApart() {
        events.note(ClientEventLog.Kind.CONNECTION_RESET, new InetSocketAddress("192.0.2.7", 1), "");
        events.note(ClientEventLog.Kind.CONNECTION_RESET, new InetSocketAddress("192.0.2.8", 1), "");
        events.note(ClientEventLog.Kind.IDLE_TIMEOUT, new InetSocketAddress("192.0.2.7", 1), "");
        assertThat(lines()).hasSize(3);
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        events.note(ClientEventLog.Kind.CONNECTION_RESET, new InetSocketAddress("2001:db8:1:2::1", 1), "");
        events.note(ClientEventLog.Kind.CONNECTION_RESET, new InetSocketAddress("2001:db8:1:2:ffff::9", 1), "");
        assertThat(lines()).hasSize(1);
        assertThat(lines().get(0)).contains("2001:db8:1:2:0:0:0:0/64");
    }

    @Test
    void aFloodFromMoreClientsThanTrackedSharesOneLine() {
        for (int i = 0; i < ClientEventLog.MAX_CLIENTS + 500; i++) {
            events.note(ClientEventLog.Kind.CONNECTION_RESET,
                    new InetSocketAddress("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 1), "");
        }
        assertThat(lines()).hasSize(ClientEventLog.MAX_CLIENTS + 1);
        assertThat(lines().get(lines().size() - 1)).contains("many clients");
    }

    private List<String> lines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-24T03:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
