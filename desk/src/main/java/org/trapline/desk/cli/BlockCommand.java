package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.time.Duration;
import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.ActionView;
import org.trapline.desk.view.BlockView;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trapline block SUBSCRIBER --reason TEXT [--for DURATION] [--by USER]}: block a subscriber by
 * hand and fence their current session now; {@code unblock} lifts it. Exit 2 without a reason or when the
 * account is suspended already.
 */
@Command(name = "block", mixinStandardHelpOptions = true,
        description = "Block a subscriber by hand and fence their current session now.")
public final class BlockCommand extends DeskCommand {

    @Parameters(paramLabel = "SUBSCRIBER", description = "Subscriber id as attribution names it.")
    String subscriber;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required), kept in the journal and the audit.")
    String reason = "";

    @Option(names = "--for", paramLabel = "DURATION",
            description = "How long (ISO-8601, e.g. PT2H); default: the block the next strike would earn.")
    Duration length;

    @Option(names = "--by", paramLabel = "USER", description = "Staff user recorded in the journal (default: login name).")
    String by = defaultStaff();

    public BlockCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    int run(Desk desk) {
        if (!hasReason(reason)) {
            return BAD_INPUT;
        }
        BlockView done = desk.block(subscriber, act(by, reason), length);
        out().println("blocked " + safe(done.subscriber()) + " until " + TIME.format(done.standing().status().blockedUntil()));
        if (done.actions().isEmpty()) {
            out().println("no session to fence now (fenced already, or not online): the next hit's session is fenced");
        }
        for (ActionView a : done.actions()) {
            out().print(ActionText.details(a.action()));
        }
        out().flush();
        return OK;
    }
}
