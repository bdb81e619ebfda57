package org.trapline.reports.forwarded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.Samples;
import org.trapline.reports.intake.ReportClassifier;

class ForwardedReaderTest {
    final ReportClassifier classifier = new ReportClassifier();

    @Test
    void headersPastedInlineFromTheFieldsAboveTheFirstReceived() {
        Report r = classifier.read(Samples.bytes("forwarded-inline.eml"));
        assertThat(r.kind()).isEqualTo(ReportKind.FORWARDED);
        assertThat(r.stated().hasIp()).isFalse();
        assertThat(new String(r.reported().bytes(), StandardCharsets.UTF_8)).startsWith("Return-Path: <winner@lottery.example>\r\nReceived: from mx2");
    }

    @Test
    void attachedMessage() {
        Report r = classifier.read(Samples.bytes("forwarded-attached.eml"));
        assertThat(r.kind()).isEqualTo(ReportKind.FORWARDED);
        assertThat(new String(r.reported().bytes(), StandardCharsets.US_ASCII)).startsWith("Received: from bobs-pc ([100.64.9.9])");
    }

    @Test
    void aMailThatIsNoReportIsUnknownWithOneLine() {
        Report r = classifier.read("Subject: hello\n\nplease call me\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.kind()).isEqualTo(ReportKind.UNKNOWN);
        assertThat(r.reason()).doesNotContain("\n").startsWith("no report format recognised");
        assertThat(classifier.read(new byte[0]).reason()).isEqualTo("empty report");
    }
}
