package org.trapline.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.HitAttribution;
import org.trapline.enforcement.PolicyDatabase;
import org.trapline.enforcement.PolicySettings;
import org.trapline.enforcement.UnattributedHit;
import org.trapline.enforcement.coa.CoaResult;
import org.trapline.enforcement.coa.NasCommand;
import org.trapline.mailets.MailAttributes;
import org.trapline.mailets.attribution.AttributeSubscriber;
import org.trapline.mailets.evidence.RecordTrapHit;
import org.trapline.mailets.origin.TraceOrigin;
import org.trapline.mailets.spool.SpoolHook;

/**
 * What reaches the strike policy from the pipeline: a hit without an origin hop or without a usable time
 * is listed for staff with its reason, and nothing is sent to any NAS for it, however many come.
 */
class EnforcePolicyTest {
    static final Instant ACCEPTED = Instant.parse("2026-03-03T03:00:00Z");

    @TempDir
    Path data;
    final List<NasCommand> sent = new ArrayList<>();
    final List<String> mailed = new ArrayList<>();
    PolicyDatabase database;
    Enforcer enforcer;
    EnforcePolicy mailet;

    @BeforeEach
    void open() throws Exception {
        Properties p = new Properties();
        // One hit over the limit fences: what an attributed hit would do at once.
        p.setProperty("strike.max-hits", "1");
        database = PolicyDatabase.open(data);
        enforcer = new Enforcer(PolicySettings.from(p), database.jdbi(), c -> {
            sent.add(c);
            Instant t = Instant.EPOCH;
            return new CoaResult(CoaResult.Outcome.ACK, null, 1, "fake:3799", c.toString(), "CoA-ACK", "", t, t);
        }, n -> {
            mailed.add(n.subscriber());
            return "mailed";
        }, s -> Optional.empty(), Clock.fixed(ACCEPTED.plusSeconds(60), ZoneOffset.UTC));
        mailet = new EnforcePolicy(enforcer);
        mailet.init(FakeMailetConfig.builder().mailetName("EnforcePolicy").build());
    }

    @AfterEach
    void close() {
        database.close();
    }

    Mail hit(long id, String status) throws Exception {
        Mail mail = FakeMail.builder().name("hit-" + id).recipient("trap@trap.example.net").build();
        MailAttributes.set(mail, SpoolHook.RECEIVED_AT, ACCEPTED.plusSeconds(id).toString());
        MailAttributes.set(mail, RecordTrapHit.HIT_ID, Long.toString(id));
        MailAttributes.set(mail, AttributeSubscriber.STATUS, status);
        return mail;
    }

    @Test
    void hitsWithNoOriginOrNoTimeAreListedWithTheirReasonAndNothingIsSent() throws Exception {
        for (long id = 1; id <= 3; id++) {
            mailet.service(hit(id, AttributeSubscriber.NO_ORIGIN));
        }
        for (long id = 4; id <= 6; id++) {
            Mail undated = hit(id, AttributeSubscriber.UNDATED);
            MailAttributes.set(undated, TraceOrigin.ORIGIN_IP, "10.0.9.77");
            mailet.service(undated);
        }

        assertThat(sent).as("no CoA or Disconnect").isEmpty();
        assertThat(mailed).as("no notice").isEmpty();
        assertThat(enforcer.journal().list(false)).as("no action, not even one for review").isEmpty();
        List<UnattributedHit> listed = enforcer.faultyHits(100);
        assertThat(listed).extracting(UnattributedHit::hitId).containsExactly("6", "5", "4", "3", "2", "1");
        assertThat(listed.get(0)).satisfies(u -> {
            assertThat(u.attribution()).isEqualTo(HitAttribution.UNDATED);
            assertThat(u.originIp()).isEqualTo("10.0.9.77");
            assertThat(u.at()).as("listed when our MX accepted it").isEqualTo(ACCEPTED.plusSeconds(6));
            assertThat(u.reason()).contains("no usable time");
        });
        assertThat(listed.get(5)).satisfies(u -> {
            assertThat(u.attribution()).isEqualTo(HitAttribution.NO_ORIGIN);
            assertThat(u.originIp()).isNull();
            assertThat(u.reason()).startsWith("no origin hop");
        });
    }

    @Test
    void theSameHitsAttributedAreActedOn() throws Exception {
        for (long id = 1; id <= 2; id++) {
            Mail matched = hit(id, "MATCHED");
            MailAttributes.set(matched, TraceOrigin.ORIGIN_IP, "10.0.9.77");
            MailAttributes.set(matched, TraceOrigin.ORIGIN_TIME, ACCEPTED.atOffset(ZoneOffset.UTC).toString());
            MailAttributes.set(matched, AttributeSubscriber.SUBSCRIBER, "alice");
            MailAttributes.set(matched, AttributeSubscriber.SESSION, "alice-s1");
            MailAttributes.set(matched, AttributeSubscriber.NAS, "10.255.0.1");
            mailet.service(matched);
        }
        assertThat(sent).as("the fence").isNotEmpty();
        assertThat(enforcer.faultyHits(100)).isEmpty();
    }
}
