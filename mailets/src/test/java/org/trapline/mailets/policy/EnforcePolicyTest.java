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

import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.session.Session;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.HitAttribution;
import org.trapline.enforcement.PolicyDatabase;
import org.trapline.enforcement.PolicySettings;
import org.trapline.enforcement.StrikeHit;
import org.trapline.enforcement.UnattributedHit;
import org.trapline.enforcement.coa.CoaResult;
import org.trapline.enforcement.coa.NasCommand;
import org.trapline.mailets.trapcase.CaseAttribute;
import org.trapline.mailets.trapcase.TrapCase;
import org.trapline.origin.OriginHop;
import org.trapline.origin.Trace;

/**
 * What reaches the strike policy from the pipeline's trap case: a hit without an origin hop or without a
 * usable time is listed for staff with its reason, and nothing is sent to any NAS for it, however many
 * come; an attributed one carries its stored id, origin and session; nothing goes before it is stored.
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

    /** The case of hit {@code id}, accepted {@code id} seconds after ACCEPTED, traced to {@code origin} (null: none). */
    static TrapCase traced(long id, OriginHop origin) {
        return TrapCase.opened("k".repeat(60) + String.format("%04d", id), ACCEPTED.plusSeconds(id), id, "",
                        List.of("trap@trap.example.net"), false, "127.0.0.1", "")
                .withTrace(new Trace(Optional.ofNullable(origin), List.of(), List.of(), List.of(), 0));
    }

    static OriginHop from(String ip, Instant at) {
        return new OriginHop(ip, "", "", "relay.isp.example", at == null ? null : at.atOffset(ZoneOffset.UTC));
    }

    static Attribution matchedAlice(Instant at) {
        Session s = new Session(1, "u-1", "alice-s1", "alice", "10.255.0.1", "10.0.9.77", null, null, null,
                ACCEPTED.minusSeconds(3600), null, null, null, null, null, true, false);
        return Attribution.matched("10.0.9.77", at, s);
    }

    static Mail mailWith(TrapCase c) throws Exception {
        Mail mail = FakeMail.builder().name("hit-" + c.hitId()).recipient("trap@trap.example.net").build();
        new CaseAttribute(AttributeName.of(CaseAttribute.DEFAULT)).write(mail, c);
        return mail;
    }

    @Test
    void hitsWithNoOriginOrNoTimeAreListedWithTheirReasonAndNothingIsSent() throws Exception {
        for (long id = 1; id <= 3; id++) {
            mailet.service(mailWith(traced(id, null).withoutAttribution(TrapCase.NO_ORIGIN).withHitId(id)));
        }
        for (long id = 4; id <= 6; id++) {
            mailet.service(mailWith(traced(id, from("10.0.9.77", null)).withoutAttribution(TrapCase.UNDATED).withHitId(id)));
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
            mailet.service(mailWith(traced(id, from("10.0.9.77", ACCEPTED)).withAttribution(matchedAlice(ACCEPTED)).withHitId(id)));
        }
        assertThat(sent).as("the fence").isNotEmpty();
        assertThat(enforcer.faultyHits(100)).isEmpty();
    }

    @Test
    void aMatchedStoredHitNamesTheSubscriberAndTheSessionToAddress() {
        StrikeHit hit = EnforcePolicy.strikeHit(traced(41, from("10.0.9.77", ACCEPTED)).withAttribution(matchedAlice(ACCEPTED))
                .withHitId(41)).orElseThrow();
        assertThat(hit.hitId()).isEqualTo("41");
        assertThat(hit.at()).isEqualTo(ACCEPTED);
        assertThat(hit.originIp()).isEqualTo("10.0.9.77");
        assertThat(hit.attribution()).isEqualTo(HitAttribution.MATCHED);
        assertThat(hit.subscriber()).isEqualTo("alice");
        assertThat(hit.session().describe()).contains("10.255.0.1").contains("alice-s1").contains("alice");
    }

    @Test
    void anUnattributedStoredHitIsHandedOverUnattributed() {
        StrikeHit hit = EnforcePolicy.strikeHit(traced(41, from("10.0.9.77", ACCEPTED))
                .withAttribution(Attribution.notOurs("10.0.9.77", ACCEPTED)).withHitId(41)).orElseThrow();
        assertThat(hit.attribution()).isEqualTo(HitAttribution.NOT_OURS);
        assertThat(hit.subscriber()).isNull();
    }

    @Test
    void nothingIsHandedOverBeforeTheHitIsStored() {
        assertThat(EnforcePolicy.strikeHit(traced(41, from("10.0.9.77", ACCEPTED))
                .withAttribution(Attribution.notOurs("10.0.9.77", ACCEPTED)))).isEmpty();
        assertThat(EnforcePolicy.strikeHit(traced(41, null).withoutAttribution(TrapCase.NO_ORIGIN))).isEmpty();
    }
}
