package org.trapline.mailets.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's files on disk: those an earlier version left, and reads that must not change them. */
class SpoolFilesTest {
    private static final Instant AT = Instant.parse("2026-11-30T10:15:30.123456Z");
    /** What the fixture's writer (main before the segment log, 754f9bf) spooled; the second was released. */
    private static final SpooledMessage FIRST = message(new Envelope("bot@example.net", List.of("trap@trap.example"), "192.0.2.7",
            "helo.example", AT, 1001), "Subject: first\r\n\r\nbody one\r\n");
    private static final SpooledMessage SECOND = message(new Envelope("", List.of("a@trap.example", "b@trap.example"), "2001:db8::5", "",
            AT.plusSeconds(1), 1002), "Subject: second\r\n\r\nbody two\r\n");
    private static final SpooledMessage THIRD = message(new Envelope("s\u00e9nder@example.net", List.of("trap@trap.example"),
            "198.51.100.9", "h e l o", AT.plusSeconds(2), 0), "Subject: third\r\n\r\nbody three\r\n");

    @TempDir
    Path dir;

    private static SpooledMessage message(Envelope e, String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.US_ASCII);
        return new SpooledMessage(Spool.intakeKey(e.sender(), e.recipients(), bytes), e, bytes);
    }

    private void copyLegacySpool() throws IOException {
        for (String name : List.of("0000000000000001.journal", "0000000000000001.released")) {
            try (InputStream in = SpoolFilesTest.class.getResourceAsStream("/legacy-spool/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
    }

    @Test
    void aSpoolLeftPendingByTheVersionBeforeIsReplayedAfterTheUpgrade() throws Exception {
        copyLegacySpool();
        assertThat(Spool.pendingOnDisk(dir)).isEqualTo(2);
        Spool spool = new Spool(dir);
        spool.open();
        List<SpooledMessage> pending = spool.pending();
        assertThat(pending).extracting(SpooledMessage::intakeKey).containsExactly(FIRST.intakeKey(), THIRD.intakeKey());
        assertThat(pending).extracting(SpooledMessage::envelope).containsExactly(FIRST.envelope(), THIRD.envelope());
        assertThat(pending.get(0).raw()).isEqualTo(FIRST.raw());
        assertThat(pending.get(1).raw()).isEqualTo(THIRD.raw());
        assertThat(spool.isPending(SECOND.intakeKey())).as("released before the upgrade").isFalse();
        assertThat(spool.quarantined()).isZero();

        spool.release(List.of(FIRST.intakeKey(), THIRD.intakeKey()));
        SpooledMessage next = spool.write(FIRST.envelope(), "Subject: after\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        spool.close();
        Spool reopened = new Spool(dir);
        reopened.open();
        assertThat(reopened.pending()).extracting(SpooledMessage::intakeKey).containsExactly(next.intakeKey());
        assertThat(Files.exists(dir.resolve("0000000000000001.journal"))).as("the drained old segment is gone").isFalse();
        reopened.close();
    }

    @Test
    void readingADamagedSpoolChangesNoFileAndReportsTheDamage() throws Exception {
        copyLegacySpool();
        Spool spool = new Spool(dir);
        spool.open();
        // The disk damages a pending record after the server opened the spool.
        Path journal = dir.resolve("0000000000000001.journal");
        byte[] bytes = Files.readAllBytes(journal);
        int third = indexOf(bytes, THIRD.raw());
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (bytes[third] ^ 0x10)}), third);
        }
        Map<String, String> before = tree(dir);

        assertThat(spool.pending()).as("the intact one is still replayable").extracting(SpooledMessage::intakeKey)
                .containsExactly(FIRST.intakeKey());
        assertThatThrownBy(() -> spool.find(THIRD.intakeKey())).isInstanceOf(IOException.class).hasMessageContaining("checksum mismatch");
        assertThat(spool.find(FIRST.intakeKey())).isPresent();
        assertThat(Spool.pendingOnDisk(dir)).isEqualTo(1);
        assertThat(spool.quarantined()).isZero();

        assertThat(tree(dir)).as("a read only reads").isEqualTo(before);
        assertThat(spool.isPending(THIRD.intakeKey())).as("left for the server's next start").isTrue();
        spool.close();

        // The server's start is where damage goes to quarantine.
        Spool restarted = new Spool(dir);
        restarted.open();
        assertThat(restarted.pending()).extracting(SpooledMessage::intakeKey).containsExactly(FIRST.intakeKey());
        assertThat(restarted.quarantined()).isZero();
        try (Stream<Path> q = Files.list(dir.resolve("quarantine"))) {
            assertThat(q.map(p -> p.getFileName().toString())).anySatisfy(n -> assertThat(n).endsWith(".damaged"));
        }
        restarted.close();
    }

    @Test
    void aRecordOfALaterLayoutIsQuarantinedByTheServersStartNotByAFind() throws Exception {
        Files.createDirectories(dir);
        byte[] key = new byte[32];
        key[0] = 1;
        byte[] payload = "trapline-spool 2\nsomething new\n\nbytes".getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(dir.resolve("0000000000000001.journal"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (ByteBuffer b : SpoolRecord.FRAMING.frame(key, ByteBuffer.wrap(payload))) {
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
        Spool spool = new Spool(dir);
        spool.open();
        Map<String, String> opened = tree(dir);
        assertThat(spool.pending()).isEmpty();
        assertThat(spool.find(HexFormat.of().formatHex(key))).isEmpty();
        assertThat(tree(dir)).as("the reads wrote nothing").isEqualTo(opened);
        assertThat(spool.quarantined()).isEqualTo(1);
        String hex = HexFormat.of().formatHex(key);
        assertThat(Files.readAllBytes(dir.resolve("quarantine").resolve(hex + ".spool"))).isEqualTo(payload);
        assertThat(Files.readString(dir.resolve("quarantine").resolve(hex + ".reason"))).contains("unreadable spool record");
        spool.close();
        Spool again = new Spool(dir);
        again.open();
        assertThat(again.quarantined()).as("kept once, not at every start").isEqualTo(1);
        again.close();
    }

    private static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** Every file and directory under {@code root} with a digest of its content. */
    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String digest = Files.isDirectory(p) ? "dir"
                        : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                out.put(root.relativize(p).toString(), digest);
            }
        }
        return out;
    }
}
