package org.trapline.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.trapline.attribution.cli.ImportDetailCommand;
import org.trapline.attribution.cli.WhoCommand;
import org.trapline.desk.AuditAct;
import org.trapline.desk.cli.DeskCommands;
import org.trapline.evidence.cli.EvidenceCommands;
import org.trapline.evidence.cli.PurgeWitness;
import org.trapline.enforcement.StaffAct;
import org.trapline.enforcement.cli.AclCommand;
import org.trapline.origin.cli.ReceivedCommand;
import org.trapline.origin.cli.TraceCommand;
import org.trapline.reports.intake.cli.ImportReportCommand;
import org.trapline.reports.out.Reporter;
import org.trapline.server.cli.CheckCommand;
import org.trapline.server.cli.CommandContext;
import org.trapline.server.cli.DeskCommand;
import org.trapline.server.cli.DeskRequestCommand;
import org.trapline.server.cli.LocalContext;
import org.trapline.server.cli.RunCommand;
import org.trapline.server.cli.StatusCommand;
import org.trapline.server.cli.TraplineCommand;
import org.trapline.server.control.ControlClient;
import org.trapline.web.account.UserCommand;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Entry point of {@code bin/trapline}. A command that works on a data directory runs where that
 * directory's stores are open: when a server owns the directory, inside that server through its
 * control socket; when none does, in this process, which then holds the directory's lock.
 *
 * <p>Exit codes, the same for every command: 0 done (also with an empty result), 1 not found, 2 bad
 * input (usage, settings, a query, a wrong directory), 3 failed (a store, a file or the server).
 */
public final class Main {
    public static final int OK = 0;
    public static final int NOT_FOUND = 1;
    public static final int BAD_INPUT = 2;
    public static final int FAILED = 3;

    /** Commands that run inside the server when one owns the data directory. */
    static final Set<String> LIVE = Set.of("search", "show", "export", "case", "purge", "who", "import-detail", "import-report", "actions",
            "confirm", "dismiss", "unblock", "acl", "retry", "brake", "audit", "status", "user",
            DeskRequestCommand.NAME);
    /** How long a command waits for a data directory another command (or a starting server) holds. */
    private static final long OWNER_WAIT_MILLIS = 60_000;

    private Main() {
    }

    /** A purge is a staff act: entered in the desk's audit beside the evidence store's purge journal. */
    private static PurgeWitness auditedPurges(TraplineCommand root) {
        return (actor, scope, reason, report) -> root.data().get().desk().audit(
                new StaffAct(actor, "cli:" + System.getProperty("user.name", "staff"), reason), AuditAct.PURGE, scope,
                (reason.isEmpty() ? "" : reason + "; ") + report.hits() + " hits, " + report.rawMessagesErased()
                        + " raw messages erased (purge journal entry " + report.journalId() + ")");
    }

    public static void main(String[] args) {
        int code = run(args, System.in, System.out, System.err);
        // A served "run" returns from within the JVM's shutdown; calling exit there would block forever.
        if (code != RunCommand.SERVED_UNTIL_SHUTDOWN) {
            System.exit(code);
        }
    }

    /**
     * Runs one command line as {@code bin/trapline} does: inside the server that owns the data directory,
     * or in this process when none does.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Optional<String> live = liveCommand(args);
        if (live.isEmpty()) {
            return runHere(args, Optional.empty(), in, out, err);
        }
        Instance instance;
        try {
            instance = ((TraplineCommand) commandLine(new LocalContext(Clock.systemUTC(), in, out, Optional.empty()))
                    .parseArgs(args).commandSpec().userObject()).instance();
        } catch (ConfigurationException e) {
            err.println("trapline: " + e.getMessage());
            return BAD_INPUT;
        }
        Path dataDir = instance.dataDir();
        if (!java.nio.file.Files.isDirectory(dataDir)) {
            // The command itself says what is missing.
            return runHere(args, Optional.empty(), in, out, err);
        }
        long started = System.currentTimeMillis();
        boolean told = false;
        while (true) {
            Optional<DataDirLock> lock;
            try {
                lock = DataDirLock.tryAcquire(dataDir);
            } catch (ConfigurationException e) {
                err.println("trapline: " + e.getMessage());
                return FAILED;
            }
            if (lock.isPresent()) {
                return runHere(args, lock, in, out, err);
            }
            try {
                SocketChannel server = ControlClient.connect(dataDir);
                return ControlClient.run(server, List.of(args), Path.of("").toAbsolutePath(), in, out, err);
            } catch (IOException nobodyAnswers) {
                // A command holds the directory, or a server is still taking it: wait for either.
            }
            long waited = System.currentTimeMillis() - started;
            if (waited > OWNER_WAIT_MILLIS) {
                err.println("trapline: " + dataDir + " is held by another process that does not answer on "
                        + dataDir.resolve("control.sock") + "; is a trapline command stuck?");
                return FAILED;
            }
            if (!told && waited > 1000) {
                err.println("trapline: waiting for another trapline process using " + dataDir + " ...");
                told = true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return FAILED;
            }
        }
    }

    /** The subcommand when it is one of {@link #LIVE} and no help was asked for. */
    private static Optional<String> liveCommand(String[] args) {
        try {
            ParseResult parsed = commandLine(new LocalContext(Clock.systemUTC(), InputStream.nullInputStream(),
                    OutputStream.nullOutputStream(), Optional.empty())).parseArgs(args);
            if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested() || !parsed.hasSubcommand()) {
                return Optional.empty();
            }
            ParseResult sub = parsed.subcommand();
            String name = sub.commandSpec().name();
            return LIVE.contains(name) && !sub.isUsageHelpRequested() ? Optional.of(name) : Optional.empty();
        } catch (CommandLine.ParameterException e) {
            return Optional.empty();
        }
    }

    private static int runHere(String[] args, Optional<DataDirLock> lock, InputStream in, PrintStream out, PrintStream err) {
        try (LocalContext context = new LocalContext(Clock.systemUTC(), in, out, lock)) {
            CommandLine cl = commandLine(context);
            PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8));
            cl.setOut(outWriter);
            cl.setErr(errWriter);
            try {
                return cl.execute(args);
            } finally {
                outWriter.flush();
                errWriter.flush();
            }
        }
    }

    /**
     * Runs a client's command line inside the server, for its control socket: the server's settings and
     * stores, the client's streams and working directory.
     */
    public static int runInServer(List<String> argv, Path cwd, InputStream in, OutputStream out, OutputStream err, CommandContext context) {
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8));
        try {
            CommandLine cl = commandLine(context);
            // Paths on the client's command line are relative to where the client runs.
            cl.registerConverter(Path.class, cwd::resolve);
            cl.setOut(outWriter);
            cl.setErr(errWriter);
            String[] args = argv.toArray(String[]::new);
            Optional<String> name = liveCommand(args);
            if (name.isEmpty()) {
                errWriter.println("trapline: the server runs only " + String.join(", ", LIVE.stream().sorted().toList())
                        + "; run the others in their own process");
                return BAD_INPUT;
            }
            return cl.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** The full command tree on one context; tests run commands in-process through it. */
    public static CommandLine commandLine(CommandContext context) {
        TraplineCommand root = new TraplineCommand(context);
        CommandLine cl = new CommandLine(root);
        cl.addSubcommand(new RunCommand(root));
        cl.addSubcommand(new CheckCommand(root));
        cl.addSubcommand(new StatusCommand(() -> root.data().get().server()));
        cl.addSubcommand(new ReceivedCommand(root.settings(), root.dataDirectory(), root.stdin()));
        cl.addSubcommand(new TraceCommand(root.settings(), root.dataDirectory(), root.stdin()));
        cl.addSubcommand(new WhoCommand(() -> root.data().get().attribution(), root.stdin()));
        cl.addSubcommand(new ImportDetailCommand(root.settings(), () -> root.data().get().sessions()));
        cl.addSubcommand(new ImportReportCommand(root.settings(), () -> root.data().get().attribution()));
        DeskCommands.all(() -> root.data().get().desk(), root.stdout(), () -> Reporter.from(root.settings().get())).forEach(cl::addSubcommand);
        EvidenceCommands.all(() -> root.data().get().evidence(), auditedPurges(root)).forEach(cl::addSubcommand);
        cl.addSubcommand(new UserCommand(() -> root.data().get().staff(), () -> root.data().get().desk(), root.stdin()));
        cl.addSubcommand(new DeskCommand(root));
        cl.addSubcommand(new DeskRequestCommand(root.data(), root.stdin(), root.stdout()));
        cl.addSubcommand(new AclCommand(() -> root.data().get().enforcement(), Clock.systemUTC()));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof ConfigurationException) {
                err.println("trapline: " + ex.getMessage());
                err.flush();
                return BAD_INPUT;
            }
            err.println("trapline: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            err.flush();
            return FAILED;
        });
        return cl;
    }

    /** Settings the server's commands run with: its own, whatever conf the client named. */
    public static CommandContext serverContext(Properties settings, DataAccess data, InputStream in, OutputStream out) {
        return new CommandContext() {
            @Override
            public Properties settings(Instance instance) {
                return settings;
            }

            @Override
            public DataAccess data(Instance instance) {
                return data;
            }

            @Override
            public InputStream stdin() {
                return in;
            }

            @Override
            public OutputStream stdout() {
                return out;
            }

            @Override
            public boolean insideServer() {
                return true;
            }
        };
    }
}
