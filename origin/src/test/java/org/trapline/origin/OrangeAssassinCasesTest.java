package org.trapline.origin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SpamExperts/OrangeAssassin tests/functional/test_received_parser.py: single headers in
 * SpamAssassin's field meanings, and two trust-path cases (trusted/untrusted/internal relay lists,
 * first untrusted relay, "last external" relay).
 */
class OrangeAssassinCasesTest {

    /**
     * Stated expectations Trapline does not share, with the reason. Keyed by test name and the
     * expectation.
     */
    static final Map<String, String> DIFFERS = Map.of(
            "TestTrustPath.* (relays_trusted/untrusted/internal/external/last_external_ip/rdns/helo)#origin",
            "OA's origin is the first untrusted relay (8.8.8.8); ours stops at the authenticated submission "
                    + "from outside the trusted networks (9.8.9.8, ESMTPSA): that client put the message into the "
                    + "trusted chain and wrote the headers below itself, so they are claims, not evidence",
            "TestTrustPath.test_relays_originating_ip#last_external",
            "OA makes X-Originating-IP 7.8.9.0 the last external relay below an authenticated relay (9.9.9.9, "
                    + "ESMTPSA, outside the trusted networks); ours stops at that authenticated submission, so the "
                    + "pseudo-hop below it is claimed (it becomes the origin when the hop above it is trusted: see "
                    + "TrustWalkTest)");

    static Stream<Arguments> cases() {
        return TestData.jsonl("orangeassassin_received.jsonl").stream()
                .map(n -> Arguments.of(n.get("test_name").asText(), n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithOrangeAssassin(String name, JsonNode c) {
        if (c.get("kind").asText().equals("trust_boundary")) {
            trustBoundary(name, c);
            return;
        }
        String header = c.get("received_headers").get(0).asText();
        Optional<Relay> relay = new ReceivedParser().parse(header);
        if (c.get("expected_ignored").asBoolean()) {
            assertThat(relay).as("not a relay").isEmpty();
            return;
        }
        assertThat(relay).as("a relay").isPresent();
        assertThat(fields(relay.get())).isEqualTo(expectedFields(c.get("expected")));
    }

    private void trustBoundary(String name, JsonNode c) {
        TrustPolicy policy = new TrustPolicy(Networks.parse(strings(c.get("trusted_networks"))),
                Networks.parse(strings(c.get("internal_networks"))), Networks.parse(strings(c.get("msa_networks"))),
                c.has("originating_ip_headers") ? strings(c.get("originating_ip_headers")) : List.of());
        List<MessageHeaders.Field> fields = new ArrayList<>();
        for (JsonNode h : c.get("received_headers")) {
            fields.add(new MessageHeaders.Field("Received", h.asText()));
        }
        for (JsonNode h : c.get("other_headers")) {
            String[] nv = h.asText().split(":", 2);
            fields.add(new MessageHeaders.Field(nv[0], nv[1].trim()));
        }
        Trace trace = new OriginTracer(policy).trace(MessageHeaders.of(fields), null);
        if (c.has("expected_trusted_relays")) {
            assertThat(trace.trusted().stream().map(OrangeAssassinCasesTest::fields).toList())
                    .isEqualTo(expectedList(c.get("expected_trusted_relays")));
            assertThat(trace.untrusted().stream().map(OrangeAssassinCasesTest::fields).toList())
                    .isEqualTo(expectedList(c.get("expected_untrusted_relays")));
            assertThat(trace.internal().stream().map(OrangeAssassinCasesTest::fields).toList())
                    .isEqualTo(expectedList(c.get("expected_internal_relays")));
            assertThat(trace.untrusted().get(0).ip()).isEqualTo(c.get("expected_first_untrusted_ip").asText());
            Relay lastExternal = trace.trusted().size() + trace.untrusted().size() > trace.internal().size()
                    ? all(trace).get(trace.internal().size()) : null;
            assertThat(lastExternal).isNotNull();
            assertThat(lastExternal.ip()).isEqualTo(c.get("expected_last_external_ip").asText());
            assertThat(lastExternal.rdns()).isEqualTo(c.get("expected_last_external_rdns").asText());
            assertThat(lastExternal.helo()).isEqualTo(c.get("expected_last_external_helo").asText());
            assertThat(DIFFERS).containsKey(name + "#origin");
            assertThat(trace.origin().map(OriginHop::ip)).contains("9.8.9.8");
        } else {
            assertThat(DIFFERS).containsKey(name + "#last_external");
            assertThat(trace.origin().map(OriginHop::ip)).contains("9.9.9.9");
            assertThat(trace.untrusted()).extracting(Relay::ip).containsExactly("7.8.9.0");
        }
    }

    private static List<Relay> all(Trace t) {
        List<Relay> out = new ArrayList<>(t.trusted());
        out.addAll(t.untrusted());
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Map<String, String>> expectedList(JsonNode array) {
        List<Map<String, String>> out = new ArrayList<>();
        array.forEach(n -> out.add(expectedFields(n)));
        return out;
    }

    private static Map<String, String> expectedFields(JsonNode e) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : List.of("ip", "rdns", "helo", "by", "ident", "envfrom", "id", "auth")) {
            m.put(f, e.get(f).asText());
        }
        return m;
    }

    static Map<String, String> fields(Relay r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ip", r.ip());
        m.put("rdns", r.rdns());
        m.put("helo", r.helo());
        m.put("by", r.by());
        m.put("ident", r.ident());
        m.put("envfrom", r.envfrom());
        m.put("id", r.id());
        m.put("auth", r.auth());
        return m;
    }
}
