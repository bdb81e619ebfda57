package org.trapline.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class AclExportTest {

    static final Instant NOW = Instant.parse("2026-03-03T03:00:00Z");

    static List<BlockedAddress> blocks() {
        return List.of(
                new BlockedAddress("10.0.9.77", "alice", NOW.plus(Duration.ofMinutes(90))),
                new BlockedAddress("2001:db8::25", "shop-6", NOW.plus(Duration.ofSeconds(59, 1))),
                new BlockedAddress("10.0.10.2", "bob", null),
                new BlockedAddress("9.9.9.9", "carol", NOW.plus(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4))),
                new BlockedAddress("10.0.9.77", "alice-old", NOW.plus(Duration.ofMinutes(30))),
                new BlockedAddress("192.0.2.1", "expired", NOW),
                new BlockedAddress("not-an-ip.example", "mallory", null),
                new BlockedAddress("300.1.1.1", "mallory", null));
    }

    @Test
    void ciscoExtendedAcl() {
        assertThat(AclExport.render(AclExport.Format.CISCO, "trapline-smtp-block", blocks(), NOW)).isEqualTo("""
                ! Trapline SMTP block list trapline-smtp-block: 4 addresses, as of 2026-03-03T03:00:00Z
                ! skipped, not an IP address: 300.1.1.1
                ! skipped, not an IP address: not-an-ip.example
                no ip access-list extended trapline-smtp-block
                ip access-list extended trapline-smtp-block
                 deny tcp host 9.9.9.9 any eq smtp
                 deny tcp host 10.0.9.77 any eq smtp
                 deny tcp host 10.0.10.2 any eq smtp
                 permit ip any any
                no ipv6 access-list trapline-smtp-block-v6
                ipv6 access-list trapline-smtp-block-v6
                 deny tcp host 2001:db8::25 any eq smtp
                 permit ipv6 any any
                """);
    }

    @Test
    void mikrotikAddressListWithTimeouts() {
        assertThat(AclExport.render(AclExport.Format.MIKROTIK, "trapline-smtp-block", blocks(), NOW)).isEqualTo("""
                # Trapline SMTP block list trapline-smtp-block: 4 addresses, as of 2026-03-03T03:00:00Z
                # skipped, not an IP address: 300.1.1.1
                # skipped, not an IP address: not-an-ip.example
                /ip firewall address-list
                remove [find where list="trapline-smtp-block" and comment="trapline"]
                add list=trapline-smtp-block address=9.9.9.9 timeout=1d2h3m4s comment="trapline"
                add list=trapline-smtp-block address=10.0.9.77 timeout=1h30m comment="trapline"
                add list=trapline-smtp-block address=10.0.10.2 comment="trapline"
                /ipv6 firewall address-list
                remove [find where list="trapline-smtp-block" and comment="trapline"]
                add list=trapline-smtp-block address=2001:db8::25/128 timeout=1m comment="trapline"
                """);
    }

    @Test
    void nftablesSets() {
        assertThat(AclExport.render(AclExport.Format.NFTABLES, "trapline-smtp-block", blocks(), NOW)).isEqualTo("""
                # Trapline SMTP block list trapline-smtp-block: 4 addresses, as of 2026-03-03T03:00:00Z
                # skipped, not an IP address: 300.1.1.1
                # skipped, not an IP address: not-an-ip.example
                add table inet trapline
                add set inet trapline trapline_smtp_block_v4 { type ipv4_addr; flags timeout; }
                flush set inet trapline trapline_smtp_block_v4
                add element inet trapline trapline_smtp_block_v4 { 9.9.9.9 timeout 1d2h3m4s, 10.0.9.77 timeout 1h30m, 10.0.10.2 }
                add set inet trapline trapline_smtp_block_v6 { type ipv6_addr; flags timeout; }
                flush set inet trapline trapline_smtp_block_v6
                add element inet trapline trapline_smtp_block_v6 { 2001:db8::25 timeout 1m }
                """);
    }

    @Test
    void outputDoesNotDependOnInputOrder() {
        List<BlockedAddress> shuffled = new ArrayList<>(blocks());
        Collections.reverse(shuffled);
        for (AclExport.Format f : AclExport.Format.values()) {
            assertThat(AclExport.render(f, "x", shuffled, NOW)).isEqualTo(AclExport.render(f, "x", blocks(), NOW));
        }
    }

    @Test
    void emptyListStillGivesAValidScript() {
        assertThat(AclExport.render(AclExport.Format.CISCO, "acl", List.of(), NOW)).isEqualTo("""
                ! Trapline SMTP block list acl: 0 addresses, as of 2026-03-03T03:00:00Z
                no ip access-list extended acl
                ip access-list extended acl
                 permit ip any any
                """);
        assertThat(AclExport.render(AclExport.Format.NFTABLES, "acl", List.of(), NOW)).doesNotContain("add element");
    }

    @Test
    void ipv6IsWrittenInItsShortForm() throws Exception {
        for (String[] c : new String[][] {{"2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, {"::1", "::1"},
                {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, {"fe80::", "fe80::"}, {"1:0:0:2:0:0:0:3", "1:0:0:2::3"}}) {
            assertThat(AclExport.compact(java.net.InetAddress.getByName(c[0]).getAddress())).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void unknownFormatSaysWhatToUse() {
        assertThatThrownBy(() -> AclExport.Format.parse("juniper")).hasMessageContaining("cisco, mikrotik or nftables");
        assertThat(AclExport.Format.parse(" MikroTik ")).isEqualTo(AclExport.Format.MIKROTIK);
    }
}
