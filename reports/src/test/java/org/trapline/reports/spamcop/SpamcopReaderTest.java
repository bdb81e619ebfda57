package org.trapline.reports.spamcop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.Samples;
import org.trapline.reports.intake.ReportClassifier;

class SpamcopReaderTest {
    final ReportClassifier classifier = new ReportClassifier();

    @Test
    void emailFromLineAndOffendingMessage() {
        Report r = classifier.read(Samples.bytes("spamcop.eml"));
        assertThat(r.kind()).isEqualTo(ReportKind.SPAMCOP);
        assertThat(r.feedbackType()).isEqualTo("abuse");
        assertThat(r.stated().ip()).isEqualTo("100.64.1.23");
        assertThat(r.stated().time()).isEqualTo(OffsetDateTime.parse("2025-11-23T12:21:15Z"));
        String quoted = new String(r.reported().bytes(), StandardCharsets.ISO_8859_1);
        assertThat(quoted).startsWith("Received: from [100.64.1.23] by hotmail.example");
        assertThat(quoted).contains("\r\n\r\nWould you like to work at home");
    }

    @Test
    void offendingMessageQuotedWithGreaterThan() {
        Report r = classifier.read(Samples.bytes("spamcop-quoted.eml"));
        assertThat(r.kind()).isEqualTo(ReportKind.SPAMCOP);
        assertThat(r.stated().ip()).isEqualTo("100.64.9.9");
        assertThat(r.stated().time()).isEqualTo(OffsetDateTime.parse("2025-11-23T12:30:00Z"));
        String quoted = new String(r.reported().bytes(), StandardCharsets.ISO_8859_1);
        assertThat(quoted).startsWith("Received: from bobs-pc ([100.64.9.9])").doesNotContain("> ");
    }

    @Test
    void emailFromWithoutAnAddressIsSpamcopWithNothingStated() {
        String report = "Subject: [SpamCop id:1]\n\n- SpamCop V1.3.3 -\nEmail from / Sun, 11 Aug 2002 00:11:15 -0700\n\nOffending message:\nSubject: x\n\ny\n";
        Report r = classifier.read(report.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.kind()).isEqualTo(ReportKind.SPAMCOP);
        assertThat(r.stated().ip()).isNull();
        assertThat(r.stated().time()).isEqualTo(OffsetDateTime.parse("2002-08-11T00:11:15-07:00"));
        assertThat(r.reason()).startsWith("SpamCop's \"Email from\" line names no address");
    }

    @Test
    void unknownCharsetReadsAsLatin1() {
        byte[] report = ("Content-Type: text/plain; charset=\"x-no-such-charset\"\n\n- SpamCop V1 -\n"
                + "Email from 100.64.1.23 / Sun, 23 Nov 2025 12:21:15 +0000\nOffending message:\nSubject: caf\u00e9\n\nx\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Report r = classifier.read(report);
        assertThat(r.kind()).isEqualTo(ReportKind.SPAMCOP);
        assertThat(new String(r.reported().bytes(), StandardCharsets.ISO_8859_1)).contains("caf\u00e9");
    }
}
