package org.trapline.mailets.trapcase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.lookup.StaticAssignments;
import org.trapline.mailets.attribution.AttributeSubscriber;
import org.trapline.mailets.evidence.RecordTrapHit;
import org.trapline.mailets.origin.TraceOrigin;
import org.trapline.mailets.policy.EnforcePolicy;
import org.trapline.mailets.spool.SpoolHook;
import org.trapline.origin.Networks;
import org.trapline.origin.OriginTracer;
import org.trapline.origin.TrustPolicy;

/**
 * The trap case goes from mailet to mailet under the attribute their XML names, is opened once from the
 * intake record, and a mail without a readable case fails the way each mailet documents: to the error
 * processor (and so to quarantine) before the evidence is stored, logged and passed on after.
 */
class TrapCasePipelineTest {
    static final Path RELAY_US = Path.of(System.getProperty("trapline.repo", "..")).resolveSibling("shared")
            .resolve("testdata/messages/spamassassin-t-data/spam/relayUS.eml");
    static final String KEY = "0123456789abcdef".repeat(4);

    /** relayUS.eml from our relay 192.0.2.25, with what the intake puts on a mail. */
    static Mail intake() throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(Files.readAllBytes(RELAY_US)));
        return FakeMail.builder().name("hit").mimeMessage(m).remoteAddr("192.0.2.25").sender("spam@forged.example")
                .recipient("trap1@trap.example.net")
                .attribute(new Attribute(AttributeName.of(SpoolHook.INTAKE_KEY), AttributeValue.of(KEY)))
                .attribute(new Attribute(AttributeName.of(SpoolHook.RECEIVED_AT), AttributeValue.of("2026-11-25T10:15:30.5Z")))
                .attribute(new Attribute(AttributeName.of(SpoolHook.RESERVED_HIT_ID), AttributeValue.of("41")))
                .attribute(new Attribute(Mail.SMTP_HELO, AttributeValue.of("in.example.com")))
                .build();
    }

    static <M extends GenericMailet> M init(M mailet, String caseAttribute) throws MessagingException {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName(mailet.getClass().getSimpleName());
        if (caseAttribute != null) {
            config.setProperty(CaseAttribute.PARAMETER, caseAttribute);
        }
        mailet.init(config.build());
        return mailet;
    }

    static TraceOrigin traceOrigin(String caseAttribute) throws MessagingException {
        return init(new TraceOrigin(new OriginTracer(TrustPolicy.loopbackOnly().withTrusted(Networks.parse("192.0.2.0/24")))), caseAttribute);
    }

    /** Subscribers in 10/8 only: the relayUS origin (8.8.8.8) is NOT_OURS, answered without the session store. */
    static AttributeSubscriber attributeSubscriber(String caseAttribute) throws MessagingException {
        Properties p = new Properties();
        p.setProperty(LookupSettings.SUBSCRIBER_NETWORKS, "10.0.0.0/8");
        return init(new AttributeSubscriber(new AttributionLookup(null, LookupSettings.from(p), StaticAssignments.none())), caseAttribute);
    }

    static TrapCase caseOf(Mail mail, String name) throws MessagingException {
        return new CaseAttribute(AttributeName.of(name)).read(mail);
    }

    @Test
    void theCaseIsOpenedFromTheIntakeRecordWithItsTimeParsedOnce() throws Exception {
        Mail mail = intake();
        init(new OpenTrapCase(), null).service(mail);
        TrapCase c = caseOf(mail, CaseAttribute.DEFAULT);
        assertThat(c.intakeKey()).isEqualTo(KEY);
        assertThat(c.receivedAt()).isEqualTo(Instant.parse("2026-11-25T10:15:30.5Z"));
        assertThat(c.reservedHitId()).isEqualTo(41);
        assertThat(c.sender()).isEqualTo("spam@forged.example");
        assertThat(c.recipients()).containsExactly("trap1@trap.example.net");
        assertThat(c.clientIp()).isEqualTo("192.0.2.25");
        assertThat(c.clientHelo()).isEqualTo("in.example.com");
        assertThat(c.toPostmasterOnly()).isFalse();
        assertThat(c.trace()).isNull();
        assertThat(c.attributionStatus()).isNull();
        assertThat(c.hitId()).isZero();
    }

    @Test
    void eachMailetReadsAndWritesTheAttributeItsConfigurationNames() throws Exception {
        Mail mail = intake();
        init(new OpenTrapCase(), "desk.renamed-case").service(mail);
        traceOrigin("desk.renamed-case").service(mail);
        attributeSubscriber("desk.renamed-case").service(mail);

        TrapCase c = caseOf(mail, "desk.renamed-case");
        assertThat(c.intakeKey()).isEqualTo(KEY);
        assertThat(c.origin().orElseThrow().ip()).isEqualTo("8.8.8.8");
        assertThat(c.originTime().orElseThrow().toString()).isEqualTo("2018-07-18T21:12:22+02:00");
        assertThat(c.attributionStatus()).isEqualTo("NOT_OURS");
        assertThat(c.attribution().address()).isEqualTo("8.8.8.8");
        assertThat(mail.getAttribute(AttributeName.of(CaseAttribute.DEFAULT))).as("nothing under the default name").isEmpty();
    }

    @Test
    void withoutAnOriginHopTheCaseSaysNoOriginAndNobodyIsLookedUp() throws Exception {
        Mail mail = FakeMail.builder().name("local").mimeMessage(new MimeMessage(Session.getInstance(new Properties()),
                        new ByteArrayInputStream("Subject: from inside\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII))))
                .remoteAddr("127.0.0.1").recipient("trap1@trap.example.net")
                .attribute(new Attribute(AttributeName.of(SpoolHook.INTAKE_KEY), AttributeValue.of(KEY)))
                .attribute(new Attribute(AttributeName.of(SpoolHook.RECEIVED_AT), AttributeValue.of("2026-11-25T10:15:30Z")))
                .build();
        init(new OpenTrapCase(), null).service(mail);
        traceOrigin(null).service(mail);
        attributeSubscriber(null).service(mail);
        TrapCase c = caseOf(mail, CaseAttribute.DEFAULT);
        assertThat(c.origin()).isEmpty();
        assertThat(c.attributionStatus()).isEqualTo(TrapCase.NO_ORIGIN);
        assertThat(c.attribution()).isNull();
    }

    @Test
    void aMailetBeforeTheEvidenceFailsTheMailWhenTheCaseIsMissing() throws Exception {
        for (GenericMailet mailet : List.of(traceOrigin(null), attributeSubscriber(null), init(new RecordTrapHit(null, null), null))) {
            Mail mail = intake();
            assertThatThrownBy(() -> mailet.service(mail)).as(mailet.getMailetName())
                    .isInstanceOf(MessagingException.class)
                    .hasMessageContaining("has no trap case in attribute trapline.case")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aMailetReadingAnotherNameThanTheOpenerFindsNoCase() throws Exception {
        Mail mail = intake();
        init(new OpenTrapCase(), "desk.renamed-case").service(mail);
        assertThatThrownBy(() -> traceOrigin(null).service(mail)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("trapline.case");
    }

    @Test
    void aWronglyTypedCaseAttributeFailsTheMailNamingTheType() throws Exception {
        for (GenericMailet mailet : List.of(traceOrigin(null), attributeSubscriber(null), init(new RecordTrapHit(null, null), null))) {
            Mail mail = intake();
            mail.setAttribute(new Attribute(AttributeName.of(CaseAttribute.DEFAULT), AttributeValue.of("203.0.113.9")));
            assertThatThrownBy(() -> mailet.service(mail)).as(mailet.getMailetName())
                    .isInstanceOf(MessagingException.class)
                    .hasMessageContaining("attribute trapline.case holds a java.lang.String, not a trap case");
        }
    }

    @Test
    void thePolicyAfterTheEvidenceLogsAMissingOrWronglyTypedCaseAndLetsTheMailGoOn() throws Exception {
        // The hit is stored by then: failing the mail would quarantine stored evidence.
        EnforcePolicy policy = init(new EnforcePolicy(null), null);
        Mail missing = intake();
        assertThatCode(() -> policy.service(missing)).doesNotThrowAnyException();
        Mail wrong = intake();
        wrong.setAttribute(new Attribute(AttributeName.of(CaseAttribute.DEFAULT), AttributeValue.of(42)));
        assertThatCode(() -> policy.service(wrong)).doesNotThrowAnyException();
        assertThat(wrong.getState()).isEqualTo(missing.getState());
    }

    @Test
    void anUnreadableIntakeRecordFailsTheMailAtTheOpener() throws Exception {
        Mail badTime = intake();
        badTime.setAttribute(new Attribute(AttributeName.of(SpoolHook.RECEIVED_AT), AttributeValue.of("yesterday")));
        assertThatThrownBy(() -> init(new OpenTrapCase(), null).service(badTime)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("unreadable intake record");
        Mail badId = intake();
        badId.setAttribute(new Attribute(AttributeName.of(SpoolHook.RESERVED_HIT_ID), AttributeValue.of("#41")));
        assertThatThrownBy(() -> init(new OpenTrapCase(), null).service(badId)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("unreadable intake record");
        Mail noKey = intake();
        noKey.removeAttribute(AttributeName.of(SpoolHook.INTAKE_KEY));
        assertThatThrownBy(() -> init(new OpenTrapCase(), null).service(noKey)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("has no intake key");
        assertThat(noKey.getAttribute(AttributeName.of(CaseAttribute.DEFAULT))).isEmpty();
    }

    @Test
    void onlyNoOriginAndUndatedStandInForALookup() {
        TrapCase c = TrapCase.opened(KEY, Instant.EPOCH, 0, "", List.of("t@trap.example.net"), false, "192.0.2.1", "");
        assertThat(c.withoutAttribution(TrapCase.UNDATED).attributionStatus()).isEqualTo("UNDATED");
        assertThatThrownBy(() -> c.withoutAttribution("MATCHED")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrapCase(KEY, Instant.EPOCH, 0, "", List.of(), false, "192.0.2.1", "", null, "MATCHED", null, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
