package org.trapline.evidence.policy.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;

import org.trapline.attribution.coa.SessionTarget;
import org.trapline.evidence.policy.Enforcement;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trapline confirm ID [--by USER]}: approve a pending action and carry it out now. Exit 0 when it
 * was carried out (the printed state says whether the NAS ACKed), 1 for no such action, 2 when it is
 * not pending.
 */
@Command(name = "confirm", mixinStandardHelpOptions = true, description = "Approve a pending action and carry it out now.")
public final class ConfirmCommand extends PolicyCommand {

    @Parameters(paramLabel = "ID", description = "Action id (see: trapline actions --pending).")
    long id;

    @Option(names = "--by", paramLabel = "USER", description = "Staff user recorded in the journal (default: login name).")
    String by = defaultStaff();

    public ConfirmCommand(Supplier<Properties> settings, Supplier<Path> dataDir) {
        this(settings, dataDir, s -> Optional.empty(), Clock.systemUTC());
    }

    public ConfirmCommand(Supplier<Properties> settings, Supplier<Path> dataDir,
                          Function<String, Optional<SessionTarget>> currentSession, Clock clock) {
        super(settings, dataDir, currentSession, clock);
    }

    @Override
    int run(Enforcement enforcement) {
        return decide(id, () -> enforcement.enforcer().confirm(id, by));
    }
}
