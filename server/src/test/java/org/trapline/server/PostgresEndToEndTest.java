package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.trapline.attribution.accounting.ExternalTools;
import org.trapline.common.sql.TestPostgres;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;

/**
 * {@code store.url} pointing at a real PostgreSQL (the tests' own cluster, password authentication through
 * {@code store.password-file}): a subscriber's session from radclient and a zombie's spam over SMTP end as
 * rows in PostgreSQL, attributed, and no store file in the data directory; {@code bin/trapline check}
 * logs in, and a wrong password is one line that never holds it, in the check and in the logs of a start.
 */
class PostgresEndToEndTest {
    @TempDir
    Path tmp;

    TestInstance onPostgres(Path dir, String database, String password) {
        TestPostgres pg = TestPostgres.cluster();
        return new TestInstance(dir).set("attribution.subscriber-networks", "10.0.0.0/8")
                .set("store.url", pg.url(database)).set("store.user", TestPostgres.USER).secret("store.password", password);
    }

    @Test
    void spamFromASubscribersAddressIsStoredInPostgresqlAgainstThatSubscriber() throws Exception {
        Path radclient = ExternalTools.require("radclient", "freeradius-utils");
        TestPostgres pg = TestPostgres.cluster();
        String database = pg.newDatabase("end_to_end");
        TestInstance t = onPostgres(tmp, database, pg.password());
        Cli check = t.cli("check");
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).contains("ok    store database reachable: " + pg.url(database) + " as " + TestPostgres.USER + " (PostgreSQL 1");

        int port = TestInstance.freePort();
        try (TraplineServer server = t.start(port)) {
            Process nas = new ProcessBuilder(radclient.toString(), "-S", t.radiusSecretFile().toString(), "-r", "2", "-t", "2",
                    "127.0.0.1:" + server.radiusAddress().getPort(), "acct").redirectErrorStream(true).start();
            nas.getOutputStream().write(("Acct-Status-Type = Start, User-Name = \"alice@isp.example\", Acct-Session-Id = \"S-77\", "
                    + "Framed-IP-Address = 10.0.9.77, NAS-IP-Address = 127.0.0.1, Acct-Delay-Time = 60\n").getBytes(StandardCharsets.US_ASCII));
            nas.getOutputStream().close();
            assertThat(nas.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(nas.exitValue()).as(new String(nas.getInputStream().readAllBytes())).isZero();

            String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
            try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
                c.command("EHLO relay.isp.example");
                assertThat(c.send("billing@bank.example", List.of("trap1@trap.example.net"), (
                        "Received: from WIN-ZOMBIE (dsl-77.isp.example [10.0.9.77])\r\n"
                        + "\tby relay.isp.example (Postfix) with ESMTP id 4F1A2\r\n\tfor <trap1@trap.example.net>; " + now + "\r\n"
                        + "Subject: Your account is suspended\r\nMessage-ID: <zombie-1@isp.example>\r\n\r\n"
                        + "Click http://phish.example/login now\r\n").getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(250);
            }
            TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
        }

        try (Connection c = DriverManager.getConnection(pg.url(database), TestPostgres.USER, pg.password());
             ResultSet hit = c.createStatement().executeQuery("SELECT origin_ip, attribution_status, subscriber, session_id"
                     + " FROM evidence.trap_hit WHERE message_id = '<zombie-1@isp.example>'")) {
            assertThat(hit.next()).as("the hit's row is in PostgreSQL").isTrue();
            assertThat(hit.getString(1)).isEqualTo("10.0.9.77");
            assertThat(hit.getString(2)).isEqualTo("MATCHED");
            assertThat(hit.getString(3)).isEqualTo("alice@isp.example");
            assertThat(hit.getString(4)).isEqualTo("S-77");
            try (ResultSet session = c.createStatement().executeQuery("SELECT username FROM sessions.radacct WHERE acctsessionid = 'S-77'")) {
                assertThat(session.next()).isTrue();
                assertThat(session.getString(1)).isEqualTo("alice@isp.example");
            }
        }
        for (String h2 : List.of("evidence.mv.db", "policy.mv.db", "users.mv.db", "sessions/radacct.mv.db")) {
            assertThat(t.data.resolve(h2)).as("no H2 store with store.url set").doesNotExist();
        }
    }

    @Test
    void aWrongPasswordIsOneLineInTheCheckAndNeverReachesALogLine() throws Exception {
        TestPostgres pg = TestPostgres.cluster();
        String wrong = "wrong-Password-" + System.nanoTime();
        TestInstance t = onPostgres(tmp, pg.newDatabase("wrong_password"), wrong);

        Cli check = t.cli("check");
        assertThat(check.code()).isEqualTo(2);
        assertThat(check.err().strip()).doesNotContain("\n").contains("store.url: cannot log in to").contains("password authentication failed")
                .doesNotContain(wrong);

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger pool = (Logger) LoggerFactory.getLogger("com.zaxxer.hikari");
        Level poolLevel = pool.getLevel();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        // The pool writes its settings, password field included, at debug.
        pool.setLevel(Level.DEBUG);
        try {
            assertThatThrownBy(() -> t.start(TestInstance.freePort()).close())
                    .satisfies(e -> assertThat(e.getMessage()).contains("password authentication failed").doesNotContain(wrong));
        } finally {
            root.detachAppender(logged);
            pool.setLevel(poolLevel);
        }
        assertThat(logged.list).as("something was logged").isNotEmpty();
        assertThat(logged.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).contains(wrong));
        assertThat(Files.readString(t.conf.resolve("trapline.properties"))).doesNotContain(wrong);
    }
}
