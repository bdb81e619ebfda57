package org.trapline.mailets.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.trapline.origin.Networks;
import org.trapline.origin.OriginTracer;
import org.trapline.origin.TrustPolicy;

/** The mailet records the origin hop the library finds, from the real corpus. */
class TraceOriginTest {
    static final Path RELAY_US = Path.of(System.getProperty("trapline.repo", "..")).resolveSibling("shared")
            .resolve("testdata/messages/spamassassin-t-data/spam/relayUS.eml");

    static Mail mailFrom(String remoteAddr) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(Files.readAllBytes(RELAY_US)));
        return FakeMail.builder().name("hit").mimeMessage(m).remoteAddr(remoteAddr).recipient("test@trap.example.net").build();
    }

    static Optional<String> attr(Mail mail, String name) {
        return AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(name), String.class);
    }

    @Test
    void untrustedClientOfOurMxIsTheOrigin() throws Exception {
        TraceOrigin mailet = new TraceOrigin(new OriginTracer(TrustPolicy.loopbackOnly()));
        mailet.init(FakeMailetConfig.builder().mailetName("TraceOrigin").build());
        Mail mail = mailFrom("203.0.113.9");
        mailet.service(mail);
        assertThat(attr(mail, TraceOrigin.ORIGIN_IP)).contains("203.0.113.9");
        assertThat(attr(mail, TraceOrigin.TRACE).orElseThrow()).contains("\"origin\"").contains("203.0.113.9");
    }

    @Test
    void behindATrustedRelayTheOriginIsTheRelaysClientWithTheRelaysTime() throws Exception {
        // 192.0.2.25 plays our own relay (in.example.com) that handed the spam to the trap MX.
        TrustPolicy trust = TrustPolicy.loopbackOnly().withTrusted(Networks.parse("192.0.2.0/24"));
        TraceOrigin mailet = new TraceOrigin(new OriginTracer(trust));
        mailet.init(FakeMailetConfig.builder().mailetName("TraceOrigin").build());
        Mail mail = mailFrom("192.0.2.25");
        mailet.service(mail);
        assertThat(attr(mail, TraceOrigin.ORIGIN_IP)).contains("8.8.8.8");
        assertThat(attr(mail, TraceOrigin.ORIGIN_TIME)).contains("2018-07-18T21:12:22+02:00");
        assertThat(attr(mail, TraceOrigin.ORIGIN_HELO)).contains("google-public-dns-a.google.com");
    }
}
