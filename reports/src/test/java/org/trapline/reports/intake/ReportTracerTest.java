package org.trapline.reports.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;
import org.trapline.origin.Networks;
import org.trapline.reports.Samples;

class ReportTracerTest {
    final ReportClassifier classifier = new ReportClassifier();
    final ReportTracer ours = new ReportTracer(List.of(IpPrefix.parse("100.64.0.0/10"), IpPrefix.parse("192.0.2.0/24")));

    TracedReport trace(String sample) {
        return ours.trace(classifier.read(Samples.bytes(sample)));
    }

    @Test
    void noStatedSourceIsDecidedByTheTraceAtTheReportersMx() {
        TracedReport t = trace("rfc5965-b1-simple.eml");
        assertThat(t.decidedBy()).isEqualTo(DecidedBy.TRACE);
        assertThat(t.tracedIp()).isEqualTo("192.0.2.1");
        assertThat(t.tracedTime()).isEqualTo(OffsetDateTime.parse("2005-03-08T14:00:00-04:00"));
        assertThat(t.source().ip()).isEqualTo("192.0.2.1");
        assertThat(t.note()).isEqualTo("the report states no source");
    }

    @Test
    void statementTheHeadersAgreeWithDecides() {
        TracedReport t = trace("rfc6692-source-port-headers-only.eml");
        assertThat(t.decidedBy()).isEqualTo(DecidedBy.REPORT);
        assertThat(t.source().ip()).isEqualTo("100.64.1.23");
        assertThat(t.source().port()).isEqualTo(50123);
        assertThat(t.tracedIp()).isEqualTo("100.64.1.23");
        assertThat(t.tracedTime()).isEqualTo(OffsetDateTime.parse("2025-11-23T12:20:05Z"));
    }

    @Test
    void statementTheQuotedHeadersContradictIsOverruledByTheTrace() {
        TracedReport t = trace("arf-contradicted-source.eml");
        assertThat(t.report().stated().ip()).isEqualTo("198.51.100.99");
        assertThat(t.decidedBy()).isEqualTo(DecidedBy.TRACE);
        assertThat(t.source().ip()).isEqualTo("100.64.1.23");
        assertThat(t.source().time()).isEqualTo(OffsetDateTime.parse("2025-11-23T12:20:05Z"));
        assertThat(t.note()).isEqualTo("the quoted headers contradict the stated source 198.51.100.99");
    }

    @Test
    void forwardedSpamIsTracedThroughTheReportersRelaysToOurSubscriber() {
        TracedReport t = trace("forwarded-inline.eml");
        assertThat(t.decidedBy()).isEqualTo(DecidedBy.TRACE);
        // the reporter's LMTP hop and MX are outside our networks; the spam left ours at 100.64.1.23,
        // and the sender's own line below it (10.0.0.5) is not believed
        assertThat(t.tracedIp()).isEqualTo("100.64.1.23");
        assertThat(t.tracedTime()).isEqualTo(OffsetDateTime.parse("2025-11-23T12:20:07Z"));
    }

    @Test
    void reportAboutAnAddressOutsideOurNetworksKeepsItsStatementAndTracesNothing() {
        TracedReport t = trace("arf-not-ours.eml");
        assertThat(t.decidedBy()).isEqualTo(DecidedBy.REPORT);
        assertThat(t.source().ip()).isEqualTo("203.0.113.5");
        assertThat(t.tracedIp()).isNull();
    }

    @Test
    void withoutSubscriberNetworksTheReportersMxClientIsTheOrigin() {
        ReportTracer everythingOurs = new ReportTracer(List.of());
        TracedReport t = everythingOurs.trace(classifier.read(Samples.bytes("forwarded-inline.eml")));
        assertThat(t.tracedIp()).isEqualTo("198.51.100.25");
    }

    @Test
    void outsideOfOurNetworksIsExactlyTheirComplement() {
        Networks outside = SubscriberBoundary.outside(List.of(IpPrefix.parse("100.64.0.0/10"), IpPrefix.parse("2001:db8:ff00::/40")));
        for (String in : List.of("100.64.0.0", "100.127.255.255", "2001:db8:ff00::1", "2001:db8:ffff:ffff::9")) {
            assertThat(outside.contains(IpAddress.parse(in))).as(in).isFalse();
        }
        for (String out : List.of("100.63.255.255", "100.128.0.0", "0.0.0.0", "255.255.255.255", "2001:db8:fe00::1", "::1", "2001:db9::")) {
            assertThat(outside.contains(IpAddress.parse(out))).as(out).isTrue();
        }
        assertThat(outside.prefixes().size()).isLessThanOrEqualTo(32 + 128);
    }

    @Test
    void headersWithoutAnyReceivedLineTraceNothing() {
        String report = "Content-Type: multipart/report; report-type=feedback-report; boundary=\"h\"\n\n--h\n"
                + "Content-Type: message/feedback-report\n\nFeedback-Type: abuse\n\n--h\nContent-Type: message/rfc822\n\nSubject: x\n\ny\n--h--\n";
        TracedReport t = ours.trace(classifier.read(report.getBytes(StandardCharsets.US_ASCII)));
        assertThat(t.tracedIp()).isNull();
        assertThat(t.source().ip()).isNull();
        assertThat(t.note()).isEqualTo("the report states no source and its headers never leave our subscriber networks");
    }
}
