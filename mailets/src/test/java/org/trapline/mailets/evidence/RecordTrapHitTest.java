package org.trapline.mailets.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.session.Session;
import org.trapline.evidence.TrapHit;
import org.trapline.mailets.trapcase.TrapCase;
import org.trapline.origin.OriginHop;
import org.trapline.origin.Trace;

/** The evidence row carries every field of the trap case the mailets before it filled. */
class RecordTrapHitTest {
    static final OffsetDateTime HANDOFF = OffsetDateTime.parse("2026-11-25T11:15:29+01:00");

    static TrapCase matched() {
        Session s = new Session(7, "u-7", "S-77", "alice@isp.example", "192.0.2.1", "10.0.9.77", null, null, null,
                Instant.parse("2026-11-25T09:00:00Z"), null, null, null, null, null, true, false);
        return TrapCase.opened("k".repeat(64), Instant.parse("2026-11-25T10:15:30Z"), 41, "spam@forged.example",
                        List.of("trap1@trap.example.net"), false, "127.0.0.1", "relay.isp.example")
                .withTrace(new Trace(Optional.of(new OriginHop("10.0.9.77", "", "WIN-ZOMBIE", "relay.isp.example", HANDOFF)),
                        List.of(), List.of(), List.of(), 0))
                .withAttribution(Attribution.matched("10.0.9.77", HANDOFF.toInstant(), s));
    }

    @Test
    void theRowHasTheIntakeTheClientTheOriginAndTheAttributionOfTheCase() {
        TrapHit hit = RecordTrapHit.hit(matched());
        assertThat(hit.intakeKey()).isEqualTo("k".repeat(64));
        assertThat(hit.receivedAt()).isEqualTo(Instant.parse("2026-11-25T10:15:30Z"));
        assertThat(hit.envelopeSender()).isEqualTo("spam@forged.example");
        assertThat(hit.trapRecipients()).containsExactly("trap1@trap.example.net");
        assertThat(hit.helo()).isEqualTo("relay.isp.example");
        assertThat(hit.clientIp()).isEqualTo("127.0.0.1");
        assertThat(hit.originIp()).isEqualTo("10.0.9.77");
        assertThat(hit.originTime()).isEqualTo(Instant.parse("2026-11-25T10:15:29Z"));
        assertThat(hit.originHelo()).isEqualTo("WIN-ZOMBIE");
        assertThat(hit.attributionStatus()).isEqualTo("MATCHED");
        assertThat(hit.subscriber()).isEqualTo("alice@isp.example");
        assertThat(hit.sessionId()).isEqualTo("S-77");
        assertThat(hit.nasIp()).isEqualTo("192.0.2.1");
        assertThat(hit.traceJson()).contains("\"origin\"").contains("10.0.9.77");
        assertThat(hit.id()).isEqualTo(41);
    }

    @Test
    void anUntracedCaseLeavesTheOriginAndAttributionEmpty() {
        TrapHit hit = RecordTrapHit.hit(TrapCase.opened("k".repeat(64), Instant.EPOCH, 0, "", List.of("t@trap.example.net"),
                false, "192.0.2.9", ""));
        assertThat(hit.originIp()).isNull();
        assertThat(hit.originTime()).isNull();
        assertThat(hit.attributionStatus()).isNull();
        assertThat(hit.traceJson()).isNull();
        assertThat(hit.id()).isZero();
    }
}
