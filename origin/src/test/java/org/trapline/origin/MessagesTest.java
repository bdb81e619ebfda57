package org.trapline.origin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every message under ../shared/testdata/messages traces without error to a consistent answer. */
class MessagesTest {

    static Stream<Path> messages() throws IOException {
        Path root = TestData.root().resolve("messages");
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(all).hasSizeGreaterThan(100);
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void tracesWithoutError(Path message) throws IOException {
        byte[] raw = Files.readAllBytes(message);
        OriginTracer tracer = new OriginTracer(TrustPolicy.fromProperties(new java.util.Properties()));
        Trace fromBytes = tracer.trace(raw, null);
        Trace fromStream;
        try (InputStream in = Files.newInputStream(message)) {
            fromStream = tracer.trace(in, null);
        }
        assertThat(fromStream).isEqualTo(fromBytes);
        List<Relay> relays = new ArrayList<>(fromBytes.trusted());
        relays.addAll(fromBytes.untrusted());
        boolean anyOutside = relays.stream().anyMatch(r -> !tracer.policy().isTrusted(r.ip()));
        assertThat(fromBytes.origin().isPresent()).isEqualTo(anyOutside);
        fromBytes.origin().ifPresent(o -> assertThat(relays).extracting(Relay::ip).contains(o.ip()));
        assertThat(MessageHeaders.parse(raw).values("Received").size())
                .isEqualTo(relays.size() - extraHops(tracer, raw) + fromBytes.notRelays());

        Trace live = tracer.trace(raw, ClientConnection.of("203.0.113.9", "zombie"));
        assertThat(live.origin().orElseThrow().ip()).isEqualTo("203.0.113.9");
        assertThat(live.trusted()).isEmpty();
    }

    private static int extraHops(OriginTracer tracer, byte[] raw) {
        MessageHeaders h = MessageHeaders.parse(raw);
        if (h.values("Received").stream().allMatch(v -> new ReceivedParser().parse(v).isEmpty())) {
            return 0;
        }
        return (int) tracer.policy().extraHopHeaders().stream()
                .filter(n -> !h.values(n).isEmpty() && OriginTracer.firstAddress(h.values(n).get(0)) != null)
                .count();
    }

    @Test
    void originatingIpHeaderBelowATrustedRelay() throws IOException {
        byte[] raw = Files.readAllBytes(TestData.root().resolve("messages/spamassassin-t-data/nice/orig_ip_hdr.eml"));
        TrustPolicy policy = TrustPolicy.loopbackOnly().withTrusted(Networks.parse("64.142.3.173"))
                .withExtraHopHeaders(List.of("X-Originating-IP"));
        Trace t = new OriginTracer(policy).trace(raw, null);
        assertThat(t.trusted()).extracting(Relay::ip).containsExactly("64.142.3.173");
        assertThat(t.origin().orElseThrow().ip()).isEqualTo("198.51.100.1");
        assertThat(t.origin().get().by()).isEqualTo("dnsbltest.spamassassin.org");
        // X-Testing-Ip is not configured, so it is no hop
        assertThat(t.untrusted()).extracting(Relay::ip).containsExactly("198.51.100.1");
    }
}
