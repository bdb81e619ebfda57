package org.trapline.desk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trapline.evidence.TwoHitsOfAlice.FIRST;
import static org.trapline.evidence.TwoHitsOfAlice.SECOND;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.common.CliRun;
import org.trapline.desk.Desk;
import org.trapline.evidence.EvidenceSettings;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.TwoHitsOfAlice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** What staff read of the evidence: search, show, export, run in-process on a desk over two hits of alice. */
class CommandsTest {
    @TempDir
    Path data;
    final Properties conf = new Properties();
    long first;
    long second;

    @BeforeEach
    void fill() {
        long[] ids = TwoHitsOfAlice.record(data);
        first = ids[0];
        second = ids[1];
    }

    EvidenceStore store;

    /** The store as the process owning the data directory hands it to a command: opened once per run, with the settings then. */
    EvidenceStore store() {
        if (store == null) {
            store = EvidenceStore.open(data, Clock.systemUTC(), EvidenceSettings.from(conf));
        }
        return store;
    }

    /** Reading evidence never needs the strike policy. */
    Desk desk() {
        return new Desk(this::store, () -> {
            throw new AssertionError("the evidence commands must not open the policy database");
        }, () -> {
            throw new AssertionError("the evidence commands must not open the casebook");
        }, Clock.systemUTC());
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
        CliRun r = run(new SearchCommand(this::desk), "--json", "--limit", "1", "subscriber:alice");
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
    void searchPagesOnAfterTheCursorItsJsonPrinted() throws Exception {
        JsonNode page = new ObjectMapper().readTree(run(new SearchCommand(this::desk), "--json", "--limit", "1", "subscriber:alice").out());
        CliRun next = run(new SearchCommand(this::desk), "--json", "--limit", "1", "--after", page.get("next").asText(), "subscriber:alice");
        assertThat(next.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(next.out());
        assertThat(json.get("hits").get(0).get("id").asLong()).isEqualTo(first);
        assertThat(json.get("next").isNull()).isTrue();
        assertThat(run(new SearchCommand(this::desk), "--limit", "1", "--after", page.get("next").asText(), "").out())
                .contains("2 hits (showing the next 1)");
        CliRun bad = run(new SearchCommand(this::desk), "--after", "yesterday", "pills");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).startsWith("not a page cursor").doesNotContain("\n");
    }

    @Test
    void searchTextIsSafeForTerminalsAndFacetsAreListed() {
        CliRun r = run(new SearchCommand(this::desk), "--facets", "pills");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("#" + first).contains("alice").contains("198.51.100.7").contains("1 hit")
                .doesNotContain("\u001b").contains("hits per subscriber").contains("pills.example");
        CliRun json = run(new SearchCommand(this::desk), "--json", "--facets", "pills");
        assertThat(json.out()).contains("\"facets\"").contains("\"url_domains\"");
    }

    @Test
    void badQueryIsExitTwoWithOneLine() {
        CliRun r = run(new SearchCommand(this::desk), "ip:300.1.1.1");
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
            CliRun r = run(new SearchCommand(this::desk), query[0]);
            assertThat(r.exit()).as(query[1]).isEqualTo(2);
            assertThat(r.err().strip()).startsWith(query[1]).doesNotContain("\n").doesNotContain("Exception").doesNotContain("Error");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void showPrintsMetadataAndTrace() {
        CliRun r = run(new ShowCommand(this::desk), Long.toString(first));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("alice").contains("S-1").contains("s@spam.example").contains("http://pills.example/")
                .contains("\"ip\" : \"198.51.100.7\"").doesNotContain("\u001b");
        assertThat(run(new ShowCommand(this::desk), "999").exit()).isEqualTo(1);
        assertThat(run(new ShowCommand(this::desk), "abc").exit()).isEqualTo(2);
    }

    @Test
    void exportWritesTheExactBytes() throws Exception {
        Path eml = data.resolve("one.eml");
        assertThat(run(new ExportCommand(this::desk, () -> System.out), Long.toString(first), "-o", eml.toString()).exit()).isZero();
        assertThat(Files.readAllBytes(eml)).isEqualTo(FIRST);
        assertThat(run(new ExportCommand(this::desk, () -> System.out), Long.toString(first), "-o", eml.toString()).exit()).isEqualTo(2);

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        assertThat(run(new ExportCommand(this::desk, () -> stdout), Long.toString(second)).exit()).isZero();
        assertThat(stdout.toByteArray()).isEqualTo(SECOND);
        assertThat(run(new ExportCommand(this::desk, () -> System.out), "424242").exit()).isEqualTo(1);
    }

    @Test
    void caseExportIsAnMboxWithQuotedFromLines() throws Exception {
        Path mbox = data.resolve("alice.mbox");
        CliRun r = run(new ExportCommand(this::desk, () -> System.out), "--case", "alice", "-o", mbox.toString());
        assertThat(r.exit()).isZero();
        String text = Files.readString(mbox, StandardCharsets.ISO_8859_1);
        assertThat(text.split("\n")).filteredOn(l -> l.startsWith("From ")).hasSize(2);
        assertThat(text).startsWith("From s@spam.example Fri Nov 20 03:12:00 2026\n")
                .contains("\n>From someone").contains("\n>From here on").contains("\n>>From quoted")
                .contains("\nFrom MAILER-DAEMON Sat Nov 21 04:00:00 2026\n");
        assertThat(run(new ExportCommand(this::desk, () -> System.out), "--case", "nobody", "-o", data.resolve("x").toString()).exit())
                .isEqualTo(1);
    }

    @Test
    void allCommandsAreRegistrable() {
        CommandLine root = new CommandLine(new Root());
        DeskCommands.all(this::desk, () -> System.out).forEach(root::addSubcommand);
        assertThat(root.getSubcommands().keySet()).containsExactly("search", "show", "export", "case", "actions", "confirm",
                "dismiss", "retry", "block", "unblock", "brake", "audit");
    }

    @CommandLine.Command(name = "trapline")
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }
}
