package org.trapline.attribution.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void canonicalSpellingOfAddressesAsNasesWriteThem() {
        assertThat(Addresses.canonical("100.64.0.1")).isEqualTo("100.64.0.1");
        assertThat(Addresses.canonical("0.0.0.0")).isEqualTo("0.0.0.0");
        assertThat(Addresses.canonical("255.255.255.255")).isEqualTo("255.255.255.255");
        assertThat(Addresses.canonical("010.001.000.009")).isEqualTo("10.1.0.9");
        assertThat(Addresses.canonical(" 192.0.2.1 ")).isEqualTo("192.0.2.1");
        assertThat(Addresses.canonical("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(Addresses.canonical("2001:DB8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
        assertThatThrownBy(() -> Addresses.canonical("256.1.1.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Addresses.canonical("1.2.3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Addresses.canonical("1.2.3.4.")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Addresses.canonical("nas.example")).isInstanceOf(IllegalArgumentException.class);
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

    /** Addresses.canonical(text) gives what parsing and formatting give, or fails as parsing does. */
    private static void assertCanonicalIsFormatOfParse(String text) {
        String expected;
        try {
            expected = Addresses.format(Addresses.parseLiteral(text));
        } catch (IllegalArgumentException e) {
            assertThatThrownBy(() -> Addresses.canonical(text)).as(text).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertThat(Addresses.canonical(text)).as(text).isEqualTo(expected);
    }

    @Test
    void ipv6AlreadyCanonicalIsKeptAndAnyOtherSpellingIsRewritten() {
        assertThat(Addresses.canonical("2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(Addresses.canonical("2001:db8:0:0:1::")).isEqualTo("2001:db8:0:0:1::");
        assertThat(Addresses.canonical("2001:db8::1:0:0:0")).as("the longer zero run is the one compressed").isEqualTo("2001:db8:0:0:1::");
        assertThat(Addresses.canonical("2001:0db8::1")).isEqualTo("2001:db8::1");
        assertThat(Addresses.canonical("2001:db8:0::1")).isEqualTo("2001:db8::1");
        assertThat(Addresses.canonical("::ffff:c000:201")).isEqualTo("192.0.2.1");
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
            String printed = new IpPrefix(b, length).toString();
            String address = printed.substring(0, printed.indexOf('/'));
            boolean mapped = Addresses.parseLiteral(address).getAddress().length == 4;
            assertThat(Addresses.canonicalIpv6Groups(address, 0, address.length()) != null).as(address).isEqualTo(!mapped);
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
}
