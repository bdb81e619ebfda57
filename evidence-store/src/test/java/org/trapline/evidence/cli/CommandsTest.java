package org.trapline.evidence.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.common.CliRun;
import org.trapline.evidence.EvidenceSettings;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.PurgeReport;
import org.trapline.evidence.TwoHitsOfAlice;

import picocli.CommandLine;

/** The evidence store's maintenance commands; what staff read (search, show, export) is tested with the desk. */
class CommandsTest {
    @TempDir
    Path data;
    final Properties conf = new Properties();

    @BeforeEach
    void fill() {
        TwoHitsOfAlice.record(data);
    }

    EvidenceStore store;
    /** What the purge witness was told: actor, scope, reason, hits. */
    final List<String> purges = new ArrayList<>();

    void purged(String actor, String scope, String reason, PurgeReport report) {
        purges.add(actor + " " + scope + " " + reason + " " + report.hits());
    }

    /** The store as the process owning the data directory hands it to a command: opened once per run, with the settings then. */
    EvidenceStore store() {
        if (store == null) {
            store = EvidenceStore.open(data, Clock.systemUTC(), EvidenceSettings.from(conf));
        }
        return store;
    }

    CliRun run(Object command, String... args) {
        try {
            return CliRun.of(command, args);
        } finally {
            closeStore();
        }
    }

    private void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    @Test
    void reindexShowsProgress() {
        CliRun r = run(new ReindexCommand(this::store));
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("100% 2/2");
        assertThat(r.out()).contains("reindexed 2 hits");
        // search --json is the desk's now; the reindexed index answers the same question here
        try {
            assertThat(store().search("", 0, 0).total()).isEqualTo(2);
        } finally {
            closeStore();
        }
    }

    @Test
    void purgeNeedsReasonAndYes() {
        assertThat(run(new PurgeCommand(this::store, this::purged), "--subscriber", "alice").exit()).isEqualTo(2);
        CliRun dry = run(new PurgeCommand(this::store, this::purged), "--subscriber", "alice", "--reason", "test");
        assertThat(dry.exit()).isEqualTo(2);
        assertThat(dry.err()).contains("would remove 2 hits");
        assertThat(purges).as("nothing removed, nobody told").isEmpty();
        CliRun done = run(new PurgeCommand(this::store, this::purged), "--subscriber", "alice", "--reason", "test", "--yes", "--actor", "jo");
        assertThat(done.exit()).isZero();
        assertThat(done.out()).contains("removed 2 hits");
        try (EvidenceStore after = EvidenceStore.open(data, Clock.systemUTC())) {
            assertThat(after.caseSummary("alice").hits()).isZero();
        }
        assertThat(purges).containsExactly("jo subscriber:alice test 2");
        assertThat(run(new PurgeCommand(this::store, this::purged), "--retention").exit()).isEqualTo(2);
        conf.setProperty("evidence.retention.raw-days", "1");
        assertThat(run(new PurgeCommand(this::store, this::purged), "--retention").exit()).isZero();
        assertThat(purges).hasSize(2).last().asString().contains(" retention ");
    }

    @Test
    void allCommandsAreRegistrable() {
        CommandLine root = new CommandLine(new Root());
        EvidenceCommands.all(this::store, PurgeWitness.NONE).forEach(root::addSubcommand);
        assertThat(root.getSubcommands().keySet()).containsExactly("reindex", "purge");
    }

    @CommandLine.Command(name = "trapline")
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }
}
