package org.trapline.enforcement.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.enforcement.AclExport;
import org.trapline.enforcement.Enforcement;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trapline acl --format cisco|mikrotik|nftables}: the addresses blocked right now as router
 * configuration, for the network engineers' config management. Handed the enforcement of the data
 * directory by whoever owns it, never closed here. Exit 0 done, 2 for an unknown format.
 */
@Command(name = "acl", mixinStandardHelpOptions = true,
        description = "Print the addresses blocked right now as a Cisco IOS ACL, MikroTik address-list script or nftables set.")
public final class AclCommand implements Callable<Integer> {

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "cisco, mikrotik or nftables")
    String format;

    @Spec
    CommandSpec spec;

    private final Supplier<Enforcement> enforcement;
    private final Clock clock;

    public AclCommand(Supplier<Enforcement> enforcement, Clock clock) {
        this.enforcement = enforcement;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        AclExport.Format f;
        try {
            f = AclExport.Format.parse(format);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("trapline: " + e.getMessage());
            return 2;
        }
        Enforcement e = enforcement.get();
        out.print(AclExport.render(f, e.settings().aclName(), e.enforcer().blockedAddresses(), clock.instant()));
        out.flush();
        return 0;
    }
}
