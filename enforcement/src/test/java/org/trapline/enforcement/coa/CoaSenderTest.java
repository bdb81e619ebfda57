package org.trapline.enforcement.coa;

import org.trapline.attribution.session.SessionTarget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tinyradius.packet.RadiusPacket;

/** The sender against silent or lying NASes on loopback, and its settings. */
class CoaSenderTest {

    private static final SessionTarget ALICE = SessionTarget.of("127.0.0.1", "s1", "alice", "10.0.9.77");

    private static Properties props(int port, String secret) {
        Properties p = new Properties();
        p.setProperty("coa.nas.127.0.0.1.port", Integer.toString(port));
        p.setProperty("coa.secret", secret);
        p.setProperty("coa.timeout", "200");
        p.setProperty("coa.retries", "2");
        return p;
    }

    @Test
    void nasDownRetransmitsTheSamePacketThenTimesOut() throws Exception {
        try (DatagramSocket silentNas = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silentNas.setSoTimeout(3000);
            CompletableFuture<List<byte[]>> received = CompletableFuture.supplyAsync(() -> {
                List<byte[]> got = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) {
                        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                        silentNas.receive(p);
                        got.add(Arrays.copyOf(p.getData(), p.getLength()));
                    }
                } catch (Exception e) {
                    // fewer than three: the assertion below shows how many
                }
                return got;
            });
            CoaResult r = new CoaSender(CoaSettings.from(props(silentNas.getLocalPort(), "x")))
                    .send(NasCommand.coa(ALICE, NasAttribute.parseList("Filter-Id=smtp-block")));

            assertThat(r.outcome()).isEqualTo(CoaResult.Outcome.TIMEOUT);
            assertThat(r.attempts()).isEqualTo(3);
            assertThat(r.answer()).isEmpty();
            List<byte[]> packets = received.get(5, TimeUnit.SECONDS);
            assertThat(packets).hasSize(3);
            // RFC 5176 duplicate detection needs the same identifier and authenticator on a retransmission.
            assertThat(packets.get(1)).isEqualTo(packets.get(0));
            assertThat(packets.get(2)).isEqualTo(packets.get(0));
            assertThat(packets.get(0)[0] & 0xff).isEqualTo(43);
        }
    }

    @Test
    void answerSignedWithAnotherSecretIsIgnored() throws Exception {
        try (DatagramSocket liar = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            liar.setSoTimeout(3000);
            CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> {
                try {
                    DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
                    liar.receive(in);
                    RadiusPacket request = RadiusPacket.decodeRequestPacket(
                            new ByteArrayInputStream(in.getData(), 0, in.getLength()), "right");
                    RadiusPacket ack = new RadiusPacket(RadiusPacket.DISCONNECT_ACK, request.getPacketIdentifier());
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ack.encodeResponsePacket(out, "forged", request);
                    byte[] b = out.toByteArray();
                    liar.send(new DatagramPacket(b, b.length, in.getSocketAddress()));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Properties p = props(liar.getLocalPort(), "right");
            p.setProperty("coa.retries", "0");
            CoaResult r = new CoaSender(CoaSettings.from(p)).send(NasCommand.disconnect(ALICE));
            answering.get(5, TimeUnit.SECONDS);

            assertThat(r.outcome()).isEqualTo(CoaResult.Outcome.TIMEOUT);
            assertThat(r.detail()).contains("invalid answer ignored");
        }
    }

    @Test
    void nasWithoutSecretIsNotContacted() {
        Properties p = new Properties();
        CoaResult r = new CoaSender(CoaSettings.from(p)).send(NasCommand.disconnect(ALICE));
        assertThat(r.outcome()).isEqualTo(CoaResult.Outcome.ERROR);
        assertThat(r.attempts()).isZero();
        assertThat(r.detail()).contains("coa.nas.127.0.0.1.secret");
    }

    @Test
    void unknownAttributeNameIsAnErrorNotACrash() {
        CoaResult r = new CoaSender(CoaSettings.from(props(9, "x")))
                .send(NasCommand.coa(ALICE, List.of(NasAttribute.of("No-Such-Attribute", "1"))));
        assertThat(r.outcome()).isEqualTo(CoaResult.Outcome.ERROR);
        assertThat(r.detail()).contains("No-Such-Attribute");
        assertThat(r.attempts()).isZero();
    }

    @Test
    void perNasSettingsOverrideDefaultsAndSecretsStayHidden() {
        Properties p = new Properties();
        p.setProperty("coa.secret", "default-secret");
        p.setProperty("coa.nas.10.1.1.1.address", "192.0.2.10");
        p.setProperty("coa.nas.10.1.1.1.port", "1700");
        p.setProperty("coa.nas.10.1.1.1.secret", "nas-secret");
        CoaSettings s = CoaSettings.from(p);

        NasEndpoint special = s.endpointFor("10.1.1.1").orElseThrow();
        assertThat(special.host()).isEqualTo("192.0.2.10");
        assertThat(special.port()).isEqualTo(1700);
        assertThat(special.secret()).isEqualTo("nas-secret");
        NasEndpoint other = s.endpointFor("10.2.2.2").orElseThrow();
        assertThat(other.port()).isEqualTo(3799);
        assertThat(other.secret()).isEqualTo("default-secret");
        assertThat(special.toString() + other + s).doesNotContain("secret=n", "default-secret", "nas-secret");
        assertThat(s.timeout()).isEqualTo(CoaSettings.DEFAULT_TIMEOUT);
        assertThat(s.retries()).isEqualTo(2);
    }

    @Test
    void badSettingsNameTheKey() {
        Properties p = new Properties();
        p.setProperty("coa.retries", "many");
        assertThatThrownBy(() -> CoaSettings.from(p)).hasMessageContaining("coa.retries");
        Properties q = new Properties();
        q.setProperty("coa.timeout", "soon");
        assertThatThrownBy(() -> CoaSettings.from(q)).hasMessageContaining("coa.timeout");
    }

    @Test
    void sessionTargetRoundTripsThroughItsDescriptionAndRejectsInjection() {
        SessionTarget t = SessionTarget.of("10.0.0.1", "abc-1", "alice@isp", "10.0.9.77");
        assertThat(SessionTarget.parse(t.describe())).isEqualTo(t);
        assertThatThrownBy(() -> SessionTarget.of("10.0.0.1", "a b", null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionTarget.of("10.0.0.1", null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
