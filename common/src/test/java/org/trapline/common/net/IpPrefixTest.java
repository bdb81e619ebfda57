package org.trapline.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class IpPrefixTest {
    /** The networks origin's trust settings write (moved from origin's TrustWalkTest). */
    @Test
    void cidrParsing() {
        assertThat(IpPrefix.parseMaskingHostBits("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
        assertThat(IpPrefix.parseMaskingHostBits("::ffff:10.0.0.0/104").toString()).isEqualTo("10.0.0.0/8");
        assertThat(IpPrefix.parseMaskingHostBits("[2001:db8::1]").toString()).isEqualTo("2001:db8::1/128");
        for (String bad : List.of("10.0.0.0/33", "10.0.0", "::1/129", "example.com", "10.0.0.0/", "1.2.3.4/-1")) {
            assertThatThrownBy(() -> IpPrefix.parseMaskingHostBits(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> IpPrefix.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void hostBitsAreRefusedOrMaskedAsTheCallerSays() {
        assertThat(IpPrefix.parse("10.0.0.0/8")).isEqualTo(IpPrefix.parseMaskingHostBits("10.1.2.3/8"));
        assertThat(IpPrefix.parse(" 2001:db8:ff00:2300::/56 ").toString()).isEqualTo("2001:db8:ff00:2300::/56");
        assertThat(IpPrefix.parse("192.0.2.7").toString()).isEqualTo("192.0.2.7/32");
        assertThatThrownBy(() -> IpPrefix.parse("10.1.2.3/8")).isInstanceOfSatisfying(IpPrefix.HostBitsSet.class,
                e -> assertThat(e.masked()).isEqualTo(IpPrefix.parse("10.0.0.0/8")))
                .hasMessage("'10.1.2.3/8' has bits set beyond its length; did you mean 10.0.0.0/8?");
        assertThatThrownBy(() -> IpPrefix.parse("2001:db8::1/64")).isInstanceOf(IpPrefix.HostBitsSet.class)
                .hasMessageEndingWith("did you mean 2001:db8::/64?");
    }

    @Test
    void errorsNameTheText() {
        assertThatThrownBy(() -> IpPrefix.parse(" nas.example/8")).hasMessage("'nas.example/8' is not an IP address or CIDR network");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/x")).hasMessage("'10.0.0.0/x' has a bad prefix length");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/+8")).hasMessage("'10.0.0.0/+8' has a bad prefix length");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/0008")).hasMessage("'10.0.0.0/0008' has a bad prefix length");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).hasMessage("'10.0.0.0/33' has a prefix longer than /32");
        assertThatThrownBy(() -> IpPrefix.parse("::/129")).hasMessage("'::/129' has a prefix longer than /128");
        assertThatThrownBy(() -> IpPrefix.parse("::ffff:10.0.0.0/8"))
                .hasMessage("'::ffff:10.0.0.0/8': a mapped IPv4 prefix must be /96 or longer");
    }

    @Test
    void mappedPrefixesAreIpv4AndIpv6NeverContainsIpv4() {
        assertThat(IpPrefix.parse("::ffff:0:0/96").toString()).isEqualTo("0.0.0.0/0");
        assertThat(IpPrefix.parse("::ffff:192.0.2.0/120").contains(IpAddress.parse("192.0.2.99"))).isTrue();
        assertThat(IpPrefix.parse("::ffff:192.0.2.7")).isEqualTo(IpPrefix.parse("192.0.2.7/32"));
        assertThat(IpPrefix.parse("::/0").contains(IpAddress.parse("192.0.2.1"))).isFalse();
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(IpAddress.parse("::1"))).isFalse();
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(IpAddress.parse("::ffff:1.2.3.4"))).isTrue();

        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        assertThat(IpPrefix.of(mapped, 104)).isEqualTo(IpPrefix.parse("192.0.0.0/8"));
        assertThat(IpPrefix.of(mapped, 88).toString()).as("short of /96 the mapped range is left").isEqualTo("::ff00:0:0/88");
        assertThat(IpPrefix.of(IpAddress.parse("100.64.7.9"), 10).toString()).isEqualTo("100.64.0.0/10");
        assertThat(IpPrefix.host(IpAddress.parse("2001:db8::1")).length()).isEqualTo(128);
        assertThatThrownBy(() -> IpPrefix.of(IpAddress.parse("10.0.0.1"), 33))
                .hasMessage("prefix length 33 out of range for 32 bits");
    }

    @Test
    void containsComparesTheNetworkBitsOnly() {
        IpPrefix p = IpPrefix.parse("2001:db8::/33");
        assertThat(p.contains(IpAddress.parse("2001:db8:7fff::1"))).isTrue();
        assertThat(p.contains(IpAddress.parse("2001:db8:8000::1"))).isFalse();
        for (int length = 0; length <= 128; length++) {
            IpPrefix q = IpPrefix.of(IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), length);
            assertThat(q.contains(IpAddress.parse("::"))).as("/%d", length).isEqualTo(length == 0);
            assertThat(q.length()).isEqualTo(length);
            assertThat(IpPrefix.parse(q.toString())).isEqualTo(q);
        }
        for (int length = 0; length <= 32; length++) {
            IpPrefix q = IpPrefix.of(IpAddress.parse("255.255.255.255"), length);
            assertThat(q.contains(IpAddress.parse("0.0.0.0"))).as("/%d", length).isEqualTo(length == 0);
            assertThat(IpPrefix.parse(q.toString())).isEqualTo(q);
        }
    }
}
