package org.trapline.enforcement.cli;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.trapline.enforcement.ActionRecord;
import org.trapline.enforcement.Enforcement;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trapline unblock SUBSCRIBER [--by USER]}: lift a block or suspension, reset the strikes,
 * dismiss pending actions and restore the session. Exit 1 when the subscriber has no policy record.
 */
@Command(name = "unblock", mixinStandardHelpOptions = true,
        description = "Lift a subscriber's block or suspension, reset strikes, restore the session.")
public final class UnblockCommand extends PolicyCommand {

    @Parameters(paramLabel = "SUBSCRIBER", description = "Subscriber id as attribution names it.")
    String subscriber;

    @Option(names = "--by", paramLabel = "USER", description = "Staff user recorded in the journal (default: login name).")
    String by = defaultStaff();

    public UnblockCommand(Supplier<Enforcement> enforcement) {
        super(enforcement);
    }

    @Override
    int run(Enforcement enforcement) {
        Optional<List<ActionRecord>> done;
        try {
            done = enforcement.enforcer().unblock(subscriber, by);
        } catch (IllegalArgumentException e) {
            err().println("trapline: " + e.getMessage());
            return BAD_INPUT;
        }
        if (done.isEmpty()) {
            err().println("trapline: no strikes or blocks recorded for subscriber " + subscriber);
            return NOT_FOUND;
        }
        out().println("unblocked " + subscriber);
        for (ActionRecord a : done.get()) out().print(details(a));
        out().flush();
        return OK;
    }
}
