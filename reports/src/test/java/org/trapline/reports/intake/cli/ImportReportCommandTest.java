package org.trapline.reports.intake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.cli.ImportDetailCommand;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.session.SessionStore;
import org.trapline.reports.Samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

class ImportReportCommandTest {
    static final Path DETAIL = Path.of(System.getProperty("trapline.repo", "..")).resolve("../shared/testdata/radius/freeradius-3.2.1-detail-sample.txt");

    @TempDir
    Path data;
    @TempDir
    Path files;
    final Properties conf = new Properties();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    SessionStore store;

    @BeforeEach
    void sessions() {
        conf.setProperty(LookupSettings.SUBSCRIBER_NETWORKS, "100.64.0.0/10");
        store = SessionStore.open(data);
        // alice held 100.64.1.23 from 12:13:20 to 12:33:20 UTC on 2025-11-23, bob 100.64.9.9 from 12:13:20
        assertThat(run(new ImportDetailCommand(() -> conf, () -> store), DETAIL.toString())).isZero();
    }

    @AfterEach
    void close() {
        store.close();
    }

    int run(Object command, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    int importReports(String... args) {
        return run(new ImportReportCommand(() -> conf, () -> AttributionLookup.create(store, LookupSettings.from(conf))), args);
    }

    Path sample(String name) throws Exception {
        Path p = files.resolve(name);
        Files.write(p, Samples.bytes(name));
        return p;
    }

    List<JsonNode> lines() throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String l : out.toString().split("\n")) {
            if (!l.isBlank()) {
                nodes.add(new ObjectMapper().readTree(l));
            }
        }
        return nodes;
    }

    @Test
    void oneJsonLinePerReportInTheIssuesFieldsAttributedAsWhoDoes() throws Exception {
        Path arf = sample("rfc6692-source-port-headers-only.eml");
        assertThat(importReports("--dry-run", "--json", arf.toString())).isZero();
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        JsonNode l = lines.get(0);
        List<String> names = new ArrayList<>();
        l.fieldNames().forEachRemaining(names::add);
        assertThat(names).startsWith("file", "kind", "feedback_type", "source_ip", "source_port", "time", "decided_by",
                "traced_ip", "traced_time", "attribution", "reported_message_sha256", "incident");
        assertThat(l.get("file").asText()).isEqualTo(arf.toString());
        assertThat(l.get("kind").asText()).isEqualTo("arf");
        assertThat(l.get("feedback_type").asText()).isEqualTo("abuse");
        assertThat(l.get("source_ip").asText()).isEqualTo("100.64.1.23");
        assertThat(l.get("source_port").asInt()).isEqualTo(50123);
        assertThat(l.get("time").asText()).isEqualTo("2025-11-23T12:20:05+00:00");
        assertThat(l.get("decided_by").asText()).isEqualTo("report");
        assertThat(l.get("traced_ip").asText()).isEqualTo("100.64.1.23");
        assertThat(l.get("traced_time").asText()).isEqualTo("2025-11-23T12:20:05+00:00");
        assertThat(l.get("attribution").get("status").asText()).isEqualTo("MATCHED");
        assertThat(l.get("attribution").get("subscriber").asText()).isEqualTo("alice@isp.example");
        assertThat(l.get("attribution").get("session").get("acctSessionId").asText()).isEqualTo("sess-0001");
        assertThat(l.get("reported_message_sha256").asText()).hasSize(64).isEqualTo(l.get("incident").asText());
        assertThat(out.toString()).doesNotContain("\"subscriber\" :"); // compact: one line per report
    }

    @Test
    void contradictedSourceNotOursUnknownAndDuplicates() throws Exception {
        Path contradicted = sample("arf-contradicted-source.eml");
        Path notOurs = sample("arf-not-ours.eml");
        Path json = sample("xarf-v4-messaging-spam.json");
        Path again = files.resolve("again.eml");
        // the same spam from a second feedback loop: a SpamCop-style forward of the XARF evidence with CRLF
        String evidence = "Received: from bobs-pc ([100.64.9.9]) by trap.traps.example with SMTP;\r\n\tSun, 23 Nov 2025 12:23:00 +0000\r\n"
                + "Subject: cheap watches\r\n\r\nwatches\r\n";
        Files.writeString(again, "Subject: Fwd\nContent-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: message/rfc822\n\n"
                + evidence + "--a--\n", StandardCharsets.US_ASCII);
        Path junk = files.resolve("junk.eml");
        Files.writeString(junk, "Subject: hi\n\nnothing to see\n");
        assertThat(importReports("--dry-run", "--json", contradicted.toString(), notOurs.toString(), json.toString(),
                again.toString(), junk.toString())).isZero();
        List<JsonNode> l = lines();
        assertThat(l).hasSize(5);

        assertThat(l.get(0).get("decided_by").asText()).isEqualTo("trace");
        assertThat(l.get(0).get("source_ip").asText()).isEqualTo("100.64.1.23");
        assertThat(l.get(0).get("stated").get("ip").asText()).isEqualTo("198.51.100.99");
        assertThat(l.get(0).get("attribution").get("subscriber").asText()).isEqualTo("alice@isp.example");
        assertThat(l.get(0).get("reason").asText()).contains("contradict");
        assertThat(l.get(0).get("disposition").asText()).isEqualTo("evidence");

        assertThat(l.get(1).get("attribution").get("status").asText()).isEqualTo("NOT_OURS");
        assertThat(l.get(1).get("traced_ip").isNull()).isTrue();
        assertThat(l.get(1).get("disposition").asText()).isEqualTo("not_ours");

        assertThat(l.get(2).get("kind").asText()).isEqualTo("xarf");
        assertThat(l.get(2).get("attribution").get("subscriber").asText()).isEqualTo("bob\"q\\ Müller");
        assertThat(l.get(2).get("duplicate").asBoolean()).isFalse();
        assertThat(l.get(3).get("kind").asText()).isEqualTo("forwarded");
        assertThat(l.get(3).get("incident").asText()).isEqualTo(l.get(2).get("incident").asText());
        assertThat(l.get(3).get("duplicate").asBoolean()).isTrue();

        assertThat(l.get(4).get("kind").asText()).isEqualTo("unknown");
        assertThat(l.get(4).get("reason").asText()).startsWith("no report format recognised");
        assertThat(l.get(4).get("attribution").isNull()).isTrue();
        assertThat(l.get(4).get("disposition").asText()).isEqualTo("quarantine");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void mboxAndMaildir() throws Exception {
        Path mbox = files.resolve("reports.mbox");
        String a = new String(Samples.bytes("spamcop.eml"), StandardCharsets.ISO_8859_1);
        String b = new String(Samples.bytes("forwarded-attached.eml"), StandardCharsets.ISO_8859_1);
        Files.writeString(mbox, "From MAILER-DAEMON Sun Nov 23 13:00:00 2025\n" + a + "\nFrom x@example Sun Nov 23 13:00:01 2025\n" + b + "\n",
                StandardCharsets.ISO_8859_1);
        Path maildir = files.resolve("Maildir");
        Files.createDirectories(maildir.resolve("new"));
        Files.createDirectories(maildir.resolve("cur"));
        Files.createDirectories(maildir.resolve("tmp"));
        Files.write(maildir.resolve("new/1700000000.1.host"), Samples.bytes("xarf-0.2.eml"));
        Files.write(maildir.resolve("cur/1700000000.2.host:2,S"), Samples.bytes("rfc5965-b1-simple.eml"));
        Files.write(maildir.resolve("tmp/1700000000.3.host"), Samples.bytes("arf-not-ours.eml"));

        assertThat(importReports("--dry-run", "--json", mbox.toString(), maildir.toString())).isZero();
        List<JsonNode> l = lines();
        assertThat(l).extracting(n -> n.get("kind").asText()).containsExactly("spamcop", "forwarded", "xarf", "arf");
        assertThat(l.get(0).get("file").asText()).isEqualTo(mbox + ":1");
        assertThat(l.get(1).get("file").asText()).isEqualTo(mbox + ":2");
        assertThat(l.get(0).get("attribution").get("subscriber").asText()).isEqualTo("alice@isp.example");
        assertThat(l.get(1).get("decided_by").asText()).isEqualTo("trace");
        assertThat(l.get(1).get("attribution").get("status").asText()).isEqualTo("MATCHED");
        assertThat(l.get(2).get("file").asText()).endsWith("new/1700000000.1.host");
        // RFC 5965's own example traces to 192.0.2.1, outside these networks: nothing traced, nothing stated
        assertThat(l.get(3).get("traced_ip").isNull()).isTrue();
        assertThat(l.get(3).get("attribution").isNull()).isTrue();
    }

    @Test
    void withoutDryRunItRefusesInOneLine() throws Exception {
        Path arf = sample("rfc6692-source-port-headers-only.eml");
        assertThat(importReports("--json", arf.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("import-report: storing reports is not built yet; use --dry-run --json\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aFileThatCannotBeReadIsOneLineOnStderrAndTheOthersGoOn() throws Exception {
        Path arf = sample("rfc6692-source-port-headers-only.eml");
        assertThat(importReports("--dry-run", "--json", files.resolve("missing.eml").toString(), arf.toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).hasSize(1);
        assertThat(err.toString()).startsWith("import-report: " + files.resolve("missing.eml")).doesNotContain("Exception");
        assertThat(lines()).hasSize(1);
    }
}
