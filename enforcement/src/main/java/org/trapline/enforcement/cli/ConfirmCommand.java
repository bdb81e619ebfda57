package org.trapline.enforcement.cli;

import java.util.function.Supplier;

import org.trapline.enforcement.Enforcement;

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

    public ConfirmCommand(Supplier<Enforcement> enforcement) {
        super(enforcement);
    }

    @Override
    int run(Enforcement enforcement) {
        return decide(id, () -> enforcement.enforcer().confirm(id, by));
    }
}
