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
            String text = t.toString();
            String expected;
            try {
                expected = Addresses.format(Addresses.parseLiteral(text));
            } catch (IllegalArgumentException e) {
                assertThatThrownBy(() -> Addresses.canonical(text)).as(text).isInstanceOf(IllegalArgumentException.class);
                continue;
            }
            assertThat(Addresses.canonical(text)).as(text).isEqualTo(expected);
        }
    }
}
