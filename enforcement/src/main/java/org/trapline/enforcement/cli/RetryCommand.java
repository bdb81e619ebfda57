package org.trapline.enforcement.cli;

import java.util.function.Supplier;

import org.trapline.enforcement.Enforcement;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trapline retry ID [--by USER]}: carry out a FAILED action again (a NAK, a timeout, a missing
 * CoA secret), typically once the settings are fixed. The retry is a new action naming the failed one,
 * which stays in the journal as it was. Exit 0 when it was carried out (the printed state says whether
 * the NAS ACKed), 1 for no such action, 2 when it cannot be retried.
 */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Carry out a failed action again, as a new action; the failed one stays in the journal.")
public final class RetryCommand extends PolicyCommand {

    @Parameters(paramLabel = "ID", description = "Action id of a FAILED action (see: trapline actions).")
    long id;

    @Option(names = "--by", paramLabel = "USER", description = "Staff user recorded in the journal (default: login name).")
    String by = defaultStaff();

    public RetryCommand(Supplier<Enforcement> enforcement) {
        super(enforcement);
    }

    @Override
    int run(Enforcement enforcement) {
        return decide(id, () -> enforcement.enforcer().retry(id, by));
    }
}
