package org.trapline.origin;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustWalkTest {

    static final String OUR_MX = "from mx.isp.example (mx.isp.example [192.0.2.10]) by trap.isp.example (Postfix) "
            + "with ESMTP id AAA1; Tue, 05 Sep 2023 10:00:05 +0200";

    static MessageHeaders headers(String... received) {
        List<MessageHeaders.Field> f = new ArrayList<>();
        for (String r : received) {
            f.add(new MessageHeaders.Field("Received", r));
        }
        return MessageHeaders.of(f);
    }

    static MessageHeaders withExtra(MessageHeaders h, String name, String value) {
        List<MessageHeaders.Field> f = new ArrayList<>(h.fields());
        f.add(new MessageHeaders.Field(name, value));
        return MessageHeaders.of(f);
    }

    static TrustPolicy trusting(String trusted) {
        return TrustPolicy.loopbackOnly().withTrusted(Networks.parse(trusted));
    }

    @Test
    void directConnectionFromUntrustedClientIsTheOriginWhateverTheHeadersSay() {
        OffsetDateTime now = OffsetDateTime.parse("2023-09-05T10:00:00+02:00");
        Trace t = new OriginTracer(trusting("192.0.2.0/24")).trace(
                headers("from trusted.example ([192.0.2.99]) by mx.isp.example; Tue, 05 Sep 2023 09:00:00 +0200"),
                new ClientConnection("203.0.113.7", "zombie.example", "trap.isp.example", now));
        assertThat(t.origin()).isPresent();
        assertThat(t.origin().get().ip()).isEqualTo("203.0.113.7");
        assertThat(t.origin().get().helo()).isEqualTo("zombie.example");
        assertThat(t.origin().get().time()).isEqualTo(now);
        assertThat(t.trusted()).isEmpty();
        // the forged header naming a trusted host stays a claim
        assertThat(t.untrusted()).extracting(Relay::ip).containsExactly("203.0.113.7", "192.0.2.99");
    }

    @Test
    void trustedRelayHandsOverAndTheHopItRecordedIsTheOrigin() {
        Trace t = new OriginTracer(trusting("192.0.2.0/24")).trace(
                headers(OUR_MX,
                        "from dsl-77.pool.isp.example (dsl-77.pool.isp.example [10.0.9.77]) by mx.isp.example "
                                + "(Postfix) with ESMTP id BBB2; Tue, 05 Sep 2023 10:00:01 +0200",
                        "from forged.example ([198.51.100.1]) by dsl-77; Mon, 04 Sep 2023 00:00:00 +0000"),
                null);
        assertThat(t.trusted()).extracting(Relay::ip).containsExactly("192.0.2.10");
        assertThat(t.untrusted()).extracting(Relay::ip).containsExactly("10.0.9.77", "198.51.100.1");
        OriginHop o = t.origin().orElseThrow();
        assertThat(o.ip()).isEqualTo("10.0.9.77");
        assertThat(o.by()).isEqualTo("mx.isp.example");
        assertThat(o.rdns()).isEqualTo("dsl-77.pool.isp.example");
        assertThat(o.time()).isEqualTo(OffsetDateTime.parse("2023-09-05T10:00:01+02:00"));
    }

    @Test
    void connectionOwnHeaderIsNotASecondHopAndGivesTheTimeWhenTheConnectionHasNone() {
        Trace t = new OriginTracer(TrustPolicy.loopbackOnly()).trace(
                headers("from zombie ([203.0.113.7]) by trap.isp.example (JAMES SMTP Server) with ESMTP ID 1; "
                        + "Tue, 5 Sep 2023 10:00:00 +0200 (CEST)"),
                ClientConnection.of("::ffff:203.0.113.7", "zombie"));
        assertThat(t.untrusted()).hasSize(1);
        OriginHop o = t.origin().orElseThrow();
        assertThat(o.ip()).isEqualTo("203.0.113.7");
        assertThat(o.by()).isEqualTo("trap.isp.example");
        assertThat(o.time()).isEqualTo(OffsetDateTime.parse("2023-09-05T10:00:00+02:00"));
    }

    @Test
    void loopbackIsAlwaysTrusted() {
        Trace t = new OriginTracer(TrustPolicy.loopbackOnly()).trace(
                headers("from localhost (localhost [127.0.0.1]) by mx (Postfix) with ESMTP id 1; Tue, 5 Sep 2023 10:00:02 +0200",
                        "from ::1 (localhost [IPv6:::1]) by mx (Postfix) with ESMTP id 2; Tue, 5 Sep 2023 10:00:01 +0200",
                        "from client.example (client.example [198.51.100.20]) by mx (Postfix) with ESMTP id 3; "
                                + "Tue, 5 Sep 2023 10:00:00 +0200"),
                ClientConnection.of("127.0.0.1", "localhost"));
        assertThat(t.trusted()).extracting(Relay::ip).containsExactly("127.0.0.1", "::1");
        assertThat(t.origin().orElseThrow().ip()).isEqualTo("198.51.100.20");
    }

    @Test
    void authenticatedSubmissionIsTheOriginAndHeadersBelowItAreClaims() {
        Trace t = new OriginTracer(trusting("192.0.2.0/24")).trace(
                headers(OUR_MX,
                        "from laptop ([10.0.9.77]) by mx.isp.example (Postfix) with ESMTPSA id CCC3; "
                                + "Tue, 05 Sep 2023 10:00:01 +0200",
                        "from somewhere ([198.51.100.66]) by laptop with SMTP; Tue, 05 Sep 2023 09:59:59 +0200"),
                null);
        assertThat(t.trusted()).extracting(Relay::ip).containsExactly("192.0.2.10", "10.0.9.77");
        assertThat(t.untrusted()).extracting(Relay::ip).containsExactly("198.51.100.66");
        assertThat(t.origin().orElseThrow().ip()).isEqualTo("10.0.9.77");
    }

    @Test
    void aHopReceivedByAnMsaIsAuthenticatedSubmission() {
        TrustPolicy policy = TrustPolicy.loopbackOnly().withMsa(Networks.parse("192.0.2.10"));
        Trace t = new OriginTracer(policy).trace(
                headers(OUR_MX,
                        "from laptop (dsl [10.0.9.77]) by mx.isp.example (Postfix) with ESMTP id DDD4; "
                                + "Tue, 05 Sep 2023 10:00:01 +0200"),
                null);
        assertThat(t.trusted()).extracting(Relay::ip).containsExactly("192.0.2.10", "10.0.9.77");
        assertThat(t.untrusted()).isEmpty();
        assertThat(t.origin().orElseThrow().ip()).isEqualTo("10.0.9.77");
    }

    @Test
    void internalNetworksAreTrustedAndServeAsTrustedWhenTrustedIsEmpty() {
        TrustPolicy policy = TrustPolicy.loopbackOnly().withInternal(Networks.parse("192.0.2.0/24"));
        Trace t = new OriginTracer(policy).trace(headers(OUR_MX,
                "from x (x [198.51.100.5]) by mx.isp.example; Tue, 05 Sep 2023 10:00:01 +0200"), null);
        assertThat(t.trusted()).extracting(Relay::ip).containsExactly("192.0.2.10");
        assertThat(t.internal()).extracting(Relay::ip).containsExactly("192.0.2.10");
        assertThat(t.origin().orElseThrow().ip()).isEqualTo("198.51.100.5");
    }

    @Test
    void trustedButNotInternalRelaysAreNotInternal() {
        TrustPolicy policy = TrustPolicy.loopbackOnly().withTrusted(Networks.parse("192.0.2.0/24, 198.51.100.0/24"))
                .withInternal(Networks.parse("192.0.2.0/24"));
        Trace t = new OriginTracer(policy).trace(headers(OUR_MX,
                "from backup-mx (backup-mx [198.51.100.5]) by mx.isp.example; Tue, 05 Sep 2023 10:00:01 +0200",
                "from x (x [203.0.113.9]) by backup-mx; Tue, 05 Sep 2023 10:00:00 +0200"), null);
        assertThat(t.trusted()).extracting(Relay::ip).containsExactly("192.0.2.10", "198.51.100.5");
        assertThat(t.internal()).extracting(Relay::ip).containsExactly("192.0.2.10");
        assertThat(t.origin().orElseThrow().ip()).isEqualTo("203.0.113.9");
    }

    @Test
    void everythingTrustedMeansNoOrigin() {
        Trace t = new OriginTracer(trusting("192.0.2.0/24")).trace(headers(OUR_MX), null);
        assertThat(t.origin()).isEmpty();
        assertThat(t.trusted()).hasSize(1);
    }

    @Test
    void ipLookingHeloNeverBecomesTheClientAddress() {
        Trace t = new OriginTracer(trusting("192.0.2.0/24")).trace(headers(OUR_MX,
                "from [192.0.2.55] (unknown [203.0.113.80]) by mx.isp.example (Postfix) with ESMTP id E; "
                        + "Tue, 05 Sep 2023 10:00:01 +0200",
                "from 192.0.2.56 ([203.0.113.81] helo=192.0.2.57) by mx.isp.example with esmtp (Exim 4.96) id F; "
                        + "Tue, 05 Sep 2023 10:00:00 +0200"), null);
        OriginHop o = t.origin().orElseThrow();
        assertThat(o.ip()).isEqualTo("203.0.113.80");
        assertThat(o.helo()).isEqualTo("[192.0.2.55]");
        assertThat(new ReceivedParser().parse("from mx (HELO [192.0.2.1]) (203.0.113.1) by q with SMTP"))
                .get().extracting(Relay::ip).isEqualTo("203.0.113.1");
        assertThat(new ReceivedParser().parse("from [128.114.2.223] (account u@x HELO [192.0.2.1]) by c with ESMTPSA"))
                .get().extracting(Relay::ip).isEqualTo("128.114.2.223");
    }

    @Test
    void heloSmugglingACommentDoesNotMoveTheClientAddress() {
        ReceivedParser p = new ReceivedParser();
        // Postfix writes the HELO verbatim before its own "(rdns [ip])"
        assertThat(p.parse("from x([192.0.2.66]) (unknown [203.0.113.80]) by mx.isp.example (Postfix) with ESMTP id 1"))
                .get().extracting(Relay::ip).isEqualTo("203.0.113.80");
        assertThat(p.parse("from x (y [192.0.2.66]) (unknown [203.0.113.80]) by mx.isp.example (Postfix) with ESMTP id 1"))
                .get().extracting(Relay::ip).isEqualTo("203.0.113.80");
        // qmail writes "(HELO x)" before "(ip)"
        assertThat(p.parse("from unknown (HELO x) (192.0.2.66) (203.0.113.80) by mx.isp.example with SMTP"))
                .get().extracting(Relay::ip).isEqualTo("203.0.113.80");
        // MDaemon writes "from HELO [ip]"
        assertThat(p.parse("from x [192.0.2.66] [203.0.113.80] by mx.isp.example [198.51.100.1] with SMTP"))
                .get().extracting(Relay::ip).isEqualTo("203.0.113.80");
    }

    @Test
    void privateAndBogonAddressesBelowTheBoundaryAreOnlyClaims() {
        Trace t = new OriginTracer(trusting("192.0.2.0/24")).trace(headers(OUR_MX,
                "from a (a [198.51.100.7]) by mx.isp.example; Tue, 05 Sep 2023 10:00:01 +0200",
                "from b (b [10.0.0.1]) by a; Tue, 05 Sep 2023 10:00:00 +0200",
                "from c (c [127.0.0.1]) by b; Tue, 05 Sep 2023 10:00:00 +0200",
                "from d (d [192.0.2.1]) by c; Tue, 05 Sep 2023 10:00:00 +0200"), null);
        assertThat(t.origin().orElseThrow().ip()).isEqualTo("198.51.100.7");
        assertThat(t.untrusted()).extracting(Relay::ip)
                .containsExactly("198.51.100.7", "10.0.0.1", "127.0.0.1", "192.0.2.1");
    }

    @Test
    void extraHopHeaderBelowTrustedWebmailIsTheOrigin() {
        TrustPolicy policy = trusting("192.0.2.0/24").withExtraHopHeaders(List.of("X-Originating-IP"));
        MessageHeaders h = withExtra(headers(OUR_MX,
                "from webmail.isp.example (webmail.isp.example [192.0.2.20]) by mx.isp.example (Postfix) with ESMTP "
                        + "id W; Tue, 05 Sep 2023 10:00:01 +0200"), "X-Originating-IP", "[10.0.9.77]");
        Trace t = new OriginTracer(policy).trace(h, null);
        OriginHop o = t.origin().orElseThrow();
        assertThat(o.ip()).isEqualTo("10.0.9.77");
        assertThat(o.by()).isEqualTo("webmail.isp.example");
        assertThat(o.time()).isEqualTo(OffsetDateTime.parse("2023-09-05T10:00:01+02:00"));
        // not configured: ignored
        Trace off = new OriginTracer(policy.withExtraHopHeaders(List.of())).trace(h, null);
        assertThat(off.origin()).isEmpty();
    }

    @Test
    void extraHopHeaderFromAnUntrustedSenderIsAClaim() {
        TrustPolicy policy = trusting("192.0.2.0/24").withExtraHopHeaders(List.of("X-Originating-IP"));
        MessageHeaders h = withExtra(headers(), "X-Originating-IP", "10.9.9.9");
        Trace t = new OriginTracer(policy).trace(h, ClientConnection.of("203.0.113.7", "x"));
        assertThat(t.origin().orElseThrow().ip()).isEqualTo("203.0.113.7");
        assertThat(t.untrusted()).extracting(Relay::ip).containsExactly("203.0.113.7", "10.9.9.9");
    }

    @Test
    void extraHopHeaderWithoutAnyRelayIsNotBelieved() {
        TrustPolicy policy = trusting("192.0.2.0/24").withExtraHopHeaders(List.of("X-Originating-IP"));
        Trace t = new OriginTracer(policy).trace(withExtra(headers(), "X-Originating-IP", "10.9.9.9"), null);
        assertThat(t.origin()).isEmpty();
        assertThat(t.trusted()).isEmpty();
        assertThat(t.untrusted()).isEmpty();
    }

    @Test
    void ipv6ClientsAndNetworks() {
        TrustPolicy policy = trusting("2001:db8:10::/48");
        Trace t = new OriginTracer(policy).trace(headers(
                "from mx6 (mx6 [IPv6:2001:db8:10::25]) by trap; Tue, 05 Sep 2023 10:00:01 +0200",
                "from AM6PR04MB1234.eurprd04.prod.outlook.com (2603:10a6:20b:3d4::12) by mx6 with Microsoft SMTP "
                        + "Server (version=TLS1_2) id 15.20.6; Tue, 5 Sep 2023 08:00:00 +0000"),
                ClientConnection.of("2001:DB8:10:0:0:0:0:25", "mx6"));
        assertThat(t.trusted()).extracting(Relay::ip).containsExactly("2001:db8:10::25");
        OriginHop o = t.origin().orElseThrow();
        assertThat(o.ip()).isEqualTo("2603:10a6:20b:3d4::12");
        assertThat(o.helo()).isEqualTo("AM6PR04MB1234.eurprd04.prod.outlook.com");
    }

    @Test
    void policyFromSettings() {
        Properties p = new Properties();
        p.setProperty("origin.trusted-networks", "192.0.2.0/24, 2001:db8::/32");
        p.setProperty("origin.internal-networks", "192.0.2.0/25");
        p.setProperty("origin.msa-networks", "192.0.2.25");
        p.setProperty("origin.extra-hop-headers", "X-Originating-IP");
        TrustPolicy policy = TrustPolicy.fromProperties(p);
        assertThat(policy.isTrusted("192.0.2.200")).isTrue();
        assertThat(policy.isTrusted("::ffff:192.0.2.200")).isTrue();
        assertThat(policy.isTrusted("2001:db8:1::1")).isTrue();
        assertThat(policy.isTrusted("198.51.100.1")).isFalse();
        assertThat(policy.isInternal("192.0.2.200")).isFalse();
        assertThat(policy.isInternal("192.0.2.1")).isTrue();
        assertThat(policy.isMsa("192.0.2.25")).isTrue();
        assertThat(policy.extraHopHeaders()).containsExactly("X-Originating-IP");
        assertThat(TrustPolicy.fromProperties(new Properties()).extraHopHeaders())
                .isEqualTo(TrustPolicy.DEFAULT_EXTRA_HOP_HEADERS);
        p.setProperty("origin.msa-networks", "192.0.2.300");
        assertThatThrownBy(() -> TrustPolicy.fromProperties(p))
                .hasMessageContaining("origin.msa-networks").hasMessageContaining("192.0.2.300");
    }

    @Test
    void shippedSettingsLoad() throws java.io.IOException {
        java.nio.file.Path conf = java.nio.file.Path.of(System.getProperty("trapline.repo", "..")).resolve("conf/trapline.properties");
        Properties p = new Properties();
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(conf)) {
            p.load(r);
        }
        TrustPolicy policy = TrustPolicy.fromProperties(p);
        assertThat(policy.extraHopHeaders()).isEqualTo(TrustPolicy.DEFAULT_EXTRA_HOP_HEADERS);
        assertThat(policy.isTrusted("127.0.0.2")).isTrue();
    }

    @Test
    void networksContainTheirAddressesOnly() {
        assertThat(Networks.parse("10.0.0.0/8").contains("10.255.0.1")).isTrue();
        assertThat(Networks.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
        assertThat(Networks.parse("2001:db8::/33").contains("2001:db8:7fff::1")).isTrue();
        assertThat(Networks.parse("2001:db8::/33").contains("2001:db8:8000::1")).isFalse();
        assertThat(Networks.parse("0.0.0.0/0").contains("::1")).isFalse();
        assertThat(Networks.parse("10.1.2.3/8").contains("10.9.9.9")).as("host bits are masked, as SpamAssassin does").isTrue();
        assertThatThrownBy(() -> Networks.parse("10.0.0.0/8, 10.0.0.0/33")).hasMessageContaining("'10.0.0.0/33'");
    }
}
