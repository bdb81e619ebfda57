package org.trapline.origin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.trapline.common.net.IpAddress;

import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spam is written by adversaries. The timeout only guards against a hang (catastrophic
 * backtracking, quadratic loops); speed is measured in bench/origin.
 */
@Timeout(60)
class HostileInputTest {

    final ReceivedParser parser = new ReceivedParser();

    static String repeat(String s, int totalChars) {
        return s.repeat(Math.max(1, totalChars / s.length()));
    }

    @Test
    void hundredKilobyteLinesAreBoundedAndNeverThrow() {
        String[] lines = {
            repeat("a", 100_000),
            "from " + repeat("(", 100_000),
            "from " + repeat(")", 100_000),
            "from " + repeat("[", 100_000),
            "from " + repeat("<", 100_000) + " by x",
            "from x (" + repeat("a [1.2.3.4] ", 100_000) + ") by y; Tue, 5 Sep 2023 10:00:00 +0200",
            "from x " + repeat("id ", 100_000),
            "from " + repeat("by ", 100_000),
            "from x ([1.2.3.4]) by y; " + repeat("Tue, 5 Sep ", 100_000),
            "from x ([1.2.3.4]) by y " + repeat("envelope-from ", 100_000),
            "from " + repeat("helo=", 100_000),
            repeat("from x (y [1.2.3.4]) by z; ", 100_000),
        };
        for (String line : lines) {
            assertThat(line.length()).isGreaterThanOrEqualTo(99_000);
            parser.parse(line).ifPresent(r -> assertThat(r.helo().length() + r.by().length() + r.id().length())
                    .isLessThanOrEqualTo(ReceivedParser.MAX_CHARS * 3));
        }
        assertThat(parser.parse("from x (" + repeat("a [1.2.3.4] ", 100_000) + ") by y"))
                .as("the client address survives an oversized comment only if it is in the part read").isEmpty();
        assertThat(parser.parse("from x (y [1.2.3.4]) by z; " + repeat("x", 100_000)))
                .get().extracting(Relay::ip).isEqualTo("1.2.3.4");
    }

    @Test
    void unbalancedParenthesesStillParseWhatIsThere() {
        // an unmatched "(" is an ordinary character: the literal and "by" are still seen
        assertThat(parser.parse("from x (y [192.0.2.1] by z; Tue, 5 Sep 2023 10:00:00 +0200"))
                .get().extracting(Relay::ip).isEqualTo("192.0.2.1");
        assertThat(parser.parse("from x (y [192.0.2.1])) by z; Tue, 5 Sep 2023 10:00:00 +0200"))
                .get().extracting(Relay::ip).isEqualTo("192.0.2.1");
        assertThat(parser.parse("from x ((y [192.0.2.1]) by z")).get().extracting(Relay::rdns).isEqualTo("y");
        assertThat(parser.parse("from x (y (z [192.0.2.1]) by q")).get().extracting(Relay::ip).isEqualTo("192.0.2.1");
        assertThat(parser.parse("from x) (y [192.0.2.1]) by z")).get().extracting(Relay::by).isEqualTo("z");
    }

    @Test
    void nulAndControlCharactersAreSpaces() {
        Relay r = parser.parse("from x\u0000(y\u0000[192.0.2.1])\u0000by\u0007z; Tue, 5 Sep 2023 10:00:00 +0200").orElseThrow();
        assertThat(r.ip()).isEqualTo("192.0.2.1");
        assertThat(r.by()).isEqualTo("z");
        assertThat(r.time()).isNotNull();
    }

    @Test
    void garbageDatesGiveNoTimeNeverNow() {
        for (String date : new String[] {"yesterday", "32 Jan 2023 10:00:00 +0000", "5 Sep 2023 25:00:00 +0000",
            "5 Sep 2023 10:00:00 +9999", "5 Sep 2023 10:00:00", "5 Foo 2023 10:00:00 +0000", "", "5 Sep 1850 10:00:00 +0000"}) {
            Relay r = parser.parse("from x (y [192.0.2.1]) by z; " + date).orElseThrow();
            assertThat(r.time()).as(date).isNull();
        }
        assertThat(parser.parse("from x (y [192.0.2.1]) by z; Sat, 2 Sep 2023 04:24:06 +0200").orElseThrow().time())
                .hasToString("2023-09-02T04:24:06+02:00");
        assertThat(parser.parse("from x (y [192.0.2.1]) by z; Wed, 12 Feb 2003 14:22:21 PST").orElseThrow().time())
                .hasToString("2003-02-12T14:22:21-08:00");
        assertThat(parser.parse("from x (y [192.0.2.1]) by z; Fri Feb 07 10:18:12 2003 -0800").orElseThrow().time())
                .hasToString("2003-02-07T10:18:12-08:00");
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        String alphabet = "from by with id ([<>]) @;:.,=-0123456789abcdefHELOhelo= IPv6: \u0000\uFFFD\n\t\"";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(i % 3 == 0 ? "from " : "");
            int len = random.nextInt(300);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            parser.parse(sb.toString()).ifPresent(r -> assertThat(IpAddress.canonicalOrNull(r.ip())).isEqualTo(r.ip()));
        }
    }

    @Test
    void thousandReceivedHeadersAndGiantRawHeaders() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int i = 0; i < 1500; i++) {
            raw.writeBytes(("Received: from h" + i + " (h" + i + " [198.51.100." + (i % 250 + 1) + "])\r\n\tby hop" + i
                    + " with ESMTP id " + i + "; Tue, 5 Sep 2023 10:00:00 +0200\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        raw.writeBytes("X-Junk: ".getBytes(StandardCharsets.US_ASCII));
        raw.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3, 0x28, '\r', '\n'});
        raw.writeBytes(("X-Big: " + "x".repeat(300_000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.writeBytes("no colon line\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = raw.toByteArray();
        MessageHeaders h = MessageHeaders.parse(bytes);
        assertThat(h.values("received")).hasSize(1500);
        assertThat(h.values("X-Big").get(0)).hasSize(MessageHeaders.MAX_VALUE_CHARS);
        assertThat(h.malformedLines()).isEqualTo(1);
        assertThat(h.values("X-Junk").get(0)).contains("\uFFFD");
        Trace t = new OriginTracer(TrustPolicy.loopbackOnly()).trace(bytes, null);
        assertThat(t.origin().orElseThrow().ip()).isEqualTo("198.51.100.1");
        assertThat(t.untrusted()).hasSize(OriginTracer.MAX_RECEIVED);
        assertThat(t.notRelays()).isEqualTo(500);
    }

    @Test
    void endlessStreamIsReadOnlyUpToTheLimit() throws java.io.IOException {
        byte[] head = "Received: from a (a [192.0.2.1]) by b; Tue, 5 Sep 2023 10:00:00 +0200\nX: ".getBytes(StandardCharsets.US_ASCII);
        java.io.InputStream endless = new java.io.InputStream() {
            long pos;

            @Override
            public int read() {
                return pos < head.length ? head[(int) pos++] : 'y';
            }
        };
        MessageHeaders h = MessageHeaders.read(endless);
        assertThat(h.truncated()).isTrue();
        assertThat(h.values("Received")).hasSize(1);
        Trace t = new OriginTracer(TrustPolicy.loopbackOnly()).trace(new java.io.ByteArrayInputStream(
                "Received: from a (a [192.0.2.1]) by b\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII)), null);
        assertThat(t.origin().orElseThrow().ip()).isEqualTo("192.0.2.1");
    }

    @Test
    void endlessHeaderSectionIsCut() {
        byte[] raw = ("Received: from a (a [192.0.2.1]) by b; Tue, 5 Sep 2023 10:00:00 +0200\n"
                + "X: " + "y".repeat(MessageHeaders.MAX_HEADER_BYTES)).getBytes(StandardCharsets.US_ASCII);
        MessageHeaders h = MessageHeaders.parse(raw);
        assertThat(h.truncated()).isTrue();
        assertThat(h.values("Received")).hasSize(1);
    }
}
