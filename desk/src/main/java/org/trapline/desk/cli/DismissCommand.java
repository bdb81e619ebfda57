package org.trapline.desk.cli;

import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.ActionView;
import org.trapline.enforcement.StaffAct;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code trapline dismiss ID --reason TEXT [--by USER]}: turn a pending action down; nothing is sent. */
@Command(name = "dismiss", mixinStandardHelpOptions = true, description = "Turn a pending action down; nothing is sent.")
public final class DismissCommand extends DecisionCommand {

    @Parameters(paramLabel = "ID", description = "Action id (see: trapline actions --pending).")
    long id;

    public DismissCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    ActionView decide(Desk desk, StaffAct act) {
        return desk.dismiss(id, act);
    }

    @Override
    boolean needsReason() {
        return true;
    }
}
