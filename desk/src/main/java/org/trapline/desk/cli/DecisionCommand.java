package org.trapline.desk.cli;

import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.ActionView;
import org.trapline.enforcement.StaffAct;

import picocli.CommandLine.Option;

/**
 * A staff decision on one action of the journal: it names the staff member and why, and prints the action
 * as it ended up. Exit 0 when it was carried out (the printed state says whether the NAS ACKed), 1 for no
 * such action, 2 when the action's state does not allow it or a reason it needs is missing.
 */
abstract class DecisionCommand extends DeskCommand {
    @Option(names = "--by", paramLabel = "USER", description = "Staff user recorded in the journal (default: login name).")
    String by = defaultStaff();

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept in the journal and the audit.")
    String reason = "";

    DecisionCommand(Supplier<Desk> desk) {
        super(desk);
    }

    /** The decision on the desk; the action it returns is printed. */
    abstract ActionView decide(Desk desk, StaffAct act);

    /** Whether the decision must say why. */
    abstract boolean needsReason();

    @Override
    final int run(Desk desk) {
        if (needsReason() && !hasReason(reason)) {
            return BAD_INPUT;
        }
        out().print(ActionText.details(decide(desk, act(by, reason)).action()));
        out().flush();
        return OK;
    }
}
