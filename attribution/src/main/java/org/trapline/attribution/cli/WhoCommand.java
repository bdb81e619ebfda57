package org.trapline.attribution.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.attribution.address.Addresses;
import org.trapline.attribution.journal.AccountingJournal;
import org.trapline.attribution.journal.JournalSettings;
import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.lookup.AttributionJson;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.AttributionStatus;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.session.SessionStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trapline who IP [--at ISO-8601]}: which subscriber held an address, as JSON. */
@Command(name = "who", mixinStandardHelpOptions = true,
        description = {"Print which subscriber held an address at an instant, as JSON with \"status\" "
                + "(MATCHED, AMBIGUOUS, NO_SESSION, NOT_OURS, STATIC) and \"subscriber\" (null when none).",
                "Exit 0 when someone (or several candidates) held it, 1 when nobody did, 2 for bad input."})
public final class WhoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IP", description = "IPv4 or IPv6 address (IPv4-mapped IPv6 is read as IPv4)")
    String ip;

    @Option(names = "--at", paramLabel = "ISO-8601",
            description = "instant, e.g. 2025-11-23T12:13:20Z or 2025-11-23T13:13:20+01:00 (default: now)")
    String at;

    private final Supplier<Properties> settings;
    private final Supplier<Path> dataDir;

    public WhoCommand(Supplier<Properties> settings, Supplier<Path> dataDir) {
        this.settings = settings;
        this.dataDir = dataDir;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InetAddress address;
        Instant instant;
        try {
            address = Addresses.parseLiteral(ip);
            instant = at == null ? Instant.now() : parseInstant(at);
        } catch (IllegalArgumentException e) {
            err.println("who: " + e.getMessage());
            err.flush();
            return 2;
        }
        LookupSettings lookupSettings;
        JournalSettings journalSettings;
        try {
            lookupSettings = LookupSettings.from(settings.get());
            journalSettings = JournalSettings.from(settings.get());
        } catch (IllegalArgumentException e) {
            err.println("who: bad setting " + e.getMessage());
            err.flush();
            return 2;
        }
        try (SessionStore store = SessionStore.open(dataDir.get())) {
            catchUp(store, journalSettings, err);
            Attribution a = AttributionLookup.create(store, lookupSettings).lookup(address, instant);
            out.println(AttributionJson.toJson(a));
            out.flush();
            return a.status() == AttributionStatus.NO_SESSION || a.status() == AttributionStatus.NOT_OURS ? 1 : 0;
        }
    }

    /**
     * Accounting acknowledged by a server may still be in its journal: applied here if the server is
     * down, waited for if it runs. Either way the answer covers every acknowledged record, or says it may not.
     */
    private void catchUp(SessionStore store, JournalSettings journalSettings, PrintWriter err) {
        try {
            AccountingJournal.CatchUp c = AccountingJournal.bringUpToDate(dataDir.get(), journalSettings, store,
                    journalSettings.freshnessTimeout());
            if (c == AccountingJournal.CatchUp.SERVER_BEHIND) {
                err.println("who: warning: the running server has not yet stored all accounting it acknowledged; "
                        + "the answer may miss the newest records");
            }
        } catch (RuntimeException e) {
            err.println("who: warning: cannot apply the accounting journal (" + e.getMessage() + "); the answer may miss the newest records");
        }
        err.flush();
    }

    static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("--at '" + text + "' is not an ISO-8601 instant with zone, e.g. 2025-11-23T12:13:20Z");
            }
        }
    }
}
