package org.trapline.origin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * apache/spamassassin t/rcvd_parser.t, in SpamAssassin's meaning: SpamAssassin writes characters
 * it deems unsafe ({@code [ ] ( ) < > | # NUL}, whitespace) in its relay strings as {@code !}, so
 * {@code [10.0.0.1]} as a HELO reads {@code !10.0.0.1!} there; the comparison applies that mapping
 * to our fields. {@code msa} is a trust-walk flag, not a parse result; it is "0" in every case.
 */
class SpamAssassinCasesTest {

    static Stream<Arguments> cases() {
        return TestData.jsonl("sa_rcvd_parser.jsonl").stream()
                .map(n -> Arguments.of(n.get("received_header_value").asText(), n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesLikeSpamAssassin(String header, JsonNode c) {
        Optional<Relay> relay = new ReceivedParser().parse(header);
        if (c.get("expected_ignored").asBoolean()) {
            assertThat(relay).as("not a relay").isEmpty();
            return;
        }
        assertThat(relay).as("a relay").isPresent();
        JsonNode e = c.get("expected");
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> actual = new LinkedHashMap<>();
        Relay r = relay.get();
        String[][] fields = {{"ip", r.ip()}, {"rdns", r.rdns()}, {"helo", r.helo()}, {"by", r.by()},
            {"ident", r.ident()}, {"envfrom", r.envfrom()}, {"id", r.id()}, {"auth", r.auth()}};
        for (String[] f : fields) {
            expected.put(f[0], e.get(f[0]).asText());
            actual.put(f[0], saSafe(f[1]));
        }
        assertThat(actual).isEqualTo(expected);
    }

    static String saSafe(String s) {
        return s.replaceAll("[\\s\\x00#\\[\\]()<>|]", "!");
    }
}
