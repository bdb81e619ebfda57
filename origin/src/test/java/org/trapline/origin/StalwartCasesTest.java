package org.trapline.origin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trapline.common.net.IpAddress;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * stalwartlabs/mail-parser resources/received.json, in Stalwart's meaning. Stalwart parses every
 * header structurally and never says "not a relay", and its {@code from}/{@code helo} fields name
 * the announced host rather than SpamAssassin's HELO/rDNS split, so what is compared is what both
 * mean the same: {@code from_ip} (the client address from the receiver's TCP info) against our ip,
 * {@code by}, {@code id}, and the date with its zone. A header with {@code from_ip} must be a relay.
 */
class StalwartCasesTest {

    /** Cases where Trapline's answer differs on purpose, with the reason. Keyed by case index. */
    static final Map<Integer, String> DIFFERS = Map.of(
            28, "ecelerity id 'EE/20-30863-33CE1054': Stalwart stops the id at '/', we keep the whole token as SpamAssassin does",
            30, "ecelerity id '52/92-02454-89FBA054': as case 28",
            90, "two-digit year 'Feb 04': Stalwart reads 1904, we read 2004 (RFC 5322 section 4.3)",
            128, "two-digit year 'Mar 03': Stalwart reads 1903, we read 2003 (RFC 5322 section 4.3)",
            116, "'30 Apr 2003 15:06:29' has no zone: Stalwart assumes UTC, we give no time rather than guess an instant");

    static Stream<Arguments> cases() {
        return TestData.jsonl("stalwart_received_public.jsonl").stream()
                .map(n -> Arguments.of(n.get("index").asInt(), n.get("received_header_value").asText(), n));
    }

    /** Keeps the list honest: every listed case really differs from Stalwart in id or date. */
    @org.junit.jupiter.api.Test
    void everyListedDifferenceIsReal() {
        for (JsonNode c : TestData.jsonl("stalwart_received_public.jsonl")) {
            int index = c.get("index").asInt();
            if (!DIFFERS.containsKey(index)) {
                continue;
            }
            Relay r = new ReceivedParser().parse(c.get("received_header_value").asText()).orElseThrow();
            JsonNode e = c.get("expected");
            boolean idDiffers = e.has("id") && !r.id().equals(e.get("id").asText());
            boolean dateDiffers = e.hasNonNull("date") && !java.util.Objects.equals(r.time(), date(e.get("date")));
            assertThat(idDiffers || dateDiffers).as("case %d: %s", index, DIFFERS.get(index)).isTrue();
        }
    }

    private static OffsetDateTime date(JsonNode d) {
        try {
            int sign = d.get("tz_before_gmt").asBoolean() ? -1 : 1;
            ZoneOffset zone = ZoneOffset.ofHoursMinutes(sign * d.get("tz_hour").asInt(), sign * d.get("tz_minute").asInt());
            return OffsetDateTime.of(d.get("year").asInt(), d.get("month").asInt(), d.get("day").asInt(),
                    d.get("hour").asInt(), d.get("minute").asInt(), d.get("second").asInt(), 0, zone);
        } catch (java.time.DateTimeException ex) {
            return null; // Stalwart's own reading can be no date at all (month 13)
        }
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("cases")
    void agreesWithStalwart(int index, String header, JsonNode c) {
        Optional<Relay> relay = new ReceivedParser().parse(header);
        JsonNode e = c.get("expected");
        String reason = DIFFERS.get(index);
        if (e.has("from_ip")) {
            assertThat(relay).as("a relay").isPresent();
            assertThat(relay.get().ip()).isEqualTo(IpAddress.canonicalOrNull(e.get("from_ip").asText()));
        }
        if (relay.isEmpty()) {
            return;
        }
        Relay r = relay.get();
        if (e.has("by")) {
            JsonNode by = e.get("by");
            String expectedBy = by.has("Name") ? by.get("Name").asText() : by.get("IpAddr").asText();
            assertThat(r.by().replace("[", "").replace("]", "")).isEqualTo(expectedBy);
        }
        if (e.has("id") && reason == null) {
            assertThat(r.id()).isEqualTo(e.get("id").asText());
        }
        if (e.hasNonNull("date") && reason == null) {
            // a date Stalwart reads as impossible (case 118: "month 13") must be no time here either
            assertThat(r.time()).isEqualTo(date(e.get("date")));
        }
    }
}
