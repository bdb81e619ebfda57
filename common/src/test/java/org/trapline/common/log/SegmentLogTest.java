package org.trapline.common.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentLogTest {
    /** The accounting journal's layout: no magic, no key. */
    private static final Framing PLAIN = new Framing(Framing.NO_MAGIC, Framing.NO_MAGIC, 0, false, 1, 1 << 20);
    /** The spool's layout: a magic and a 32-byte key under the checksum. */
    private static final Framing KEYED = new Framing(0x54525031, Framing.NO_MAGIC, 32, true, 0, 1 << 20);

    @TempDir
    Path dir;

    private final List<Cut> cuts = new ArrayList<>();

    private record Cut(long from, String problem) {
    }

    private SegmentLog open(SegmentFiles files, long segmentBytes) throws IOException {
        return SegmentLog.open(files, PLAIN, segmentBytes, true, 0, c -> cuts.add(new Cut(c.from(), c.problem())));
    }

    private SegmentFiles files() {
        return new SegmentFiles(dir, ".log", 20);
    }

    private static ByteBuffer[] record(String text) throws IOException {
        return PLAIN.frame(new byte[0], ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> all(SegmentLog log) throws IOException {
        List<String> out = new ArrayList<>();
        for (SegmentLog.Segment s = log.segmentAt(0); s != null; s = log.next(s)) {
            Scan scan = log.scan(s, s.base(), Long.MAX_VALUE, ByteBuffer.allocate(7), f -> {
                out.add(StandardCharsets.UTF_8.decode(f.payload()).toString());
                return true;
            });
            assertThat(scan.damaged()).as("segment %d reads whole", s.base()).isFalse();
        }
        return out;
    }

    @Test
    void recordsComeBackInOrderAcrossRollsAndAReopen() throws Exception {
        List<String> written = new ArrayList<>();
        try (SegmentLog log = open(files(), 64)) {
            for (int i = 0; i < 40; i++) {
                String text = "record " + i + " " + "x".repeat(i);
                log.append(record(text));
                written.add(text);
            }
            assertThat(log.segments()).as("small segments roll").isGreaterThan(5);
            assertThat(all(log)).containsExactlyElementsOf(written);
        }
        try (SegmentLog log = open(files(), 64)) {
            assertThat(all(log)).containsExactlyElementsOf(written);
            assertThat(cuts).isEmpty();
        }
    }

    @Test
    void aTornTailIsCutAtEveryByteOfTheLastRecordAndTheLogGoesOnAfterIt() throws Exception {
        try (SegmentLog log = open(files(), 1 << 20)) {
            log.append(record("first"));
            log.append(record("second"));
            log.append(record("the last one, torn"));
        }
        Path file = files().path(0);
        byte[] whole = Files.readAllBytes(file);
        int lastStart = whole.length - PLAIN.headerBytes() - "the last one, torn".length();
        for (int cut = lastStart; cut < whole.length; cut++) {
            cuts.clear();
            Files.write(file, java.util.Arrays.copyOf(whole, cut));
            try (SegmentLog log = open(files(), 1 << 20)) {
                assertThat(log.end()).as("cut at %d", cut).isEqualTo(lastStart);
                assertThat(all(log)).containsExactly("first", "second");
                assertThat(cuts).as("cut at %d", cut).hasSize(cut == lastStart ? 0 : 1);
                log.append(record("after the crash"));
            }
            assertThat(Files.size(file)).isEqualTo(lastStart + PLAIN.headerBytes() + "after the crash".length());
            try (SegmentLog log = open(files(), 1 << 20)) {
                assertThat(all(log)).containsExactly("first", "second", "after the crash");
            }
        }
    }

    @Test
    void aFlippedBitAnywhereInTheLastRecordIsCaught() throws Exception {
        try (SegmentLog log = open(files(), 1 << 20)) {
            log.append(record("kept"));
            log.append(record("damaged by the disk"));
        }
        Path file = files().path(0);
        byte[] whole = Files.readAllBytes(file);
        int lastStart = PLAIN.headerBytes() + "kept".length();
        for (int i = lastStart; i < whole.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                cuts.clear();
                byte[] bytes = whole.clone();
                bytes[i] ^= (byte) (1 << bit);
                Files.write(file, bytes);
                try (SegmentLog log = open(files(), 1 << 20)) {
                    assertThat(all(log)).as("byte %d bit %d", i, bit).containsExactly("kept");
                    assertThat(cuts).singleElement().satisfies(c -> assertThat(c.from()).isEqualTo(lastStart));
                }
            }
        }
    }

    @Test
    void aZeroFilledTailNeverReadsAsRecords() throws Exception {
        try (SegmentLog log = open(files(), 1 << 20)) {
            log.append(record("real"));
        }
        Path file = files().path(0);
        Files.write(file, new byte[64], StandardOpenOption.APPEND);
        try (SegmentLog log = open(files(), 1 << 20)) {
            assertThat(all(log)).containsExactly("real");
            assertThat(cuts).singleElement().satisfies(c -> assertThat(c.problem()).contains("length"));
        }
    }

    @Test
    void shortReadsReadTheSameRecords() throws Exception {
        List<String> written = new ArrayList<>();
        try (SegmentLog log = open(files(), 200)) {
            for (int i = 0; i < 30; i++) {
                written.add("short read " + i);
                log.append(record("short read " + i));
            }
        }
        for (long seed = 0; seed < 20; seed++) {
            SegmentFiles shortFiles = new SegmentFiles(dir, ".log", 20, ShortReads.opener(seed, 5));
            try (SegmentLog log = open(shortFiles, 200)) {
                assertThat(all(log)).as("seed %d", seed).containsExactlyElementsOf(written);
                assertThat(cuts).as("nothing is torn that was only read short").isEmpty();
            }
        }
    }

    @Test
    void aKeyedFrameReadsAtItsOffsetThroughShortReadsAndChecksItsKey() throws Exception {
        byte[] key = new byte[32];
        new Random(7).nextBytes(key);
        Path file = dir.resolve("keyed");
        long second;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            FileIo.writeFully(ch, KEYED.frame(key, ByteBuffer.wrap("one".getBytes(StandardCharsets.US_ASCII))));
            second = ch.position();
            FileIo.writeFully(ch, KEYED.frame(key, ByteBuffer.wrap("two".getBytes(StandardCharsets.US_ASCII)),
                    ByteBuffer.wrap(" parts".getBytes(StandardCharsets.US_ASCII))));
        }
        try (FileChannel ch = new ShortReads(FileChannel.open(file, StandardOpenOption.READ), 3, 2)) {
            Framing.Read read = KEYED.readAt(ch, second);
            assertThat(read).isInstanceOfSatisfying(Framing.Found.class, f -> {
                assertThat(new String(f.frame().payloadBytes(), StandardCharsets.US_ASCII)).isEqualTo("two parts");
                assertThat(f.frame().keyBytes()).isEqualTo(key);
            });
            assertThat(KEYED.readAt(ch, second + 1)).isInstanceOf(Framing.Damaged.class);
            assertThat(KEYED.readAt(ch, 1 << 20)).isInstanceOf(Framing.Missing.class);
        }
        // The key is under the checksum: a damaged key is damage, not another record.
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) second + 12] ^= 1;
        Files.write(file, bytes);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            assertThat(KEYED.readAt(ch, second)).isEqualTo(new Framing.Damaged("checksum mismatch"));
        }
    }

    @Test
    void anErasedRecordKeepsItsPlaceAndLosesItsBytes() throws Exception {
        Framing packs = new Framing(0x54524157, 0x5444454c, 32, false, 0, 1 << 20);
        Path file = dir.resolve("pack");
        byte[] key = new byte[32];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileIo.writeFully(ch, packs.frame(key, ByteBuffer.wrap("secret".getBytes(StandardCharsets.US_ASCII))));
            FileIo.writeFully(ch, packs.frame(key, ByteBuffer.wrap("after".getBytes(StandardCharsets.US_ASCII))));
            packs.eraseAt(ch, 0, 6);
            assertThat(packs.readAt(ch, 0)).isInstanceOfSatisfying(Framing.Found.class, f -> assertThat(f.frame().erased()).isTrue());
            List<String> live = new ArrayList<>();
            Scan scan = packs.scan(ch, 0, ch.size(), ByteBuffer.allocate(16), f -> {
                if (!f.erased()) {
                    live.add(StandardCharsets.US_ASCII.decode(f.payload()).toString());
                }
                return true;
            });
            assertThat(scan.damaged()).isFalse();
            assertThat(live).containsExactly("after");
        }
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII)).doesNotContain("secret");
    }

    @Test
    void aCrashAnywhereInAWriteLosesNothingThatWasAppended() throws Exception {
        Random random = new Random(42);
        for (int trial = 0; trial < 60; trial++) {
            Path trialDir = Files.createDirectory(dir.resolve("trial-" + trial));
            long crashAfter = random.nextInt(2000);
            long[] written = {0};
            // The "disk" takes bytes until the crash point, then the process dies in the middle of a write.
            SegmentFiles.Opener crashing = (Path p, OpenOption... options) -> new CrashingWrites(FileChannel.open(p, options), written, crashAfter);
            SegmentFiles files = new SegmentFiles(trialDir, ".log", 20, crashing);
            List<String> acknowledged = new ArrayList<>();
            try (SegmentLog log = SegmentLog.open(files, PLAIN, 300, true, 0, c -> { })) {
                for (int i = 0; ; i++) {
                    String text = "message " + i + " " + "y".repeat(random.nextInt(60));
                    log.append(record(text));
                    acknowledged.add(text);
                }
            } catch (IOException crash) {
                assertThat(crash).hasMessage("crash (test)");
            }
            try (SegmentLog log = SegmentLog.open(new SegmentFiles(trialDir, ".log", 20), PLAIN, 300, true, 0, c -> { })) {
                List<String> found = all(log);
                assertThat(found).as("trial %d: every acknowledged record, then at most the one being written", trial)
                        .startsWith(acknowledged.toArray(String[]::new));
                assertThat(found.size() - acknowledged.size()).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void segmentsWhollyBelowAPositionAreDeletedButNeverTheOneWritten() throws Exception {
        try (SegmentLog log = open(files(), 50)) {
            for (int i = 0; i < 10; i++) {
                log.append(record("record number " + i));
            }
            int before = files().numbers().size();
            assertThat(before).isGreaterThan(3);
            long third = files().numbers().get(3);
            assertThat(log.hasWhollyBelow(third)).isTrue();
            assertThat(log.deleteBelow(third)).isEmpty();
            assertThat(files().numbers()).hasSize(before - 3).first().isEqualTo(third);
            assertThat(log.deleteBelow(Long.MAX_VALUE)).isEmpty();
            assertThat(files().numbers()).as("the segment being written stays").hasSize(1);
            assertThat(log.hasWhollyBelow(Long.MAX_VALUE)).isFalse();
        }
    }

    @Test
    void anEmptyLogStartsWherePositionsLeftOffAndOtherFilesAreLeftAlone() throws Exception {
        Files.writeString(dir.resolve("notes.log"), "not a segment");
        try (SegmentLog log = SegmentLog.open(files(), PLAIN, 1 << 20, true, 5000, c -> { })) {
            assertThat(log.end()).isEqualTo(5000);
            log.append(record("x"));
            log.startAt(9000);
            log.append(record("y"));
        }
        assertThat(files().numbers()).containsExactly(5000L, 9000L);
        assertThat(dir.resolve("notes.log")).hasContent("not a segment");
    }

    @Test
    void aPayloadOutsideTheFramingsLimitsIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> PLAIN.frame(new byte[0], ByteBuffer.allocate(0))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PLAIN.frame(new byte[0], ByteBuffer.allocate((1 << 20) + 1))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> KEYED.frame(new byte[31], ByteBuffer.allocate(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Framing(Framing.NO_MAGIC, Framing.NO_MAGIC, 0, false, 0, 10))
                .as("without a magic, zeros would read as empty records").isInstanceOf(IllegalArgumentException.class);
    }
}
