package org.trapline.reports.arf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.Samples;
import org.trapline.reports.intake.ReportClassifier;

class ArfReaderTest {
    final ReportClassifier classifier = new ReportClassifier();

    @Test
    void rfc5965ExtendedReportStatesItsSourceAndCarriesTheMessage() {
        Report r = classifier.read(Samples.bytes("rfc5965-b2-extended.eml"));
        assertThat(r.kind()).isEqualTo(ReportKind.ARF);
        assertThat(r.feedbackType()).isEqualTo("abuse");
        assertThat(r.stated().ip()).isEqualTo("192.0.2.1");
        assertThat(r.stated().port()).isNull();
        assertThat(r.stated().time()).isEqualTo(OffsetDateTime.parse("2005-03-08T14:00:00-04:00"));
        assertThat(r.originalRcptTo()).isEqualTo("user@example.com");
        assertThat(r.originalMailFrom()).isEqualTo("somespammer@example.net");
        assertThat(r.reportedDomain()).isEqualTo("example.net");
        assertThat(r.reported().headersOnly()).isFalse();
        String original = new String(r.reported().bytes(), StandardCharsets.US_ASCII);
        assertThat(original).startsWith("From: <somespammer@example.net>").endsWith("Spam Spam Spam");
        assertThat(r.reported().sha256()).hasSize(64);
        assertThat(r.reason()).isNull();
    }

    @Test
    void rfc5965SimpleReportStatesNoSource() {
        Report r = classifier.read(Samples.bytes("rfc5965-b1-simple.eml"));
        assertThat(r.kind()).isEqualTo(ReportKind.ARF);
        assertThat(r.stated().ip()).isNull();
        assertThat(r.stated().time()).isNull();
        assertThat(new String(r.reported().bytes(), StandardCharsets.US_ASCII)).startsWith("Received: from mailserver.example.net");
    }

    @Test
    void sourcePortAndHeadersOnlyOriginal() {
        Report r = classifier.read(Samples.bytes("rfc6692-source-port-headers-only.eml"));
        assertThat(r.stated().ip()).isEqualTo("100.64.1.23");
        assertThat(r.stated().port()).isEqualTo(50123);
        assertThat(r.stated().time()).isEqualTo(OffsetDateTime.parse("2025-11-23T12:20:05Z"));
        assertThat(r.reported().headersOnly()).isTrue();
    }

    @Test
    void historicReceivedDateWithTwoDigitYear() {
        Report r = classifier.read(Samples.bytes("arf-historic-received-date.eml"));
        assertThat(r.kind()).isEqualTo(ReportKind.ARF);
        assertThat(r.stated().ip()).isEqualTo("100.64.9.9");
        assertThat(r.stated().time()).isEqualTo(OffsetDateTime.parse("2025-11-23T12:25:00Z"));
    }

    @Test
    void sameSpamWithOtherLineEndsIsOneHash() {
        byte[] lf = Samples.bytes("rfc5965-b2-extended.eml");
        byte[] crlf = new String(lf, StandardCharsets.ISO_8859_1).replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(classifier.read(crlf).reported().sha256()).isEqualTo(classifier.read(lf).reported().sha256());
    }

    @Test
    void cutOffBeforeTheFeedbackPartIsUnknownWithItsReason() {
        String whole = new String(Samples.bytes("rfc5965-b2-extended.eml"), StandardCharsets.ISO_8859_1);
        String cut = whole.substring(0, whole.indexOf("Content-Type: message/feedback-report") - 3);
        Report r = classifier.read(cut.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(r.kind()).isEqualTo(ReportKind.UNKNOWN);
        assertThat(r.reason()).isEqualTo("ARF report cut off before its message/feedback-report part");
    }

    @Test
    void cutOffInsideTheOriginalStillReadsWhatIsThere() {
        String whole = new String(Samples.bytes("rfc5965-b2-extended.eml"), StandardCharsets.ISO_8859_1);
        String cut = whole.substring(0, whole.indexOf("Subject: Earn money\nMIME"));
        Report r = classifier.read(cut.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(r.kind()).isEqualTo(ReportKind.ARF);
        assertThat(r.stated().ip()).isEqualTo("192.0.2.1");
        assertThat(r.reason()).contains("cut off");
        assertThat(new String(r.reported().bytes(), StandardCharsets.US_ASCII)).contains("Received: from mailserver.example.net");
    }

    @Test
    void tenThousandPartsAreCountedNotRead() {
        StringBuilder b = new StringBuilder("Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n\n");
        for (int i = 0; i < 10_000; i++) {
            b.append("--b\nContent-Type: text/plain\n\npart ").append(i).append('\n');
        }
        b.append("--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nSource-IP: 192.0.2.1\n\n--b--\n");
        Report r = classifier.read(b.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(r.kind()).isEqualTo(ReportKind.UNKNOWN);
        assertThat(r.reason()).isEqualTo("ARF report with more than 1000 parts before its message/feedback-report part");
    }

    @Test
    void garbageInTheFieldsReadsAsNothingStated() {
        String report = "Content-Type: multipart/report; report-type=feedback-report; boundary=\"g\"\n\n"
                + "--g\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nSource-IP: 999.1.2.3\u0000\n"
                + "Source-Port: 70000\nArrival-Date: yesterday at noon\n\n--g--\n";
        Report r = classifier.read(report.getBytes(StandardCharsets.UTF_8));
        assertThat(r.kind()).isEqualTo(ReportKind.ARF);
        assertThat(r.stated().ip()).isNull();
        assertThat(r.stated().port()).isNull();
        assertThat(r.stated().time()).isNull();
        assertThat(r.reported()).isNull();
    }
}
