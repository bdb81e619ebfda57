package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.accounting.ExternalTools;
import org.trapline.evidence.StoredHit;


/**
 * The whole chain with real peers: radclient (the NAS) reports a subscriber's session to Trapline's
 * accounting listener, a zombie's spam reaches the trap over SMTP through our trusted relay, and the
 * stored trap hit names that subscriber; an address outside the subscriber networks is NOT_OURS.
 */
class TrapToSubscriberTest {
    @TempDir
    Path tmp;

    @Test
    void spamFromASubscribersAddressIsStoredAgainstThatSubscriber() throws Exception {
        Path radclient = ExternalTools.require("radclient", "freeradius-utils");
        TestInstance t = new TestInstance(tmp).set("attribution.subscriber-networks", "10.0.0.0/8, 2001:db8::/32");
        int port = TestInstance.freePort();
        try (TraplineServer server = t.start(port)) {
            int radiusPort = server.radiusAddress().getPort();
            Process nas = new ProcessBuilder(radclient.toString(), "-S", t.radiusSecretFile().toString(), "-r", "2", "-t", "2", "127.0.0.1:" + radiusPort, "acct")
                    .redirectErrorStream(true).start();
            nas.getOutputStream().write(("Acct-Status-Type = Start, User-Name = \"alice@isp.example\", Acct-Session-Id = \"S-77\", "
                    + "Framed-IP-Address = 10.0.9.77, NAS-IP-Address = 127.0.0.1, Acct-Delay-Time = 60\n").getBytes(StandardCharsets.US_ASCII));
            nas.getOutputStream().close();
            assertThat(nas.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(nas.exitValue()).as(new String(nas.getInputStream().readAllBytes())).isZero();

            String who = run("--conf", t.conf.toString(), "--data", t.data.toString(), "who", "10.0.9.77");
            com.fasterxml.jackson.databind.JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(who);
            assertThat(answer.get("status").asText()).isEqualTo("MATCHED");
            assertThat(answer.get("subscriber").asText()).isEqualTo("alice@isp.example");

            String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
            try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
                c.command("EHLO relay.isp.example");
                // We connect from loopback, i.e. as our own trusted relay: the header it wrote is believed.
                assertThat(c.send("billing@bank.example", List.of("trap1@trap.example.net"), (
                        "Received: from WIN-ZOMBIE (dsl-77.isp.example [10.0.9.77])\r\n"
                        + "\tby relay.isp.example (Postfix) with ESMTP id 4F1A2\r\n\tfor <trap1@trap.example.net>; " + now + "\r\n"
                        + "Received: from [192.0.2.1] by forged.example; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
                        + "Subject: Your account is suspended\r\nMessage-ID: <zombie-1@isp.example>\r\n\r\n"
                        + "Click http://phish.example/login now\r\n").getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(250);
                assertThat(c.send("x@y.example", List.of("trap2@trap.example.net"), (
                        "Received: from elsewhere ([192.0.2.50]) by relay.isp.example; " + now + "\r\n"
                        + "Subject: not ours\r\nMessage-ID: <other-1@elsewhere.example>\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII)).code())
                        .isEqualTo(250);
            }
            awaitSpoolDrained(t.data.resolve("spool"));
        }
        List<StoredHit> hits = CrashRecoveryTest.storedHits(t.data);
        assertThat(hits).hasSize(2);
        StoredHit zombie = hits.stream().filter(h -> "<zombie-1@isp.example>".equals(h.messageId())).findFirst().orElseThrow();
        assertThat(zombie.hit().originIp()).isEqualTo("10.0.9.77");
        assertThat(zombie.hit().clientIp()).isEqualTo("127.0.0.1");
        assertThat(zombie.hit().attributionStatus()).isEqualTo("MATCHED");
        assertThat(zombie.hit().subscriber()).isEqualTo("alice@isp.example");
        assertThat(zombie.hit().sessionId()).isEqualTo("S-77");
        StoredHit other = hits.stream().filter(h -> "<other-1@elsewhere.example>".equals(h.messageId())).findFirst().orElseThrow();
        assertThat(other.hit().originIp()).isEqualTo("192.0.2.50");
        assertThat(other.hit().attributionStatus()).isEqualTo("NOT_OURS");
        assertThat(other.hit().subscriber()).isNull();
    }

    static void awaitSpoolDrained(Path spool) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (TrapMxSmtpTest.pendingInSpool(spool) > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(TrapMxSmtpTest.pendingInSpool(spool)).isZero();
    }

    static String run(String... args) {
        return Cli.run(args).out();
    }
}
