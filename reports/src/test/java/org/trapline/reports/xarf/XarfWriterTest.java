package org.trapline.reports.xarf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.trapline.reports.out.Incidents.ARRIVAL;
import static org.trapline.reports.out.Incidents.REPORTER;
import static org.trapline.reports.out.Incidents.sha256;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.intake.ReportClassifier;
import org.trapline.reports.out.Incident;
import org.trapline.reports.out.Incidents;
import org.trapline.reports.out.Python;

class XarfWriterTest {
    final XarfWriter writer = new XarfWriter();
    final Incident incident = Incidents.of("198.51.100.7", 52344, "winner@spam.example", Incidents.spam());

    @TempDir
    Path dir;

    @Test
    void carriesTheRequiredFieldsOfXarfV4AndItsSpamType() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(writer.write(incident, REPORTER));
        for (String field : List.of("xarf_version", "report_id", "timestamp", "reporter", "sender", "source_identifier", "category", "type",
                "protocol", "smtp_from", "source_port")) {
            assertThat(doc.has(field)).as(field).isTrue();
        }
        assertThat(doc.path("xarf_version").asText()).matches("4\\.[0-9]+\\.[0-9]+");
        assertThat(doc.path("report_id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(doc.path("timestamp").asText()).isEqualTo("2026-11-30T21:14:05Z");
        for (String who : List.of("reporter", "sender")) {
            assertThat(doc.path(who).path("org").asText()).isEqualTo("Example ISP");
            assertThat(doc.path(who).path("contact").asText()).isEqualTo("abuse@isp.example");
            assertThat(doc.path(who).path("domain").asText()).isEqualTo("isp.example");
        }
        assertThat(doc.path("source_identifier").asText()).isEqualTo("198.51.100.7");
        assertThat(doc.path("source_port").isInt()).isTrue();
        assertThat(doc.path("source_port").asInt()).isEqualTo(52344);
        assertThat(doc.path("category").asText()).isEqualTo("messaging");
        assertThat(doc.path("type").asText()).isEqualTo("spam");
        assertThat(doc.path("evidence_source").asText()).isEqualTo("spamtrap");
        JsonNode evidence = doc.path("evidence").get(0);
        assertThat(evidence.path("content_type").asText()).isEqualTo("message/rfc822");
        byte[] payload = Base64.getDecoder().decode(evidence.path("payload").asText());
        assertThat(payload).isEqualTo(incident.original());
        assertThat(evidence.path("hash").asText()).isEqualTo("sha256:" + sha256(payload));
    }

    @Test
    void ourImporterReadsBackWhatWeWrote() {
        Report r = new ReportClassifier().read(writer.write(incident, REPORTER).getBytes(StandardCharsets.UTF_8));
        assertThat(r.kind()).isEqualTo(ReportKind.XARF);
        assertThat(r.feedbackType()).isEqualTo("spam");
        assertThat(r.stated().ip()).isEqualTo("198.51.100.7");
        assertThat(r.stated().port()).isEqualTo(52344);
        assertThat(r.stated().time().toInstant()).isEqualTo(ARRIVAL);
        assertThat(r.originalMailFrom()).isEqualTo("winner@spam.example");
        assertThat(r.reported().bytes()).isEqualTo(incident.original());
    }

    @Test
    void validatesAgainstTheXarfV4SpamSchemaWithPythonJsonschema() throws Exception {
        assumeTrue(Python.has("jsonschema"), "python3-jsonschema is not installed");
        Path reports = dir.resolve("reports.jsonl");
        Incident ipv6 = Incidents.of("2001:db8::25", 1025, "a@spam.example", Incidents.spam());
        Files.writeString(reports, writer.write(incident, REPORTER) + "\n" + writer.write(ipv6, REPORTER) + "\n");
        Path schema = dir.resolve("schema.json");
        try (var in = getClass().getResourceAsStream("/python/xarf-v4-spam-required.json")) {
            Files.copy(in, schema);
        }
        Python.Run run = Python.script(dir, "check_xarf.py", schema.toString(), reports.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.out().strip()).isEqualTo("ok 2");
    }

    @Test
    void theSchemaCheckCanFail() throws Exception {
        assumeTrue(Python.has("jsonschema"), "python3-jsonschema is not installed");
        Path reports = dir.resolve("reports.jsonl");
        Incident noPort = Incidents.of("198.51.100.7", 0, "winner@spam.example", Incidents.spam());
        Files.writeString(reports, writer.write(noPort, REPORTER) + "\n");
        Path schema = dir.resolve("schema.json");
        try (var in = getClass().getResourceAsStream("/python/xarf-v4-spam-required.json")) {
            Files.copy(in, schema);
        }
        Python.Run run = Python.script(dir, "check_xarf.py", schema.toString(), reports.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("source_port");
    }
}
