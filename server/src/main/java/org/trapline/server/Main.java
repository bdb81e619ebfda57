package org.trapline.server;

import java.io.PrintWriter;
import java.time.Clock;

import org.trapline.attribution.cli.ImportDetailCommand;
import org.trapline.attribution.cli.WhoCommand;
import org.trapline.evidence.cli.EvidenceCommands;
import org.trapline.evidence.policy.cli.AclCommand;
import org.trapline.evidence.policy.cli.ActionsCommand;
import org.trapline.evidence.policy.cli.ConfirmCommand;
import org.trapline.evidence.policy.cli.DismissCommand;
import org.trapline.evidence.policy.cli.UnblockCommand;
import org.trapline.origin.cli.ReceivedCommand;
import org.trapline.origin.cli.TraceCommand;
import org.trapline.server.cli.RunCommand;
import org.trapline.server.cli.TraplineCommand;

import picocli.CommandLine;

/** Entry point of {@code bin/trapline}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        int code = cl.execute(args);
        // A served "run" returns from within the JVM's shutdown; calling exit there would block forever.
        boolean servedUntilShutdown = code == 0 && cl.getParseResult() != null && cl.getParseResult().subcommand() != null
                && cl.getParseResult().subcommand().commandSpec().userObject() instanceof RunCommand;
        if (!servedUntilShutdown) {
            System.exit(code);
        }
    }

    /** The full command tree; tests run commands in-process through it. */
    public static CommandLine commandLine() {
        TraplineCommand root = new TraplineCommand();
        CommandLine cl = new CommandLine(root);
        cl.addSubcommand(new RunCommand(root));
        cl.addSubcommand(new ReceivedCommand(root.settings(), root.dataDirectory()));
        cl.addSubcommand(new TraceCommand(root.settings(), root.dataDirectory()));
        cl.addSubcommand(new WhoCommand(root.settings(), root.dataDirectory()));
        cl.addSubcommand(new ImportDetailCommand(root.settings(), root.dataDirectory()));
        EvidenceCommands.all(root.settings(), root.dataDirectory()).forEach(cl::addSubcommand);
        cl.addSubcommand(new ActionsCommand(root.settings(), root.dataDirectory()));
        cl.addSubcommand(new ConfirmCommand(root.settings(), root.dataDirectory(), root.currentSessions(), Clock.systemUTC()));
        cl.addSubcommand(new DismissCommand(root.settings(), root.dataDirectory()));
        cl.addSubcommand(new UnblockCommand(root.settings(), root.dataDirectory(), root.currentSessions(), Clock.systemUTC()));
        cl.addSubcommand(new AclCommand(root.settings(), root.dataDirectory()));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof ConfigurationException) {
                err.println("trapline: " + ex.getMessage());
                return 2;
            }
            err.println("trapline: " + ex);
            return 1;
        });
        return cl;
    }
}
