package org.trapline.desk.cli;

import java.io.OutputStream;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.reports.out.Reporter;

/**
 * The staff commands for the {@code trapline} root command, in help order: search, show, export, case,
 * actions, confirm, dismiss, retry, block, unblock, brake, audit. Maintenance stays with the module it maintains
 * (reindex and purge with the evidence store, acl with enforcement).
 */
public final class DeskCommands {
    private DeskCommands() {
    }

    /**
     * @param desk   the desk over the data directory's stores
     * @param stdout standard output as bytes, for raw exports
     */
    public static List<Object> all(Supplier<Desk> desk, Supplier<OutputStream> stdout) {
        return all(desk, stdout, () -> Reporter.from(new Properties()));
    }

    /** @param reporter who signs exported ARF and XARF reports ({@code report.out.*} settings) */
    public static List<Object> all(Supplier<Desk> desk, Supplier<OutputStream> stdout, Supplier<Reporter> reporter) {
        return List.of(new SearchCommand(desk), new ShowCommand(desk), new ExportCommand(desk, stdout, reporter), new CaseCommand(desk),
                new ActionsCommand(desk), new ConfirmCommand(desk), new DismissCommand(desk), new RetryCommand(desk),
                new BlockCommand(desk), new UnblockCommand(desk), new BrakeCommand(desk), new AuditCommand(desk));
    }
}
