package org.trapline.attribution.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.journal.AccountingJournal;
import org.trapline.attribution.journal.JournalSettings;
import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.AttributionStatus;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.session.Session;
import org.trapline.attribution.session.SessionStore;
import org.trapline.common.net.IpAddress;

/** FreeRADIUS's radclient (Debian freeradius-utils) as the NAS. */
class RadclientTest {
    @TempDir
    Path data;
    SessionStore store;
    AccountingJournal journal;
    AccountingServer server;
    Path radclient;

    @BeforeEach
    void start() throws Exception {
        radclient = ExternalTools.require("radclient", "freeradius-utils");
        store = SessionStore.open(data);
        journal = AccountingJournal.open(data, JournalSettings.defaults(), store);
        server = new AccountingServer(AccountingServerTest.settings("127.0.0.1", "testing123"), journal);
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
            journal.close();
            store.close();
        }
    }

    record Result(int exit, String output) {
    }

    Result radclient(String secret, String attributes) throws Exception {
        return radclient("acct", secret, attributes);
    }

    Result radclient(String command, String secret, String attributes) throws Exception {
        Process p = new ProcessBuilder(radclient.toString(), "-x", "-r", "1", "-t", "1",
                "127.0.0.1:" + server.localAddress().getPort(), command, secret).redirectErrorStream(true).start();
        p.getOutputStream().write(attributes.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("radclient finished").isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void startInterimStopFromRadclientMakeASessionTheLookupFinds() throws Exception {
        Result start = radclient("testing123", """
                Acct-Status-Type = Start, User-Name = "alice@isp.example", Acct-Session-Id = "rc-1",
                Framed-IP-Address = 100.64.1.23, Delegated-IPv6-Prefix = 2001:db8:ff00:2300::/56,
                NAS-IP-Address = 192.0.2.10, Calling-Station-Id = "00-11-22-33-44-55",
                Event-Timestamp = 1763900000, Cisco-AVPair = "subscriber:sa=internet"
                """);
        assertThat(start.exit()).as(start.output()).isZero();
        assertThat(start.output()).contains("Accounting-Response");
        Result interim = radclient("testing123", """
                Acct-Status-Type = Interim-Update, User-Name = "alice@isp.example", Acct-Session-Id = "rc-1",
                Framed-IP-Address = 100.64.1.23, NAS-IP-Address = 192.0.2.10, Acct-Session-Time = 300, Acct-Delay-Time = 0,
                Event-Timestamp = 1763900300
                """);
        assertThat(interim.exit()).as(interim.output()).isZero();
        Result stop = radclient("testing123", """
                Acct-Status-Type = Stop, User-Name = "alice@isp.example", Acct-Session-Id = "rc-1",
                Framed-IP-Address = 100.64.1.23, NAS-IP-Address = 192.0.2.10, Acct-Session-Time = 600,
                Acct-Terminate-Cause = Lost-Carrier, Event-Timestamp = 1763900600
                """);
        assertThat(stop.exit()).as(stop.output()).isZero();

        journal.await();
        Session s = store.find("192.0.2.10", "rc-1").orElseThrow();
        assertThat(s.start()).isEqualTo(Instant.ofEpochSecond(1763900000));
        assertThat(s.stop()).isEqualTo(Instant.ofEpochSecond(1763900600));
        assertThat(s.terminateCause()).isEqualTo("Lost-Carrier");
        assertThat(s.delegatedIpv6Prefix()).isEqualTo("2001:db8:ff00:2300::/56");
        assertThat(s.callingStationId()).isEqualTo("00-11-22-33-44-55");

        AttributionLookup lookup = AttributionLookup.create(store, LookupSettings.defaults());
        Attribution a = lookup.lookup(IpAddress.parse("2001:db8:ff00:2342::25"), Instant.ofEpochSecond(1763900100));
        assertThat(a.status()).isEqualTo(AttributionStatus.MATCHED);
        assertThat(a.subscriber()).isEqualTo("alice@isp.example");
        assertThat(server.counters().acknowledged()).isEqualTo(3);
    }

    @Test
    void wrongSecretGetsNoAnswer() throws Exception {
        Result r = radclient("wrong-secret", "Acct-Status-Type = Start, User-Name = \"mallory\", Acct-Session-Id = \"x\"\n");
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("No reply");
        assertThat(server.counters().badAuthenticator()).isPositive();
        assertThat(store.count()).isZero();
    }

    @Test
    void unknownNasGetsNoAnswer() throws Exception {
        server.stop();
        server = new AccountingServer(AccountingServerTest.settings("192.0.2.1", "testing123"), journal);
        server.start();
        Result r = radclient("testing123", "Acct-Status-Type = Start, User-Name = \"mallory\", Acct-Session-Id = \"x\"\n");
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(server.counters().unknownClient()).isPositive();
        assertThat(store.count()).isZero();
    }

    @Test
    void statusServerFromAKnownNasIsAnsweredAndStoresNothing() throws Exception {
        Result r = radclient("status", "testing123", "Message-Authenticator = 0x00\n");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("Accounting-Response");
        assertThat(server.counters().statusServer()).isEqualTo(1);
        assertThat(server.counters().acknowledged()).isZero();
        assertThat(store.count()).isZero();
    }

    @Test
    void statusServerWithTheWrongSecretGetsNoAnswer() throws Exception {
        Result r = radclient("status", "wrong-secret", "Message-Authenticator = 0x00\n");
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("No reply");
        assertThat(server.counters().badAuthenticator()).isPositive();
        assertThat(server.counters().statusServer()).isZero();
    }
}
