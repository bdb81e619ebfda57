package org.trapline.origin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trapline.origin.json.OriginJson;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's source port from the socket and from Received headers to the origin hop and the trace
 * JSON: behind carrier-grade NAT (address, port, time) is what names a subscriber.
 */
class SourcePortTest {

    static final String MESSAGE = "Received: from mx.isp.example (mx.isp.example [192.0.2.10])\r\n"
            + "\tby trap.isp.example (Postfix) with ESMTP id AAA1; Tue, 05 Sep 2023 10:00:05 +0200\r\n"
            + "Received: from dsl-77.pool.isp.example ([100.64.9.77]:40123 helo=WIN-ZOMBIE)\r\n"
            + "\tby mx.isp.example with esmtp (Exim 4.96) id 1qdQ1X-000ABC-2Z; Tue, 05 Sep 2023 10:00:01 +0200\r\n"
            + "Subject: spam\r\n\r\nbody\r\n";

    @Test
    void theOriginCarriesThePortItsTrustedReceiverWrote() {
        TrustPolicy policy = TrustPolicy.loopbackOnly().withTrusted(Networks.parse(java.util.List.of("192.0.2.0/24")));
        Trace t = new OriginTracer(policy).trace(MESSAGE.getBytes(StandardCharsets.US_ASCII), null);
        OriginHop o = t.origin().orElseThrow();
        assertThat(o.ip()).isEqualTo("100.64.9.77");
        assertThat(o.port()).isEqualTo(40123);
        assertThat(o.endpoint()).isEqualTo("100.64.9.77:40123");
        assertThat(t.trusted().get(0).port()).isEqualTo(Endpoint.UNKNOWN_PORT);
    }

    @Test
    void theLiveConnectionsPortIsTheOriginsWhenItIsTheUntrustedHop() {
        Trace t = new OriginTracer(TrustPolicy.loopbackOnly()).trace(MESSAGE.getBytes(StandardCharsets.US_ASCII),
                new ClientConnection("2001:db8::77", 52143, "zombie", "trap.isp.example", null));
        OriginHop o = t.origin().orElseThrow();
        assertThat(o.ip()).isEqualTo("2001:db8::77");
        assertThat(o.port()).isEqualTo(52143);
        assertThat(o.endpoint()).isEqualTo("[2001:db8::77]:52143");
    }

    @Test
    void ourOwnHeaderGivesThePortWhenTheConnectionDoesNot() {
        String own = "Received: from zombie (dsl-77 [203.0.113.7]:61000) by trap.isp.example with ESMTP; "
                + "Tue, 05 Sep 2023 10:00:05 +0200\r\n\r\n";
        Trace t = new OriginTracer(TrustPolicy.loopbackOnly()).trace(own.getBytes(StandardCharsets.US_ASCII),
                ClientConnection.of("203.0.113.7", "zombie"));
        assertThat(t.origin().orElseThrow().port()).isEqualTo(61000);
        Trace socket = new OriginTracer(TrustPolicy.loopbackOnly()).trace(own.getBytes(StandardCharsets.US_ASCII),
                ClientConnection.of("203.0.113.7", 60999, "zombie"));
        assertThat(socket.origin().orElseThrow().port()).as("the socket is believed over header text").isEqualTo(60999);
    }

    @Test
    void theOldConstructorsMeanAnUnknownPort() {
        OffsetDateTime at = OffsetDateTime.parse("2023-09-05T10:00:00+02:00");
        assertThat(new Relay("192.0.2.1", "", "", "mx", "", "", "", "", at).port()).isEqualTo(Endpoint.UNKNOWN_PORT);
        assertThat(Relay.of("192.0.2.1", "mx").endpoint()).isEqualTo("192.0.2.1");
        assertThat(new OriginHop("192.0.2.1", "", "", "mx", at).port()).isEqualTo(Endpoint.UNKNOWN_PORT);
        assertThat(new ClientConnection("192.0.2.1", "x", "", at).port()).isEqualTo(Endpoint.UNKNOWN_PORT);
        assertThat(ClientConnection.of("192.0.2.1", "x").port()).isEqualTo(Endpoint.UNKNOWN_PORT);
    }

    @Test
    void aPortOutsideTcpIsRefused() {
        assertThatThrownBy(() -> new Relay("192.0.2.1", 65536, "", "", "mx", "", "", "", "", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OriginHop("192.0.2.1", -1, "", "", "mx", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientConnection.of("192.0.2.1", 70000, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTraceJsonWritesThePortOrNull() throws Exception {
        Trace t = new OriginTracer(TrustPolicy.loopbackOnly()).trace(MESSAGE.getBytes(StandardCharsets.US_ASCII),
                ClientConnection.of("203.0.113.7", 1025, "zombie"));
        JsonNode j = TestData.JSON.readTree(OriginJson.trace(t));
        assertThat(j.get("origin").get("port").asInt()).isEqualTo(1025);
        assertThat(j.get("origin").get("endpoint").asText()).isEqualTo("203.0.113.7:1025");
        assertThat(j.get("untrusted").get(0).get("port").asInt()).isEqualTo(1025);
        assertThat(j.get("untrusted").get(1).get("port").isNull()).isTrue();
        assertThat(j.get("untrusted").get(2).get("port").asInt()).isEqualTo(40123);
        JsonNode noPort = TestData.JSON.readTree(OriginJson.received(Relay.of("192.0.2.1", "mx")));
        assertThat(noPort.get("port").isNull()).isTrue();
    }
}
