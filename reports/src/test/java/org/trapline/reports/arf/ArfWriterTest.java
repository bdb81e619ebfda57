package org.trapline.reports.arf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trapline.reports.out.Incidents.ARRIVAL;
import static org.trapline.reports.out.Incidents.REPORTER;
import static org.trapline.reports.out.Incidents.ascii;
import static org.trapline.reports.out.Incidents.sha256;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.intake.ReportClassifier;
import org.trapline.reports.out.Incident;
import org.trapline.reports.out.Incidents;
import org.trapline.reports.out.Python;

class ArfWriterTest {
    static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
    final ArfWriter writer = new ArfWriter();

    @TempDir
    Path dir;

    @Test
    void ourImporterReadsBackWhatWeWrote() {
        Incident incident = Incidents.of("198.51.100.7", 52344, "winner@spam.example", Incidents.spam());
        Report r = new ReportClassifier().read(writer.write(incident, REPORTER, null, NOW));
        assertThat(r.kind()).isEqualTo(ReportKind.ARF);
        assertThat(r.feedbackType()).isEqualTo("abuse");
        assertThat(r.stated().ip()).isEqualTo("198.51.100.7");
        assertThat(r.stated().port()).isEqualTo(52344);
        assertThat(r.stated().time().toInstant()).isEqualTo(ARRIVAL);
        assertThat(r.originalMailFrom()).isEqualTo("winner@spam.example");
        assertThat(r.originalRcptTo()).isEqualTo("trap@isp.example");
        assertThat(r.reportedDomain()).isEqualTo("spam.example");
        assertThat(r.reported().headersOnly()).isFalse();
        assertThat(r.reported().bytes()).isEqualTo(incident.original());
        assertThat(sha256(r.reported().bytes())).isEqualTo(incident.sha256());
        assertThat(r.reason()).isNull();
    }

    @Test
    void pythonsEmailPackageReadsTheStructureAndTheOriginalByteForByte() throws Exception {
        Incident incident = Incidents.of("198.51.100.7", 52344, "winner@spam.example", Incidents.spam());
        Python.Run run = python(incident);
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
        assertThat(run.out().lines()).startsWith("ok").contains("Feedback-Type=abuse", "User-Agent=Trapline/test", "Version=1",
                "Source-IP=198.51.100.7", "Source-Port=52344", "Arrival-Date=Mon, 30 Nov 2026 21:14:05 +0000",
                "Original-Mail-From=<winner@spam.example>", "Original-Rcpt-To=<trap@isp.example>",
                "Reported-Domain=spam.example", "Incidents=1");
        assertThat(ArfWriter.encodingOf(incident.original())).isEqualTo(ArfWriter.Encoding.SEVEN_BIT);
    }

    @Test
    void anUnknownPortIsLeftOutAndEightBitTravelsAsEightBit() throws Exception {
        byte[] latin = ascii("From: a@spam.example\r\nSubject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n");
        Incident incident = Incidents.of("2001:db8::25", 0, "", latin);
        byte[] arf = writer.write(incident, REPORTER, "abuse@other.example", NOW);
        assertThat(new String(arf, StandardCharsets.ISO_8859_1)).doesNotContain("Source-Port").contains("Content-Transfer-Encoding: 8bit")
                .contains("To: <abuse@other.example>");
        Report r = new ReportClassifier().read(arf);
        assertThat(r.stated().ip()).isEqualTo("2001:db8::25");
        assertThat(r.stated().port()).isNull();
        assertThat(r.reported().bytes()).isEqualTo(latin);
        Python.Run run = python(incident);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Source-IP=2001:db8::25").doesNotContain("Source-Port");
    }

    @Test
    void nulBareCrAndLongLinesTravelAsBinaryUnaltered() throws Exception {
        byte[] odd = ascii("From: a@spam.example\r\nSubject: odd\r\n\r\nnul\u0000here\r\nbare\rcr\r\n" + "x".repeat(1200) + "\r\n");
        assertThat(ArfWriter.encodingOf(odd)).isEqualTo(ArfWriter.Encoding.BINARY);
        Incident incident = Incidents.of("198.51.100.7", 25000, "a@spam.example", odd);
        byte[] arf = writer.write(incident, REPORTER, null, NOW);
        String text = new String(arf, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("Content-Transfer-Encoding: binary").contains("BINARYMIME");
        assertThat(new ReportClassifier().read(arf).reported().bytes()).isEqualTo(odd);
        Python.Run run = python(incident);
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @Test
    void hostileEnvelopeValuesCannotAddHeaderFields() {
        String hostile = "x@spam.example>\r\nBcc: victim@else.example\r\n\r\nInjected: yes";
        Incident incident = new Incident("198.51.100.7", 1, ARRIVAL, hostile, java.util.List.of("trap@isp.example\nX-Evil: 1"),
                "spam.example\r\nX-Evil: 2", Incidents.spam(), sha256(Incidents.spam()));
        byte[] arf = writer.write(incident, REPORTER, null, NOW);
        String text = new String(arf, StandardCharsets.ISO_8859_1);
        int original = text.indexOf("Content-Type: message/rfc822");
        String ours = text.substring(0, original);
        assertThat(ours.lines()).noneMatch(l -> l.startsWith("Bcc:") || l.startsWith("X-Evil:") || l.startsWith("Injected:"));
        assertThat(ours.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        Report r = new ReportClassifier().read(arf);
        assertThat(r.stated().port()).isEqualTo(1);
        assertThat(r.originalMailFrom()).startsWith("x@spam.example>??Bcc: victim@else.example");
        assertThat(r.reported().bytes()).isEqualTo(Incidents.spam());
    }

    @Test
    void arrivalDateIsAnRfc5322DateInUtc() {
        Incident incident = Incidents.of("198.51.100.7", 52344, "winner@spam.example", Incidents.spam());
        String text = new String(writer.write(incident, REPORTER, null, NOW), StandardCharsets.US_ASCII);
        assertThat(text).contains("\r\nArrival-Date: Mon, 30 Nov 2026 21:14:05 +0000\r\n").contains("\r\nDate: Tue, 1 Dec 2026 08:00:00 +0000\r\n");
        assertThat(OffsetDateTime.ofInstant(ARRIVAL, ZoneOffset.UTC).getDayOfMonth()).isEqualTo(30);
    }

    private Python.Run python(Incident incident) throws Exception {
        Path report = dir.resolve("report.eml");
        Path original = dir.resolve("original.eml");
        Files.write(report, writer.write(incident, REPORTER, null, NOW));
        Files.write(original, incident.original());
        return Python.script(dir, "check_arf.py", report.toString(), original.toString());
    }
}
