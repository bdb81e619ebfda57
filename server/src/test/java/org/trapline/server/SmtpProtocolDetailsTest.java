package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.StoredHit;
import org.trapline.enforcement.UnattributedHit;
import org.trapline.origin.ReceivedParser;
import org.trapline.origin.Relay;

/** The MX's replies to the details of the protocol, over real SMTP sockets. */
class SmtpProtocolDetailsTest {
    @TempDir
    static Path tmp;
    static TestInstance t;
    static TraplineServer server;
    static int port;

    @BeforeAll
    static void start() {
        t = new TestInstance(tmp.resolve("mx"));
        port = TestInstance.freePort();
        server = t.start(port);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theGreetingAndTheHeloRepliesNameTheHostAndAreWellFormed() throws Exception {
        try (RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).isEqualTo("220 trap.example.net ESMTP");
            List<String> ehlo = c.send("EHLO bot.example\r\n").reply();
            assertThat(ehlo.get(0)).isEqualTo("250-trap.example.net Hello bot.example [127.0.0.1]");
            assertThat(ehlo).contains("250-PIPELINING");
            assertThat(c.command("HELO bot.example")).isEqualTo("250 trap.example.net Hello bot.example [127.0.0.1]");
        }
    }

    @Test
    void ourReceivedHeaderNamesTrapLineTheClientAndUsAsRfc5321Says() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO bot.example");
            assertThat(c.send("s@forged.example", List.of("rcvd@trap.example.net"), ascii("Subject: received-ehlo\r\n\r\nhi\r\n")).code())
                    .isEqualTo(250);
        }
        String header = ourHeader("received-ehlo");
        Matcher m = Pattern.compile("Received: from bot\\.example \\(\\[127\\.0\\.0\\.1]\\)\r\n"
                + "\tby trap\\.example\\.net \\(Trapline\\) with ESMTP id ([A-Za-z0-9-]+)\r\n"
                + "\tfor <rcvd@trap\\.example\\.net>; (.+)\r\n").matcher(header);
        assertThat(m.matches()).as(header).isTrue();
        Instant stamped = ZonedDateTime.parse(m.group(2), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(stamped).isBetween(before, Instant.now());
        // The origin trace reads our hop from it: the client address as our socket saw it.
        Relay hop = new ReceivedParser().parse(header.substring("Received:".length())).orElseThrow();
        assertThat(hop.ip()).isEqualTo("127.0.0.1");
        assertThat(hop.helo()).isEqualTo("bot.example");
        assertThat(hop.by()).isEqualTo("trap.example.net");
        assertThat(hop.time().toInstant()).isEqualTo(stamped);
    }

    @Test
    void aHeloThatIsNoDomainIsReplacedByTheAddressLiteralAndHeloMeansSmtp() throws Exception {
        try (RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).startsWith("220 ");
            assertThat(c.command("HELO WIN_ZOMBIE (evil) [x]")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<s@forged.example>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<a@trap.example.net>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<b@trap.example.net>")).startsWith("250 ");
            assertThat(c.command("DATA")).startsWith("354 ");
            assertThat(c.send("Subject: received-helo\r\n\r\nhi\r\n.\r\n").lastLine()).startsWith("250 ");
        }
        assertThat(ourHeader("received-helo")).matches(
                "Received: from \\[127\\.0\\.0\\.1] \\(\\[127\\.0\\.0\\.1]\\)\r\n\tby trap\\.example\\.net \\(Trapline\\) with SMTP id [A-Za-z0-9-]+; [^\r\n]+\r\n");
    }

    @Test
    void aBareLfClientGetsOurReceivedHeaderInItsOwnLineEnding() throws Exception {
        try (RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).startsWith("220 ");
            for (String command : List.of("EHLO lf.example\n", "MAIL FROM:<s@forged.example>\n", "RCPT TO:<lf@trap.example.net>\n")) {
                assertThat(c.send(command).lastLine()).startsWith("250 ");
            }
            assertThat(c.send("DATA\n").lastLine()).startsWith("354 ");
            assertThat(c.send("Subject: received-lf\n\nhi\n.\n").lastLine()).startsWith("250 ");
        }
        assertThat(ourHeader("received-lf")).doesNotContain("\r").startsWith("Received: from lf.example ([127.0.0.1])\n\tby ");
    }

    @Test
    void authIsNeverOfferedAndAnsweredWith502() throws Exception {
        try (RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).startsWith("220 ");
            assertThat(c.send("EHLO bot.example\r\n").reply()).noneMatch(l -> l.contains("AUTH"));
            assertThat(c.command("AUTH PLAIN AGFsaWNlAHNlY3JldA==")).startsWith("502 5.5.1 ");
            assertThat(c.command("AUTH LOGIN")).startsWith("502 5.5.1 ");
            assertThat(c.command("MAIL FROM:<s@forged.example>")).as("the session goes on").startsWith("250 ");
        }
    }

    @Test
    void pathsOverRfc5321sLimitsAreRefusedWith501() throws Exception {
        String domain200 = ("d".repeat(60) + ".").repeat(3) + "d".repeat(9) + ".example";
        try (RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).startsWith("220 ");
            assertThat(c.command("EHLO bot.example")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<" + "s".repeat(5000) + "@forged.example>")).startsWith("501 5.1.7 ").contains("local part");
            assertThat(c.command("MAIL FROM:<s@" + domain200 + ">")).as("a 200-octet domain is fine").startsWith("250 ");
            assertThat(c.command("RCPT TO:<" + "x".repeat(64) + "@trap.example.net>")).as("64 octets are fine").startsWith("250 ");
            assertThat(c.command("RCPT TO:<" + "x".repeat(65) + "@trap.example.net>")).startsWith("501 5.1.3 ").contains("local part");
            assertThat(c.command("RCPT TO:<" + "x".repeat(5000) + "@trap.example.net>")).startsWith("501 5.1.3 ");
            assertThat(c.command("RCPT TO:<" + "x".repeat(60) + "@" + domain200 + ">")).startsWith("501 5.1.3 ").contains("path");
            assertThat(c.command("RCPT TO:<fine@trap.example.net>")).as("the transaction goes on").startsWith("250 ");
        }
    }

    @Test
    void mailToTheDomainlessPostmasterIsKeptAsEvidenceAndNeverHandedToTheStrikePolicy() throws Exception {
        String relayed = "Received: from zombie ([10.0.9.77]) by relay.isp.example with SMTP; "
                + ZonedDateTime.now(java.time.ZoneOffset.UTC).format(DateTimeFormatter.RFC_1123_DATE_TIME) + "\r\n";
        try (RawSmtp c = RawSmtp.connect(port)) {
            assertThat(c.line()).startsWith("220 ");
            assertThat(c.command("EHLO relay.isp.example")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<s@forged.example>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<Postmaster>")).isEqualTo("250 2.1.5 Recipient <Postmaster> OK");
            assertThat(c.command("RCPT TO:<bob>")).as("only postmaster goes without a domain").startsWith("550 5.1.3 ");
            assertThat(c.command("DATA")).startsWith("354 ");
            assertThat(c.send(relayed + "Subject: to-domainless-postmaster\r\n\r\nhi\r\n.\r\n").lastLine()).startsWith("250 ");
            // The same spam to a trap's postmaster, as a control: that one goes to the policy.
            assertThat(c.command("MAIL FROM:<s@forged.example>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<postmaster@trap.example.net>")).startsWith("250 ");
            assertThat(c.command("DATA")).startsWith("354 ");
            assertThat(c.send(relayed + "Subject: to-trap-postmaster\r\n\r\nhi\r\n.\r\n").lastLine()).startsWith("250 ");
        }
        TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
        List<StoredHit> hits = server.data().evidence().hits(0, 1000);
        StoredHit domainless = hits.stream().filter(h -> "to-domainless-postmaster".equals(h.subject())).findFirst().orElseThrow();
        StoredHit trap = hits.stream().filter(h -> "to-trap-postmaster".equals(h.subject())).findFirst().orElseThrow();
        assertThat(domainless.hit().trapRecipients()).containsExactly("Postmaster@domainless.invalid");
        assertThat(domainless.hit().originIp()).as("traced like any hit").isEqualTo("10.0.9.77");
        assertThat(domainless.hit().attributionStatus()).isEqualTo("NO_SESSION");
        List<String> handedToPolicy = server.data().enforcement().enforcer().unattributedHits(1000).stream()
                .map(UnattributedHit::hitId).toList();
        assertThat(handedToPolicy).contains(Long.toString(trap.id())).doesNotContain(Long.toString(domainless.id()));
    }

    @Test
    void hitsWithNoOriginHopOrNoUsableTimeAreListedForReviewAndNeverActedOn() throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO relay.isp.example");
            // Only our own hop, from a trusted client: the trace finds no origin.
            assertThat(c.send("s@forged.example", List.of("noorigin@trap.example.net"), ascii("Subject: no-origin\r\n\r\nhi\r\n"))
                    .code()).isEqualTo(250);
            // Alice's zombie address behind our relay, but the relay wrote no date.
            assertThat(c.send("s@forged.example", List.of("undated@trap.example.net"), ascii(
                    "Received: from zombie ([10.0.9.77]) by relay.isp.example with SMTP\r\nSubject: undated\r\n\r\nhi\r\n")).code())
                    .isEqualTo(250);
        }
        TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
        List<StoredHit> hits = server.data().evidence().hits(0, 1000);
        StoredHit noOrigin = hits.stream().filter(h -> "no-origin".equals(h.subject())).findFirst().orElseThrow();
        StoredHit undated = hits.stream().filter(h -> "undated".equals(h.subject())).findFirst().orElseThrow();
        assertThat(noOrigin.hit().attributionStatus()).isEqualTo("NO_ORIGIN");
        assertThat(undated.hit().attributionStatus()).isEqualTo("UNDATED");

        String pending = t.cli("actions", "--pending").out();
        assertThat(pending.lines().filter(l -> l.startsWith("hit " + noOrigin.id() + " ")))
                .singleElement().asString().contains("NO_ORIGIN", "no origin hop");
        assertThat(pending.lines().filter(l -> l.startsWith("hit " + undated.id() + " ")))
                .singleElement().asString().contains("UNDATED", "10.0.9.77", "no usable time");
        List<String> cited = server.data().enforcement().enforcer().journal().list(false).stream()
                .flatMap(a -> a.hitIds().stream()).toList();
        assertThat(cited).as("no action, not even one for review").doesNotContain(Long.toString(noOrigin.id()), Long.toString(undated.id()));
    }

    /** The first header of the stored message with that subject, up to the next header. */
    private static String ourHeader(String subject) throws Exception {
        TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
        EvidenceStore store = server.data().evidence();
        StoredHit hit = store.hits(0, 1000).stream().filter(h -> subject.equals(h.subject())).findFirst().orElseThrow();
        String raw = new String(store.raw(hit.id()).orElseThrow(), StandardCharsets.ISO_8859_1);
        Matcher firstHeader = Pattern.compile("(?s)^Received:.*?\n(?=\\S)").matcher(raw);
        assertThat(firstHeader.find()).as(raw).isTrue();
        return firstHeader.group();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aHostnameThatIsNoHostNameIsRefusedAtStart() {
        Properties p = t.instance().settings();
        p.setProperty("smtp.hostname", "mx 1.example");
        assertThatThrownBy(() -> ServerSettings.from(p, t.conf)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("smtp.hostname");
    }
}
