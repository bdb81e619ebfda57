package org.trapline.desk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trapline.evidence.TwoHitsOfAlice.FIRST;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.common.CliRun;
import org.trapline.desk.Desk;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.TrapHit;
import org.trapline.evidence.TwoHitsOfAlice;
import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.intake.ReportClassifier;

/** export --format arf|xarf: what our own importer reads back from the desk's reports. */
class ExportReportsTest {
    @TempDir
    Path data;

    Desk desk(EvidenceStore store) {
        return new Desk(() -> store, () -> {
            throw new AssertionError("no policy");
        }, () -> {
            throw new AssertionError("no casebook");
        }, Clock.systemUTC());
    }

    @Test
    void arfOfAHitStatesItsOriginPortAndTimeAndCarriesTheRawBytes() throws Exception {
        long first = TwoHitsOfAlice.record(data)[0];
        long ported;
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            ported = store.record(TrapHit.of("i3", Instant.parse("2026-11-22T05:00:00Z"), "bob@spam.example", List.of("c@trap.example.net"))
                    .withOrigin("203.0.113.9", null, null).withAttribution("NOT_OURS", null, null, null)
                    .withTrace("{\"origin\": {\"ip\": \"203.0.113.9\", \"port\": 40123}}"), FIRST).hitId();
        }
        Path arf = data.resolve("one.arf");
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            CliRun r = CliRun.of(new ExportCommand(() -> desk(store), () -> System.out), Long.toString(ported), "--format", "arf", "-o", arf.toString());
            assertThat(r.exit()).isZero();
        }
        Report report = new ReportClassifier().read(Files.readAllBytes(arf));
        assertThat(report.kind()).isEqualTo(ReportKind.ARF);
        assertThat(report.stated().ip()).isEqualTo("203.0.113.9");
        assertThat(report.stated().port()).isEqualTo(40123);
        assertThat(report.stated().time().toInstant()).isEqualTo(Instant.parse("2026-11-22T05:00:00Z"));
        assertThat(report.originalMailFrom()).isEqualTo("bob@spam.example");
        assertThat(report.reported().bytes()).isEqualTo(FIRST);

        Path xarf = data.resolve("one.json");
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            assertThat(CliRun.of(new ExportCommand(() -> desk(store), () -> System.out), Long.toString(first), "--format", "xarf", "-o", xarf.toString())
                    .exit()).isZero();
        }
        Report x = new ReportClassifier().read(Files.readAllBytes(xarf));
        assertThat(x.kind()).isEqualTo(ReportKind.XARF);
        assertThat(x.stated().ip()).isEqualTo("198.51.100.7");
        assertThat(x.stated().port()).isNull();
        assertThat(x.reported().bytes()).isEqualTo(FIRST);
    }

    @Test
    void caseAsXarfIsJsonLinesAndLeavesOutHitsWithoutASource() throws Exception {
        TwoHitsOfAlice.record(data);
        Path lines = data.resolve("alice.jsonl");
        CliRun r;
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            r = CliRun.of(new ExportCommand(() -> desk(store), () -> System.out), "--case", "alice", "--format", "xarf", "-o", lines.toString());
        }
        assertThat(r.exit()).isZero();
        List<String> docs = Files.readAllLines(lines, StandardCharsets.UTF_8);
        assertThat(docs).hasSize(1);
        assertThat(new ReportClassifier().read(docs.get(0).getBytes(StandardCharsets.UTF_8)).reported().bytes()).isEqualTo(FIRST);
        assertThat(r.err()).contains("1 reports exported").contains("1 without a source address left out");

        Path mbox = data.resolve("alice.mbox");
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            r = CliRun.of(new ExportCommand(() -> desk(store), () -> System.out), "--case", "alice", "--format", "arf", "-o", mbox.toString());
        }
        assertThat(r.exit()).isZero();
        String text = Files.readString(mbox, StandardCharsets.ISO_8859_1);
        assertThat(text.split("\n")).filteredOn(l -> l.startsWith("From ")).hasSize(2);
        assertThat(text.split("report-type=feedback-report", -1)).hasSize(3);
    }
}
