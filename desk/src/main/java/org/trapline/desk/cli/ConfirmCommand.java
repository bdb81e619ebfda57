package org.trapline.desk.cli;

import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.ActionView;
import org.trapline.enforcement.StaffAct;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code trapline confirm ID --reason TEXT [--by USER]}: approve a pending action and carry it out now. */
@Command(name = "confirm", mixinStandardHelpOptions = true, description = "Approve a pending action and carry it out now.")
public final class ConfirmCommand extends DecisionCommand {

    @Parameters(paramLabel = "ID", description = "Action id (see: trapline actions --pending).")
    long id;

    public ConfirmCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    ActionView decide(Desk desk, StaffAct act) {
        return desk.confirm(id, act);
    }

    @Override
    boolean needsReason() {
        return true;
    }
}
