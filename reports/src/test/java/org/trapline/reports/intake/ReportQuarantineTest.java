package org.trapline.reports.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportQuarantineTest {
    @TempDir
    Path data;

    @Test
    void unreadableReportIsKeptByteForByteWithItsReasonPrivateAndOnce() throws Exception {
        ReportQuarantine q = new ReportQuarantine(data);
        byte[] raw = "Subject: hi\r\n\r\n\u0000\u00ff not a report\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Path kept = q.keep(raw, "/var/mail/abuse:7", "no report format recognised\n\u001b[2J");
        assertThat(q.keep(raw, "/var/mail/abuse:9", "again")).isEqualTo(kept);

        assertThat(kept.getParent()).isEqualTo(data.resolve("reports/quarantine"));
        assertThat(Files.readAllBytes(kept)).isEqualTo(raw);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("reports")))).isEqualTo("rwx------");
        try (var files = Files.list(kept.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(2).noneMatch(n -> n.endsWith(".tmp"));
        }
        assertThat(q.list()).singleElement().satisfies(k -> {
            assertThat(k.report()).isEqualTo(kept);
            assertThat(k.source()).isEqualTo("/var/mail/abuse:7");
            assertThat(k.reason()).isEqualTo("no report format recognised  [2J");
        });
    }
}
