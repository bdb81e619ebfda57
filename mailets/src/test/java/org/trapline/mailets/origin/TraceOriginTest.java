package org.trapline.mailets.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.trapline.mailets.trapcase.CaseAttribute;
import org.trapline.mailets.trapcase.TrapCase;
import org.trapline.origin.Networks;
import org.trapline.origin.OriginTracer;
import org.trapline.origin.TrustPolicy;
import org.trapline.origin.json.OriginJson;

/** The mailet adds the origin hop the library finds to the trap case, from the real corpus. */
class TraceOriginTest {
    static final Path RELAY_US = Path.of(System.getProperty("trapline.repo", "..")).resolveSibling("shared")
            .resolve("testdata/messages/spamassassin-t-data/spam/relayUS.eml");

    static final CaseAttribute CASE = new CaseAttribute(AttributeName.of(CaseAttribute.DEFAULT));

    /** The relayUS spam as our MX took it from {@code remoteAddr}, its trap case opened. */
    static Mail mailFrom(String remoteAddr) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(Files.readAllBytes(RELAY_US)));
        Mail mail = FakeMail.builder().name("hit").mimeMessage(m).remoteAddr(remoteAddr).recipient("test@trap.example.net").build();
        CASE.write(mail, TrapCase.opened("k".repeat(64), Instant.parse("2026-11-25T10:15:30Z"), 0, "", List.of("test@trap.example.net"),
                false, remoteAddr, ""));
        return mail;
    }

    static TrapCase caseOf(Mail mail) throws Exception {
        return CASE.read(mail);
    }

    @Test
    void untrustedClientOfOurMxIsTheOrigin() throws Exception {
        TraceOrigin mailet = new TraceOrigin(new OriginTracer(TrustPolicy.loopbackOnly()));
        mailet.init(FakeMailetConfig.builder().mailetName("TraceOrigin").build());
        Mail mail = mailFrom("203.0.113.9");
        mailet.service(mail);
        assertThat(caseOf(mail).origin().orElseThrow().ip()).isEqualTo("203.0.113.9");
        assertThat(OriginJson.trace(caseOf(mail).trace())).contains("\"origin\"").contains("203.0.113.9");
    }

    @Test
    void behindATrustedRelayTheOriginIsTheRelaysClientWithTheRelaysTime() throws Exception {
        // 192.0.2.25 plays our own relay (in.example.com) that handed the spam to the trap MX.
        TrustPolicy trust = TrustPolicy.loopbackOnly().withTrusted(Networks.parse("192.0.2.0/24"));
        TraceOrigin mailet = new TraceOrigin(new OriginTracer(trust));
        mailet.init(FakeMailetConfig.builder().mailetName("TraceOrigin").build());
        Mail mail = mailFrom("192.0.2.25");
        mailet.service(mail);
        assertThat(caseOf(mail).origin().orElseThrow().ip()).isEqualTo("8.8.8.8");
        assertThat(caseOf(mail).originTime().map(OffsetDateTime::toString)).contains("2018-07-18T21:12:22+02:00");
        assertThat(caseOf(mail).origin().orElseThrow().helo()).isEqualTo("google-public-dns-a.google.com");
    }
}
