package org.trapline.desk.cli;

import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.ActionView;
import org.trapline.enforcement.StaffAct;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code trapline retry ID [--reason TEXT] [--by USER]}: carry out a FAILED action again (a NAK, a timeout, a missing
 * CoA secret), typically once the settings are fixed. The retry is a new action naming the failed one,
 * which stays in the journal as it was.
 */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Carry out a failed action again, as a new action; the failed one stays in the journal.")
public final class RetryCommand extends DecisionCommand {

    @Parameters(paramLabel = "ID", description = "Action id of a FAILED action (see: trapline actions).")
    long id;

    public RetryCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    ActionView decide(Desk desk, StaffAct act) {
        return desk.retry(id, act);
    }

    @Override
    boolean needsReason() {
        return false;
    }
}
