package org.trapline.server.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Supplier;

import org.trapline.server.DataAccess;
import org.trapline.server.Instance;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code trapline} root command. {@code --conf} and {@code --data} are inherited by every
 * subcommand, so any command can be pointed at another installation, and tests can run several side by
 * side. What the subcommands run against (settings, stores, streams) comes from the {@link CommandContext}.
 */
@Command(name = "trapline", mixinStandardHelpOptions = true, version = "Trapline 0.1",
        description = "Spamtrap MX for Internet providers: trace trap hits to subscribers, keep evidence, act at the NAS.")
public final class TraplineCommand {
    @Option(names = "--conf", paramLabel = "DIR", scope = ScopeType.INHERIT,
            defaultValue = "${sys:trapline.conf:-conf}",
            description = "Configuration directory (trapline.properties and James's XML files). Default: ${DEFAULT-VALUE}")
    Path confDir;

    @Option(names = "--data", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Data directory (spool, databases, raw messages, index). Default: data.dir of the conf directory.")
    Path dataDir;

    private final CommandContext context;

    public TraplineCommand(CommandContext context) {
        this.context = context;
    }

    /** The installation the options name; read when a subcommand runs, after parsing. */
    public Instance instance() {
        return Instance.of(confDir, dataDir);
    }

    public Supplier<Properties> settings() {
        return () -> context.settings(instance());
    }

    public Supplier<Path> dataDirectory() {
        return () -> instance().dataDir();
    }

    /** The stores of the data directory, for commands that read or change evidence, sessions or policy. */
    public Supplier<DataAccess> data() {
        return () -> context.data(instance());
    }

    public Supplier<InputStream> stdin() {
        return context::stdin;
    }

    public Supplier<OutputStream> stdout() {
        return context::stdout;
    }

    public CommandContext context() {
        return context;
    }
}
