package org.trapline.evidence.cli;

import static org.trapline.common.TerminalText.safe;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.PurgeReport;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trapline purge --retention | --older-than DAYS | --subscriber NAME --reason TEXT --yes}:
 * removes evidence, always journaled.
 */
@Command(mixinStandardHelpOptions = true, name = "purge", description = {"Remove evidence (journaled).",
        "--retention drops raw bodies older than evidence.retention.raw-days (hit rows stay);",
        "--older-than DAYS does the same with an explicit age;",
        "--subscriber NAME removes that subscriber's hits, index entries and raw messages no one else shares."})
public final class PurgeCommand extends StoreCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--retention", description = "Apply the configured retention age.")
        boolean retention;

        @Option(names = "--older-than", paramLabel = "DAYS", description = "Drop raw bodies of hits older than DAYS days.")
        Integer days;

        @Option(names = "--subscriber", paramLabel = "NAME", description = "Remove everything kept about this subscriber.")
        String subscriber;
    }

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the journal); required with --subscriber.")
    String reason;

    @Option(names = "--actor", paramLabel = "WHO", description = "Who asked (default: cli:<login name>).")
    String actor;

    @Option(names = "--yes", description = "Really remove a subscriber's data (without it nothing is touched).")
    boolean yes;

    private final PurgeWitness witness;

    /** @param witness told of each purge once it is done */
    public PurgeCommand(Supplier<EvidenceStore> store, PurgeWitness witness) {
        super(store);
        this.witness = witness;
    }

    @Override
    protected int run(EvidenceStore store) {
        String who = actor != null && !actor.isBlank() ? actor : "cli:" + System.getProperty("user.name", "unknown");
        PurgeReport report;
        if (what.subscriber != null) {
            long hits = store.caseSummary(what.subscriber).hits();
            if (hits == 0) {
                err().println("no trap hits for subscriber " + safe(what.subscriber));
                return NOT_FOUND;
            }
            if (reason == null || reason.isBlank()) {
                err().println("--subscriber needs --reason TEXT (it goes into the journal)");
                return BAD_INPUT;
            }
            if (!yes) {
                err().println("would remove " + hits + " hits of " + safe(what.subscriber) + "; add --yes to do it");
                return BAD_INPUT;
            }
            report = store.purgeSubscriber(what.subscriber, who, reason);
            witness.purged(who, "subscriber:" + what.subscriber, reason.strip(), report);
            out().printf("removed %d hits of %s, %d raw messages erased (journal entry %d)%n", report.hits(), safe(what.subscriber),
                    report.rawMessagesErased(), report.journalId());
        } else {
            if (what.days != null) {
                if (what.days < 1) {
                    err().println("--older-than needs at least 1 day");
                    return BAD_INPUT;
                }
                report = store.purgeRawOlderThan(Instant.now().minus(Duration.ofDays(what.days)), who);
                witness.purged(who, "older-than:" + what.days, reason == null ? "" : reason.strip(), report);
            } else {
                if (store.settings().rawRetention().isZero()) {
                    err().println("evidence.retention.raw-days is 0 (keep forever): set it in trapline.properties or use --older-than DAYS");
                    return BAD_INPUT;
                }
                report = store.purgeExpiredRaw(who);
                witness.purged(who, "retention", reason == null ? "" : reason.strip(), report);
            }
            out().printf("dropped raw bodies of %d hits, %d raw messages erased (journal entry %d)%n", report.hits(),
                    report.rawMessagesErased(), report.journalId());
        }
        out().flush();
        return OK;
    }
}
