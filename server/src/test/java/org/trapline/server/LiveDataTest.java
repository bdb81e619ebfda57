package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Commands beside a running server (a process of its own) run inside it through its control socket:
 * the same answers as on a stopped server, standard input and raw bytes carried both ways, paths read
 * where the command was typed.
 */
@org.junit.jupiter.api.TestInstance(Lifecycle.PER_CLASS)
class LiveDataTest {
    static final Path DETAIL = TestInstance.shared().resolve("testdata/radius/freeradius-3.2.1-detail-sample.txt");

    @TempDir
    static Path tmp;
    TestInstance t;
    ServerProcess server;

    @BeforeAll
    void start() throws Exception {
        t = new TestInstance(tmp);
        int port = TestInstance.freePort();
        server = ServerProcess.start(t.conf, t.data, port, tmp.resolve("server.log"));
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO relay.isp.example");
            byte[] binary = ("Subject: live one\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nbytes \u00e9\u00ff\u0001 kept\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertThat(c.send("s@spam.example", List.of("live@trap.example.net"), binary).code()).isEqualTo(250);
        }
        TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }


    @Test
    void searchAndExportRunInsideTheServer() throws Exception {
        Eventually.until("the stored hit is searchable", () -> t.cli("search", "subject:live").out().contains("live one"));
        Cli search = t.cli("search", "--json", "subject:live");
        assertThat(search.code()).as(search.err()).isZero();
        JsonNode hits = new ObjectMapper().readTree(search.out()).get("hits");
        assertThat(hits).hasSize(1);
        long id = hits.get(0).get("id").asLong();
        Path eml = tmp.resolve("one.eml");
        assertThat(t.cli("export", Long.toString(id), "-o", eml.toString()).code()).isZero();
        assertThat(new String(Files.readAllBytes(eml), StandardCharsets.ISO_8859_1)).endsWith("bytes \u00e9\u00ff\u0001 kept\r\n");
        assertThat(t.cli("show", "424242").code()).as("not found").isEqualTo(1);
    }

    @Test
    void importDetailReadsARelativePathWhereTheCommandRunsAndWhoAnswersFromStdin() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Cli imported = t.cli("import-detail", here.relativize(DETAIL.toAbsolutePath()).toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("5 records imported");
        Cli who = Cli.withStdin("{\"ip\": \"100.64.1.23\", \"at\": \"2025-11-23T13:20:00+01:00\"}\n{\"ip\": \"bad\"}\n",
                "--conf", t.conf.toString(), "--data", t.data.toString(), "who", "--stdin");
        assertThat(who.code()).isEqualTo(2);
        String[] lines = who.out().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(new ObjectMapper().readTree(lines[0]).get("subscriber").asText()).isEqualTo("alice@isp.example");
        assertThat(new ObjectMapper().readTree(lines[1]).get("line").asInt()).isEqualTo(2);
    }

    @Test
    void importReportDryRunRunsInsideTheServerOnARelativePath() throws Exception {
        Path report = tmp.resolve("fbl.eml");
        Files.writeString(report, "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n\n"
                + "--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nSource-IP: 100.64.1.23\n"
                + "Arrival-Date: Sun, 23 Nov 2025 12:20:05 +0000\n\n--b--\n");
        String relative = Path.of("").toAbsolutePath().relativize(report.toAbsolutePath()).toString();
        Cli dry = t.cli("import-report", "--dry-run", "--json", relative);
        assertThat(dry.code()).as(dry.err()).isZero();
        JsonNode line = new ObjectMapper().readTree(dry.out());
        assertThat(line.get("file").asText()).isEqualTo(report.toAbsolutePath().toString());
        assertThat(line.get("kind").asText()).isEqualTo("arf");
        assertThat(line.get("attribution").get("address").asText()).isEqualTo("100.64.1.23");
        Cli store = t.cli("import-report", relative);
        assertThat(store.code()).isEqualTo(2);
        assertThat(store.err()).contains("storing reports is not built yet").hasLineCount(1);
    }

    @Test
    void statusSaysRunningAndReindexWaitsForAStop() throws Exception {
        Cli status = t.cli("status", "--json");
        assertThat(status.code()).isZero();
        JsonNode s = new ObjectMapper().readTree(status.out());
        assertThat(s.get("state").asText()).isEqualTo("running");
        assertThat(s.get("pid").asLong()).isEqualTo(server.process.pid());
        assertThat(s.get("spool_replay").get("finished").asBoolean()).isTrue();
        Cli reindex = t.cli("reindex");
        assertThat(reindex.code()).isEqualTo(2);
        assertThat(reindex.err()).contains("in use by a running Trapline server").hasLineCount(1);
    }

    @Test
    void aPurgeInsideTheServerIsEnteredInTheStaffAudit() {
        Cli purge = t.cli("purge", "--older-than", "36500", "--actor", "jo");
        assertThat(purge.code()).as(purge.err()).isZero();
        Cli audit = t.cli("audit");
        assertThat(audit.code()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("jo", "purge", "older-than:36500", "0 hits");
        assertThat(t.cli("audit", "--verify").out()).startsWith("chain intact");
    }
}
