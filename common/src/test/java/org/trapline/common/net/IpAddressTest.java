package org.trapline.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

class IpAddressTest {
    @Test
    void canonicalSpellingOfAddressesAsNasesWriteThem() {
        assertThat(IpAddress.canonical("100.64.0.1")).isEqualTo("100.64.0.1");
        assertThat(IpAddress.canonical("0.0.0.0")).isEqualTo("0.0.0.0");
        assertThat(IpAddress.canonical("255.255.255.255")).isEqualTo("255.255.255.255");
        assertThat(IpAddress.canonical("010.001.000.009")).isEqualTo("10.1.0.9");
        assertThat(IpAddress.canonical(" 192.0.2.1 ")).isEqualTo("192.0.2.1");
        assertThat(IpAddress.canonical("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(IpAddress.canonical("2001:DB8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
        assertThatThrownBy(() -> IpAddress.canonical("256.1.1.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpAddress.canonical("1.2.3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpAddress.canonical("1.2.3.4.")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpAddress.canonical("nas.example")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The shortcut for dotted quads gives what parsing and formatting give, for any text. */
    @Test
    void canonicalIsFormatOfParseForAnyText() {
        Random random = new Random(4);
        String alphabet = "0123456789.....:ab ";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder t = new StringBuilder();
            if (n % 2 == 0) {
                // Near-quads: four numbers of up to four digits, sometimes with a leading zero or a stray byte.
                for (int p = 0; p < 4; p++) {
                    if (p > 0) {
                        t.append('.');
                    }
                    t.append(random.nextInt(8) == 0 ? "0" : "").append(random.nextInt(random.nextBoolean() ? 300 : 10_000));
                }
                if (random.nextInt(5) == 0) {
                    t.insert(random.nextInt(t.length() + 1), alphabet.charAt(random.nextInt(alphabet.length())));
                }
            } else {
                for (int i = random.nextInt(18); i > 0; i--) {
                    t.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            assertCanonicalIsFormatOfParse(t.toString());
        }
    }

    /** IpAddress.canonical(text) gives what parsing and formatting give, or fails as parsing does. */
    private static void assertCanonicalIsFormatOfParse(String text) {
        String expected;
        try {
            expected = IpAddress.parse(text).toString();
        } catch (IllegalArgumentException e) {
            assertThatThrownBy(() -> IpAddress.canonical(text)).as(text).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertThat(IpAddress.canonical(text)).as(text).isEqualTo(expected);
    }

    @Test
    void ipv6AlreadyCanonicalIsKeptAndAnyOtherSpellingIsRewritten() {
        assertThat(IpAddress.canonical("2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(IpAddress.canonical("2001:db8:0:0:1::")).isEqualTo("2001:db8:0:0:1::");
        assertThat(IpAddress.canonical("2001:db8::1:0:0:0")).as("the longer zero run is the one compressed").isEqualTo("2001:db8:0:0:1::");
        assertThat(IpAddress.canonical("2001:0db8::1")).isEqualTo("2001:db8::1");
        assertThat(IpAddress.canonical("2001:db8:0::1")).isEqualTo("2001:db8::1");
        assertThat(IpAddress.canonical("::ffff:c000:201")).isEqualTo("192.0.2.1");
        assertThat(IpPrefix.isCanonicalIpv6("2001:db8:ff00:2300::/56")).isTrue();
        assertThat(IpPrefix.isCanonicalIpv6("2001:db8:ff00:2301::/56")).as("host bits set").isFalse();
        assertThat(IpPrefix.isCanonicalIpv6("2001:db8:ff00:2300::/056")).isFalse();
        assertThat(IpPrefix.isCanonicalIpv6("2001:DB8:ff00:2300::/56")).isFalse();
        assertThat(IpPrefix.isCanonicalIpv6("2001:db8::/129")).isFalse();
        assertThat(IpPrefix.isCanonicalIpv6("10.0.0.0/8")).isFalse();
    }

    /**
     * The IPv6 shortcuts keep a text only where parsing and printing it again gives the same text, and
     * they take every text that printing produces (else the shortcut would never be taken).
     */
    @Test
    void ipv6ShortcutsAgreeWithParseAndFormat() {
        Random random = new Random(6);
        String alphabet = "0123456789abcdefABF::::/.";
        for (int n = 0; n < 200_000; n++) {
            byte[] b = new byte[16];
            for (int g = 0; g < 8; g++) {
                int kind = random.nextInt(4);
                int v = kind == 0 ? random.nextInt(0x10000) : kind == 1 ? random.nextInt(16) : 0;
                b[2 * g] = (byte) (v >> 8);
                b[2 * g + 1] = (byte) v;
            }
            if (random.nextInt(50) == 0) {
                b[10] = (byte) 0xff;
                b[11] = (byte) 0xff;
            }
            int length = random.nextInt(129);
            String printed = IpPrefix.of(b, length).toString();
            String address = printed.substring(0, printed.indexOf('/'));
            boolean mapped = IpAddress.parse(address).isIpv4();
            assertThat(isCanonicalIpv6Text(address)).as(address).isEqualTo(!mapped);
            assertThat(IpPrefix.isCanonicalIpv6(printed)).as(printed).isEqualTo(!mapped);

            StringBuilder t = new StringBuilder(random.nextBoolean() ? printed : address);
            for (int k = random.nextInt(3); k > 0; k--) {
                int at = random.nextInt(t.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> t.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> t.deleteCharAt(Math.min(at, t.length() - 1));
                    default -> t.setCharAt(Math.min(at, t.length() - 1), alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String text = t.toString();
            assertCanonicalIsFormatOfParse(text);
            if (IpPrefix.isCanonicalIpv6(text)) {
                IpPrefix parsed = IpPrefix.parse(text);
                assertThat(parsed.isIpv6()).as(text).isTrue();
                assertThat(parsed.toString()).as(text).isEqualTo(text);
            }
        }
    }

    /** Text the address shortcut keeps as it is: IPv6 already in the spelling toString prints. */
    private static boolean isCanonicalIpv6Text(String text) {
        int wanted = AddressText.CANONICAL | AddressText.IPV6_TEXT;
        return (AddressText.read(text, 0, text.length(), null) & wanted) == wanted;
    }

    /** The forms Received headers and origin's settings write (moved from origin's TrustWalkTest). */
    @Test
    void addressCanonicalForms() {
        assertThat(IpAddress.canonicalOrNull("::ffff:1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(IpAddress.canonicalOrNull("::FFFF:0102:0304")).isEqualTo("1.2.3.4");
        assertThat(IpAddress.canonicalOrNull("IPv6:2001:DB8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddress.canonicalOrNull("2001:db8::")).isEqualTo("2001:db8::");
        assertThat(IpAddress.canonicalOrNull("fe80::1%eth0")).isEqualTo("fe80::1");
        assertThat(IpAddress.canonicalOrNull("::")).isEqualTo("::");
        assertThat(IpAddress.canonicalOrNull("1.2.3")).isNull();
        assertThat(IpAddress.canonicalOrNull("256.1.1.1")).isNull();
        assertThat(IpAddress.canonicalOrNull("1::2::3")).isNull();
        assertThat(IpAddress.canonicalOrNull("1:2:3:4:5:6:7:8:9")).isNull();
        assertThat(IpAddress.canonicalOrNull("example.com")).isNull();
    }

    /** Where origin's and attribution's parsers used to differ, the one grammar decides (see AddressText). */
    @Test
    void oneGrammarForHeadersDetailFilesAndSettings() {
        assertThat(IpAddress.canonicalOrNull("[2001:db8::1]")).isEqualTo("2001:db8::1");
        assertThat(IpAddress.canonicalOrNull("[IPv6:fe80::1%eth0]")).isEqualTo("fe80::1");
        assertThat(IpAddress.canonicalOrNull("ipv6:::1")).isEqualTo("::1");
        assertThat(IpAddress.canonicalOrNull("[ 192.0.2.1 ]")).as("no blanks inside brackets").isNull();
        assertThat(IpAddress.canonicalOrNull("192.0.2.1%eth0")).as("IPv4 has no zones").isNull();
        assertThat(IpAddress.canonicalOrNull("00001::")).as("at most four hex digits a group").isNull();
        assertThat(IpAddress.canonicalOrNull("::ffff:0001.2.3.4")).as("at most three digits an octet").isNull();
        assertThat(IpAddress.canonicalOrNull("\uff12001:db8::1")).as("ASCII digits only").isNull();
        assertThat(IpAddress.canonicalOrNull("1.2.3.4::")).as("a dotted quad only at the end").isNull();
        assertThat(IpAddress.canonicalOrNull("fe80::1%" + "x".repeat(56))).isEqualTo("fe80::1");
        assertThat(IpAddress.canonicalOrNull("fe80::1%" + "x".repeat(57))).as("64 characters at most").isNull();
        assertThat(IpAddress.canonicalOrNull("::1.2.3.4")).as("IPv4-compatible is IPv6").isEqualTo("::102:304");
        assertThat(IpAddress.canonicalOrNull("1:2:3:4:5:6:7::")).isEqualTo("1:2:3:4:5:6:7:0");
        assertThatThrownBy(() -> IpAddress.parse("nas.example")).hasMessage("not an IP address: 'nas.example'");
        assertThatThrownBy(() -> IpAddress.canonical(" 1.2.3 ")).hasMessage("not an IP address: ' 1.2.3 '");
    }

    @Test
    void bytesAndSocketsSeeTheSameAddress() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[15] = 1;
        assertThat(IpAddress.of(mapped)).isEqualTo(IpAddress.parse("192.0.0.1"));
        assertThat(IpAddress.of(mapped).bytes()).containsExactly(192, 0, 0, 1);
        assertThat(IpAddress.parse("2001:db8::1").bytes()).hasSize(16).startsWith(0x20, 0x01, 0x0d, 0xb8).endsWith(0, 1);
        assertThat(IpAddress.of(java.net.InetAddress.getByName("2001:db8::1"))).isEqualTo(IpAddress.parse("2001:DB8::1"));
        assertThat(IpAddress.parse("::ffff:10.0.0.1").toInetAddress()).isEqualTo(java.net.InetAddress.getByName("10.0.0.1"));
        assertThat(IpAddress.parse("127.9.9.9").isLoopback()).isTrue();
        assertThat(IpAddress.parse("::1").isLoopback()).isTrue();
        assertThat(IpAddress.parse("::2").isLoopback()).isFalse();
        assertThatThrownBy(() -> IpAddress.of(new byte[5])).isInstanceOf(IllegalArgumentException.class);

        Random random = new Random(8);
        for (int n = 0; n < 20_000; n++) {
            byte[] b = new byte[random.nextBoolean() ? 4 : 16];
            random.nextBytes(b);
            IpAddress a = IpAddress.of(b);
            assertThat(a.bytes()).isEqualTo(b);
            String printed = a.toString();
            assertThat(IpAddress.parse(printed)).as(printed).isEqualTo(a);
            assertThat(IpAddress.canonical(printed)).as("printed text is kept as it is").isSameAs(printed);
            assertThat(IpAddress.parse(java.net.InetAddress.getByAddress(b).getHostAddress())).isEqualTo(a);
        }
    }
}
