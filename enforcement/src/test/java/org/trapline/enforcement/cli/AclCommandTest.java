package org.trapline.enforcement.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.trapline.common.CliRun;

/** {@code acl} runs in-process against a policy database seeded through the enforcer. */
class AclCommandTest extends SeededPolicy {
    @Test
    void aclPrintsTheBlockedFixedAddresses() {
        CliRun cisco = run(new AclCommand(this::enforcement, clock), "--format", "cisco");
        assertThat(cisco.exit()).isZero();
        assertThat(cisco.out()).contains("ip access-list extended trapline-smtp-block", " deny tcp host 192.0.2.25 any eq smtp",
                " permit ip any any").doesNotContain("10.0.9.77");
        CliRun mikrotik = run(new AclCommand(this::enforcement, clock), "--format", "mikrotik");
        assertThat(mikrotik.out()).contains("address=192.0.2.25 timeout=20m"); // 30 min block, 10 min gone

        props.setProperty("acl.include-sessions", "true");
        assertThat(run(new AclCommand(this::enforcement, clock), "--format", "nftables").out())
                .contains("{ 10.0.9.77 timeout 20m, 10.0.9.78 timeout 20m, 192.0.2.25 timeout 20m }");

        CliRun bad = run(new AclCommand(this::enforcement, clock), "--format", "juniper");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("cisco, mikrotik or nftables");
        assertThat(run(new AclCommand(this::enforcement, clock)).exit()).isEqualTo(2);
    }
}
