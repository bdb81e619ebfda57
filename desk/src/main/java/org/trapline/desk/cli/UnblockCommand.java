package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.ActionView;
import org.trapline.desk.view.UnblockView;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trapline unblock SUBSCRIBER --reason TEXT [--by USER]}: lift a block or suspension, reset the strikes,
 * dismiss pending actions and restore the session. Exit 1 when the subscriber has no policy record.
 */
@Command(name = "unblock", mixinStandardHelpOptions = true,
        description = "Lift a subscriber's block or suspension, reset strikes, restore the session.")
public final class UnblockCommand extends DeskCommand {

    @Parameters(paramLabel = "SUBSCRIBER", description = "Subscriber id as attribution names it.")
    String subscriber;

    @Option(names = "--by", paramLabel = "USER", description = "Staff user recorded in the journal (default: login name).")
    String by = defaultStaff();

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required), kept in the journal and the audit.")
    String reason = "";

    public UnblockCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    int run(Desk desk) {
        if (!hasReason(reason)) {
            return BAD_INPUT;
        }
        UnblockView done = desk.unblock(subscriber, act(by, reason));
        out().println("unblocked " + safe(done.subscriber()));
        for (ActionView a : done.actions()) {
            out().print(ActionText.details(a.action()));
        }
        out().flush();
        return OK;
    }
}
