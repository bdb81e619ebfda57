package org.trapline.origin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Received formats of the MTAs and mail services reports arrive from, one sample each in
 * {@code received/mta_formats.jsonl} with its source named (other parsers' suites, real headers of
 * public list messages, or written by us after an MTA's own source or documentation). Each sample
 * either parses to the expected client address, source port, receiver, HELO and time, or is
 * deliberately not a relay, with the reason. origin/README.md tables the same file.
 */
class MtaFormatsTest {

    static List<JsonNode> samples() {
        try (InputStream in = MtaFormatsTest.class.getResourceAsStream("/received/mta_formats.jsonl");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<JsonNode> out = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add(TestData.JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> cases() {
        return samples().stream().map(n -> Arguments.of(n.get("format").asText(), n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesOrIsDeliberatelyNotARelay(String format, JsonNode sample) {
        assertThat(sample.path("source").asText()).as("every sample names its source").isNotBlank();
        Optional<Relay> relay = new ReceivedParser().parse(sample.get("value").asText());
        if (sample.path("expected_ignored").asBoolean()) {
            assertThat(sample.path("why").asText()).as("an ignored format says why").isNotBlank();
            assertThat(relay).as("not a relay: " + sample.get("why").asText()).isEmpty();
            return;
        }
        JsonNode e = sample.get("expected");
        assertThat(relay).as("a relay").isPresent();
        Relay r = relay.get();
        assertThat(r.ip()).as("ip").isEqualTo(e.get("ip").asText());
        assertThat(r.port()).as("port").isEqualTo(e.get("port").isNull() ? Endpoint.UNKNOWN_PORT : e.get("port").asInt());
        assertThat(r.by()).as("by").isEqualTo(e.get("by").asText());
        assertThat(r.helo()).as("helo").isEqualTo(e.get("helo").asText());
        assertThat(r.time()).as("time").isEqualTo(e.get("time").isNull() ? null : OffsetDateTime.parse(e.get("time").asText()));
        if (e.has("rdns")) {
            assertThat(r.rdns()).as("rdns").isEqualTo(e.get("rdns").asText());
        }
        if (e.has("auth")) {
            assertThat(r.auth()).as("auth").isEqualTo(e.get("auth").asText());
        }
    }

    @Test
    void everyFormatTheIssueNamesHasASample() {
        List<String> formats = samples().stream().map(n -> n.get("format").asText().toLowerCase()).toList();
        for (String named : List.of("mdaemon", "mailenable", "kerio", "icewarp", "hmailserver", "zimbra", "haraka",
                "opensmtpd", "stalwart", "exchange 2016", "exchange online", "gmail", "google workspace",
                "yahoo web", "sendgrid", "amazon ses", "mailgun", "cut off", "nul", "two-digit year")) {
            assertThat(formats).as(named).anyMatch(f -> f.contains(named));
        }
    }
}
