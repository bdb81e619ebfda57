package org.trapline.enforcement.cli;

import java.time.Clock;
import java.util.function.Supplier;

import org.trapline.enforcement.AclExport;
import org.trapline.enforcement.Enforcement;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trapline acl --format cisco|mikrotik|nftables}: the addresses blocked right now as router configuration. */
@Command(name = "acl", mixinStandardHelpOptions = true,
        description = "Print the addresses blocked right now as a Cisco IOS ACL, MikroTik address-list script or nftables set.")
public final class AclCommand extends PolicyCommand {

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "cisco, mikrotik or nftables")
    String format;

    private final Clock clock;

    public AclCommand(Supplier<Enforcement> enforcement, Clock clock) {
        super(enforcement);
        this.clock = clock;
    }

    @Override
    int run(Enforcement enforcement) {
        AclExport.Format f;
        try {
            f = AclExport.Format.parse(format);
        } catch (IllegalArgumentException e) {
            err().println("trapline: " + e.getMessage());
            return BAD_INPUT;
        }
        out().print(AclExport.render(f, enforcement.settings().aclName(), enforcement.enforcer().blockedAddresses(), clock.instant()));
        out().flush();
        return OK;
    }
}
