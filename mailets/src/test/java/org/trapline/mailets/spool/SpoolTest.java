package org.trapline.mailets.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    static final Envelope ENVELOPE = new Envelope("spammer@forged.example", List.of("a@trap.example.net", "b@trap.example.net"),
            "192.0.2.7", "zombie [with] odd\nhelo %41 \u00e9", Instant.parse("2026-11-25T03:12:00Z"));

    @Test
    void writtenMessagesComeBackByteForByteWithTheirEnvelope() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        byte[] raw = "Received: from x\r\nSubject: \u00ff\r\n\r\n\n\nbody with \0 NUL and \r\n.\r\n".getBytes(StandardCharsets.ISO_8859_1);
        SpooledMessage written = spool.write(ENVELOPE, raw);

        List<SpooledMessage> pending = new Spool(dir).pending();
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).intakeKey()).isEqualTo(written.intakeKey());
        assertThat(pending.get(0).envelope()).isEqualTo(ENVELOPE);
        assertThat(pending.get(0).raw()).isEqualTo(raw);
    }

    @Test
    void intakeKeyCoversEnvelopeAndBytes() {
        byte[] raw = "x".getBytes(StandardCharsets.US_ASCII);
        String k = Spool.intakeKey("s@x", List.of("a@t"), raw);
        assertThat(k).hasSize(64).isEqualTo(Spool.intakeKey("s@x", List.of("a@t"), raw));
        assertThat(Spool.intakeKey("s@y", List.of("a@t"), raw)).isNotEqualTo(k);
        assertThat(Spool.intakeKey("s@x", List.of("b@t"), raw)).isNotEqualTo(k);
        assertThat(Spool.intakeKey("s@x", List.of("a@t"), "y".getBytes(StandardCharsets.US_ASCII))).isNotEqualTo(k);
        // The separator keeps "sa" + "b" apart from "s" + "ab".
        assertThat(Spool.intakeKey("sa", List.of("b"), raw)).isNotEqualTo(Spool.intakeKey("s", List.of("ab"), raw));
    }

    @Test
    void releaseForgetsAndIsIdempotent() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        SpooledMessage m = spool.write(ENVELOPE, new byte[] {1, 2, 3});
        spool.release(m.intakeKey());
        spool.release(m.intakeKey());
        assertThat(spool.pending()).isEmpty();
        assertThat(spool.find(m.intakeKey())).isEmpty();
    }

    @Test
    void quarantineKeepsBytesAndReasonOutOfTheReplayPath() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        SpooledMessage m = spool.write(ENVELOPE, new byte[] {1, 2, 3});
        spool.quarantine(m.intakeKey(), "mailet exploded");
        assertThat(spool.pending()).isEmpty();
        assertThat(spool.quarantined()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("quarantine").resolve(m.intakeKey() + ".reason"))).contains("mailet exploded");
        assertThat(Files.readAllBytes(dir.resolve("quarantine").resolve(m.intakeKey() + ".spool"))).endsWith(1, 2, 3);
    }

    @Test
    void leftoverTempFilesWereNeverAcknowledgedAndAreDiscarded() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("abc.1.tmp"), "half written");
        Spool spool = new Spool(dir);
        spool.open();
        assertThat(dir.resolve("abc.1.tmp")).doesNotExist();
        assertThat(spool.pending()).isEmpty();
    }

    @Test
    void aCorruptSpoolFileIsQuarantinedNotFatal() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        String key = "a".repeat(64);
        Files.writeString(dir.resolve(key + ".spool"), "garbage without header end");
        assertThat(spool.pending()).isEmpty();
        assertThat(spool.quarantined()).isEqualTo(1);
    }

    @Test
    void keysThatCouldEscapeTheDirectoryAreRejected() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.release("../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backlogLimitRefusesNewMessagesUntilSomeAreReleased() throws Exception {
        Spool spool = new Spool(dir, 2);
        spool.open();
        SpooledMessage a = spool.write(ENVELOPE, new byte[] {1});
        spool.write(ENVELOPE, new byte[] {2});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.write(ENVELOPE, new byte[] {3}))
                .isInstanceOf(Spool.SpoolFullException.class);
        spool.release(a.intakeKey());
        assertThat(spool.write(ENVELOPE, new byte[] {3}).intakeKey()).isNotEmpty();
        Spool reopened = new Spool(dir, 2);
        reopened.open();
        assertThat(reopened.pendingCount()).as("counted again at open").isEqualTo(2);
    }
}
