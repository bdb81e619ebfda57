package org.trapline.enforcement.cli;

import java.util.function.Supplier;

import org.trapline.enforcement.Enforcement;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trapline dismiss ID [--by USER]}: turn a pending action down; nothing is sent. */
@Command(name = "dismiss", mixinStandardHelpOptions = true, description = "Turn a pending action down; nothing is sent.")
public final class DismissCommand extends PolicyCommand {

    @Parameters(paramLabel = "ID", description = "Action id (see: trapline actions --pending).")
    long id;

    @Option(names = "--by", paramLabel = "USER", description = "Staff user recorded in the journal (default: login name).")
    String by = defaultStaff();

    public DismissCommand(Supplier<Enforcement> enforcement) {
        super(enforcement);
    }

    @Override
    int run(Enforcement enforcement) {
        return decide(id, () -> enforcement.enforcer().dismiss(id, by));
    }
}
