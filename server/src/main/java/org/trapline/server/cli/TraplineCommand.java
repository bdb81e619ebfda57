package org.trapline.server.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;

import org.trapline.attribution.coa.SessionTarget;
import org.trapline.attribution.journal.AccountingJournal;
import org.trapline.attribution.journal.JournalSettings;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.session.SessionStore;

import org.trapline.server.Instance;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code trapline} root command. {@code --conf} and {@code --data} are inherited by every
 * subcommand, so any command can be pointed at another installation, and tests can run several side by
 * side.
 */
@Command(name = "trapline", mixinStandardHelpOptions = true, version = "Trapline 0.1",
        description = "Spamtrap MX for Internet providers: trace trap hits to subscribers, keep evidence, act at the NAS.")
public final class TraplineCommand {
    @Option(names = "--conf", paramLabel = "DIR", scope = ScopeType.INHERIT,
            defaultValue = "${sys:trapline.conf:-conf}",
            description = "Configuration directory (trapline.properties and James's XML files). Default: ${DEFAULT-VALUE}")
    Path confDir;

    @Option(names = "--data", paramLabel = "DIR", scope = ScopeType.INHERIT, defaultValue = "data",
            description = "Data directory (spool, databases, raw messages, index). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    /** The installation the options name; read when a subcommand runs, after parsing. */
    public Instance instance() {
        return new Instance(confDir, dataDir);
    }

    public Supplier<Properties> settings() {
        return () -> instance().settings();
    }

    public Supplier<Path> dataDirectory() {
        return () -> instance().dataDir();
    }

    /**
     * For staff decisions taken from the command line: the session a CoA for this subscriber goes to
     * now (a NAK 503 is re-targeted there), read from the session store, also while the server runs.
     */
    public Function<String, Optional<SessionTarget>> currentSessions() {
        return subscriber -> {
            Properties settings = instance().settings();
            try (SessionStore store = SessionStore.open(instance().dataDir())) {
                // Accounting acknowledged but not yet in the store must count: apply it (server down) or wait for it.
                JournalSettings journal = JournalSettings.from(settings);
                AccountingJournal.bringUpToDate(instance().dataDir(), journal, store, journal.freshnessTimeout());
                return AttributionLookup.create(store, LookupSettings.from(settings)).currentSession(subscriber, Instant.now());
            }
        };
    }
}
