package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.evidence.StoredHit;
import org.trapline.mailets.spool.Spool;

/**
 * The trap case travels under the attribute name mailetcontainer.xml gives the trap mailets: renamed
 * there, a hit still goes from intake through trace, attribution and evidence to the strike policy; a
 * mailet that names another attribute than the one the case was opened under fails the hit into the
 * quarantine, and the server goes on.
 */
class TrapCaseThroughSmtpTest {
    static final String SHIPPED = "<caseAttribute>trapline.case</caseAttribute>";

    @TempDir
    Path tmp;

    @Test
    void aRenamedCaseAttributeStillFlowsFromIntakeToThePolicy() throws Exception {
        TestInstance t = instance();
        String xml = Files.readString(t.conf.resolve("mailetcontainer.xml"));
        assertThat(xml).contains(SHIPPED);
        // A String decoy under the shipped name: a mailet that ignored its XML would find it and fail the hit.
        String opener = "class=\"org.trapline.mailets.trapcase.OpenTrapCase\">\n        " + SHIPPED + "\n      </mailet>";
        assertThat(xml).contains(opener);
        xml = xml.replace(opener, opener + "\n      <mailet match=\"All\" class=\"SetMailAttribute\"><trapline.case>decoy</trapline.case></mailet>")
                .replace(SHIPPED, "<caseAttribute>desk.renamed-case</caseAttribute>");
        Files.writeString(t.conf.resolve("mailetcontainer.xml"), xml);

        int port = TestInstance.freePort();
        try (TraplineServer server = t.start(port)) {
            spam(port, 2);
            TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
            String actions = "";
            for (int i = 0; i < 100 && !actions.contains("ACL"); i++) {
                Thread.sleep(100);
                actions = t.cli("actions", "--subscriber", "shop@isp.example").out();
            }
            assertThat(actions).as("the second hit earned a strike: the policy read the renamed case").contains("ACL");
        }
        assertThat(Spool.countQuarantined(t.data.resolve("spool"))).as("nothing quarantined").isZero();
        List<StoredHit> hits = CrashRecoveryTest.storedHits(t.data);
        assertThat(hits).hasSize(2);
        for (StoredHit h : hits) {
            assertThat(h.hit().clientIp()).isEqualTo("127.0.0.1");
            assertThat(h.hit().helo()).isEqualTo("relay.isp.example");
            assertThat(h.hit().originIp()).isEqualTo("10.0.9.77");
            assertThat(h.hit().originTime()).isNotNull();
            assertThat(h.hit().attributionStatus()).isEqualTo("STATIC");
            assertThat(h.hit().subscriber()).isEqualTo("shop@isp.example");
            assertThat(h.hit().traceJson()).contains("10.0.9.77");
        }
    }

    @Test
    void aMailetNamingAnotherAttributeThanTheOpenerQuarantinesTheHit() throws Exception {
        TestInstance t = instance();
        String xml = Files.readString(t.conf.resolve("mailetcontainer.xml"));
        String tracer = "class=\"org.trapline.mailets.origin.TraceOrigin\">\n        " + SHIPPED;
        assertThat(xml).contains(tracer);
        Files.writeString(t.conf.resolve("mailetcontainer.xml"),
                xml.replace(tracer, tracer.replace(SHIPPED, "<caseAttribute>desk.other-case</caseAttribute>")));

        int port = TestInstance.freePort();
        try (TraplineServer server = t.start(port)) {
            spam(port, 1);
            TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
            assertThat(Spool.countQuarantined(t.data.resolve("spool"))).as("the hit is kept in quarantine").isEqualTo(1);
            spam(port, 1);
            TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
            assertThat(Spool.countQuarantined(t.data.resolve("spool"))).as("and the next one too: the server goes on").isEqualTo(2);
        }
        assertThat(CrashRecoveryTest.storedHits(t.data)).isEmpty();
    }

    /** A static customer 10.0.9.0/24 behind our relay; one hit over the limit is a strike. */
    TestInstance instance() throws Exception {
        TestInstance t = new TestInstance(tmp);
        Path statics = tmp.resolve("static-assignments.txt");
        Files.writeString(statics, "10.0.9.0/24 shop@isp.example\n");
        return t.set("attribution.subscriber-networks", "10.0.0.0/8").set("attribution.static-assignments", statics.toString())
                .set("strike.max-hits", "1").set("action.notice.mode", "dry-run");
    }

    static void spam(int port, int n) throws Exception {
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO relay.isp.example");
            for (int i = 0; i < n; i++) {
                // From loopback, i.e. our own trusted relay: the header it wrote is believed.
                assertThat(c.send("x@forged.example", List.of("trap" + i + "@trap.example.net"), (
                        "Received: from SHOP-PC ([10.0.9.77]) by relay.isp.example with SMTP; " + now + "\r\n"
                        + "Subject: pills " + i + "\r\nMessage-ID: <case-" + i + "-" + System.nanoTime() + "@shop>\r\n\r\ncheap pills\r\n")
                        .getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(250);
            }
        }
    }
}
