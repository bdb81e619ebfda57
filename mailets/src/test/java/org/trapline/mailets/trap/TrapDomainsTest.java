package org.trapline.mailets.trap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrapDomainsTest {
    final TrapDomains traps = TrapDomains.parse(" Trap.Example.NET , spamtrap.example.org.,, ");

    @Test
    void parsesNormalisedDomains() {
        assertThat(traps.domains()).containsExactlyInAnyOrder("trap.example.net", "spamtrap.example.org");
    }

    @Test
    void anyPlainLocalPartIsATrap() {
        assertThat(traps.check("anything", "trap.example.net")).isEmpty();
        assertThat(traps.check("first.last+tag", "TRAP.EXAMPLE.NET.")).isEmpty();
    }

    @Test
    void otherDomainsAndLookalikesAreNot() {
        assertThat(traps.check("a", "example.net")).contains(TrapDomains.Refusal.NOT_A_TRAP_DOMAIN);
        assertThat(traps.check("a", "sub.trap.example.net")).contains(TrapDomains.Refusal.NOT_A_TRAP_DOMAIN);
        assertThat(traps.check("a", "trap.example.net.evil.example")).contains(TrapDomains.Refusal.NOT_A_TRAP_DOMAIN);
    }

    @Test
    void localPartsCarryingASecondHopAreRefused() {
        for (String lp : new String[] {"user%other.example", "user@other.example", "other!user", "@a:b"}) {
            assertThat(traps.check(lp, "trap.example.net")).as(lp).contains(TrapDomains.Refusal.ROUTING_IN_LOCAL_PART);
        }
    }
}
