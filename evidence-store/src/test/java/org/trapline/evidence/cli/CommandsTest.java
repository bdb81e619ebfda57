package org.trapline.evidence.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.common.CliRun;
import org.trapline.evidence.EvidenceSettings;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.TrapHit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

public class CommandsTest {
    @TempDir
    Path data;
    final Properties conf = new Properties();
    long first;
    long second;
    static final byte[] FIRST = ("From someone Sat Jan  1 00:00:00 2000\r\nFrom: Spammer <s@spam.example>\r\nSubject: Cheap \u001b[31mred\u001b[0m pills\r\n\r\n"
            + "Buy pills at http://pills.example/\r\nFrom here on it is body text\r\n>From quoted already\r\n").getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] SECOND = "Subject: Second\r\n\r\nanother message".getBytes(StandardCharsets.US_ASCII);

    @BeforeEach
    void fill() {
        long[] ids = recordTwoHitsOfAlice(data);
        first = ids[0];
        second = ids[1];
    }

    /** Two hits of subscriber alice in two sessions on two days, as the command tests of this and other modules use them. */
    public static long[] recordTwoHitsOfAlice(Path data) {
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            long first = store.record(TrapHit.of("i1", Instant.parse("2026-11-20T03:12:00Z"), "s@spam.example", List.of("a@trap.example.net"))
                    .withOrigin("198.51.100.7", null, null).withAttribution("MATCHED", "alice", "S-1", "10.0.0.1")
                    .withTrace("{\"origin\":{\"ip\":\"198.51.100.7\"}}"), FIRST).hitId();
            long second = store.record(TrapHit.of("i2", Instant.parse("2026-11-21T04:00:00Z"), "", List.of("b@trap.example.net"))
                    .withAttribution("MATCHED", "alice", "S-2", "10.0.0.1"), SECOND).hitId();
            return new long[] {first, second};
        }
    }

    EvidenceStore store;

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
            if (store != null) {
                store.close();
                store = null;
            }
        }
    }

    @Test
    void searchJsonHasTheDocumentedShape() throws Exception {
        CliRun r = run(new SearchCommand(this::store), "--json", "--limit", "1", "subscriber:alice");
        assertThat(r.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("total").asLong()).isEqualTo(2);
        assertThat(json.get("hits")).hasSize(1);
        JsonNode hit = json.get("hits").get(0);
        assertThat(hit.fieldNames()).toIterable().containsExactly("id", "time", "subscriber", "origin_ip", "trap", "subject", "sha256");
        assertThat(hit.get("id").asLong()).isEqualTo(second);
        assertThat(hit.get("time").asText()).isEqualTo("2026-11-21T04:00:00Z");
        assertThat(hit.get("origin_ip").isNull()).isTrue();
        assertThat(json.has("facets")).isFalse();
    }

    @Test
    void searchTextIsSafeForTerminalsAndFacetsAreListed() {
        CliRun r = run(new SearchCommand(this::store), "--facets", "pills");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("#" + first).contains("alice").contains("198.51.100.7").contains("1 hit")
                .doesNotContain("\u001b").contains("hits per subscriber").contains("pills.example");
        CliRun json = run(new SearchCommand(this::store), "--json", "--facets", "pills");
        assertThat(json.out()).contains("\"facets\"").contains("\"url_domains\"");
    }

    @Test
    void badQueryIsExitTwoWithOneLine() {
        CliRun r = run(new SearchCommand(this::store), "ip:300.1.1.1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("bad query: ip:").doesNotContain("\n");
    }

    @Test
    void hostileQueriesAreExitTwoWithOneLine() {
        String deep = "(".repeat(3_000) + "pills" + ")".repeat(3_000);
        String wide = String.join(" OR ", java.util.Collections.nCopies(5_000, "pills"));
        for (String[] query : new String[][] {
                {deep, "bad query: query nests deeper than 100 parentheses"},
                {wide, "bad query: query has more than 1024 terms"},
                {"sbject:pills", "bad query: unknown field \"sbject\"; did you mean \"subject\"?"},
                {"foo:bar", "bad query: unknown field \"foo\"; did you mean \"from\"?"}}) {
            CliRun r = run(new SearchCommand(this::store), query[0]);
            assertThat(r.exit()).as(query[1]).isEqualTo(2);
            assertThat(r.err().strip()).startsWith(query[1]).doesNotContain("\n").doesNotContain("Exception").doesNotContain("Error");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void showPrintsMetadataAndTrace() {
        CliRun r = run(new ShowCommand(this::store), Long.toString(first));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("alice").contains("S-1").contains("s@spam.example").contains("http://pills.example/")
                .contains("\"ip\" : \"198.51.100.7\"").doesNotContain("\u001b");
        assertThat(run(new ShowCommand(this::store), "999").exit()).isEqualTo(1);
        assertThat(run(new ShowCommand(this::store), "abc").exit()).isEqualTo(2);
    }

    @Test
    void exportWritesTheExactBytes() throws Exception {
        Path eml = data.resolve("one.eml");
        assertThat(run(new ExportCommand(this::store, () -> System.out), Long.toString(first), "-o", eml.toString()).exit()).isZero();
        assertThat(Files.readAllBytes(eml)).isEqualTo(FIRST);
        assertThat(run(new ExportCommand(this::store, () -> System.out), Long.toString(first), "-o", eml.toString()).exit()).isEqualTo(2);

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        assertThat(run(new ExportCommand(this::store, () -> stdout), Long.toString(second)).exit()).isZero();
        assertThat(stdout.toByteArray()).isEqualTo(SECOND);
        assertThat(run(new ExportCommand(this::store, () -> System.out), "424242").exit()).isEqualTo(1);
    }

    @Test
    void caseExportIsAnMboxWithQuotedFromLines() throws Exception {
        Path mbox = data.resolve("alice.mbox");
        CliRun r = run(new ExportCommand(this::store, () -> System.out), "--case", "alice", "-o", mbox.toString());
        assertThat(r.exit()).isZero();
        String text = Files.readString(mbox, StandardCharsets.ISO_8859_1);
        assertThat(text.split("\n")).filteredOn(l -> l.startsWith("From ")).hasSize(2);
        assertThat(text).startsWith("From s@spam.example Fri Nov 20 03:12:00 2026\n")
                .contains("\n>From someone").contains("\n>From here on").contains("\n>>From quoted")
                .contains("\nFrom MAILER-DAEMON Sat Nov 21 04:00:00 2026\n");
        assertThat(run(new ExportCommand(this::store, () -> System.out), "--case", "nobody", "-o", data.resolve("x").toString()).exit())
                .isEqualTo(1);
    }

    @Test
    void reindexShowsProgress() {
        CliRun r = run(new ReindexCommand(this::store));
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("100% 2/2");
        assertThat(r.out()).contains("reindexed 2 hits");
        assertThat(run(new SearchCommand(this::store), "--json", "").out()).contains("\"total\":2");
    }

    @Test
    void purgeNeedsReasonAndYes() {
        assertThat(run(new PurgeCommand(this::store), "--subscriber", "alice").exit()).isEqualTo(2);
        CliRun dry = run(new PurgeCommand(this::store), "--subscriber", "alice", "--reason", "test");
        assertThat(dry.exit()).isEqualTo(2);
        assertThat(dry.err()).contains("would remove 2 hits");
        CliRun done = run(new PurgeCommand(this::store), "--subscriber", "alice", "--reason", "test", "--yes", "--actor", "jo");
        assertThat(done.exit()).isZero();
        assertThat(done.out()).contains("removed 2 hits");
        try (EvidenceStore after = EvidenceStore.open(data, Clock.systemUTC())) {
            assertThat(after.caseSummary("alice").hits()).isZero();
        }
        assertThat(run(new PurgeCommand(this::store), "--retention").exit()).isEqualTo(2);
        conf.setProperty("evidence.retention.raw-days", "1");
        assertThat(run(new PurgeCommand(this::store), "--retention").exit()).isZero();
    }

    @Test
    void allCommandsAreRegistrable() {
        CommandLine root = new CommandLine(new Root());
        EvidenceCommands.all(this::store, () -> System.out).forEach(root::addSubcommand);
        assertThat(root.getSubcommands().keySet()).containsExactly("search", "show", "export", "reindex", "purge");
    }

    @CommandLine.Command(name = "trapline")
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }
}
