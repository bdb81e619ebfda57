package org.trapline.evidence.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawPacksTest {
    @TempDir
    Path root;

    private static byte[] message(int i) {
        return ("Subject: spam " + i + "\r\n\r\n" + "body ".repeat(i % 50) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void appendedMessagesReadBackExactlyAcrossPacksAndReopens() throws IOException {
        List<RawLocation> at = new ArrayList<>();
        try (RawPacks packs = new RawPacks(root, 1000)) {
            for (int i = 0; i < 40; i++) {
                at.add(packs.append(message(i), RawPacks.sha256(message(i))));
            }
            packs.sync();
            assertThat(packs.packs()).as("rolled at 1000 bytes").hasSizeGreaterThan(3);
        }
        try (RawPacks reopened = new RawPacks(root, 1000)) {
            for (int i = 0; i < 40; i++) {
                assertThat(reopened.read(at.get(i), RawPacks.sha256(message(i)))).hasValue(message(i));
            }
            RawLocation next = reopened.append(message(99), RawPacks.sha256(message(99)));
            assertThat(next.pack()).as("a reopened store never appends after a tail it did not write")
                    .isGreaterThan(at.get(39).pack());
        }
    }

    @Test
    void aRowPointingAtTheWrongMessageOrDamagedBytesIsAnErrorNotWrongEvidence() throws IOException {
        RawLocation a;
        try (RawPacks packs = new RawPacks(root)) {
            a = packs.append(message(1), RawPacks.sha256(message(1)));
            packs.sync();
        }
        RawPacks packs = new RawPacks(root);
        assertThatThrownBy(() -> packs.read(a, RawPacks.sha256(message(2)))).isInstanceOf(IOException.class);
        Path pack = root.resolve(String.format("%016d.pack", a.pack()));
        byte[] bytes = Files.readAllBytes(pack);
        bytes[bytes.length - 3] ^= 0x20;
        Files.write(pack, bytes);
        assertThatThrownBy(() -> packs.read(a, RawPacks.sha256(message(1)))).hasMessageContaining("checksum");
        assertThat(packs.intact(a, RawPacks.sha256(message(1)))).isFalse();
    }

    @Test
    void aTornOrMissingRecordReadsAsAbsent() throws IOException {
        RawLocation a;
        try (RawPacks packs = new RawPacks(root)) {
            a = packs.append(message(7), RawPacks.sha256(message(7)));
        }
        Path pack = root.resolve(String.format("%016d.pack", a.pack()));
        try (var ch = java.nio.channels.FileChannel.open(pack, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(pack) - 5);
        }
        RawPacks packs = new RawPacks(root);
        assertThat(packs.read(a, RawPacks.sha256(message(7)))).isEmpty();
        assertThat(packs.read(RawLocation.of(a.pack() + 5, 0), RawPacks.sha256(message(7)))).isEmpty();
    }

    @Test
    void erasingDestroysTheBytesOnDiskAndUnusedPacksAreDeleted() throws IOException {
        byte[] secret = "Subject: x\r\n\r\ncustomer's secret words\r\n".getBytes(StandardCharsets.US_ASCII);
        RawLocation s;
        RawLocation other;
        try (RawPacks packs = new RawPacks(root, 10)) {
            s = packs.append(secret, RawPacks.sha256(secret));
            other = packs.append(message(3), RawPacks.sha256(message(3)));
            assertThat(packs.erase(s, RawPacks.sha256(secret))).isTrue();
            assertThat(packs.erase(s, RawPacks.sha256(secret))).as("only once").isFalse();
            assertThat(packs.read(s, RawPacks.sha256(secret))).isEmpty();
            Path pack = root.resolve(String.format("%016d.pack", s.pack()));
            assertThat(new String(Files.readAllBytes(pack), StandardCharsets.ISO_8859_1)).doesNotContain("secret words");
            assertThat(packs.read(other, RawPacks.sha256(message(3)))).hasValue(message(3));

            assertThat(packs.deletePacksExcept(Set.of(other.pack()))).isEqualTo(1);
            assertThat(packs.packs()).containsExactly(other.pack());
            // the pack being written is never deleted, whatever the caller thinks is live
            packs.deletePacksExcept(Set.of());
            assertThat(packs.packs()).containsExactly(other.pack());
        }
    }

    @Test
    void aStoreThatCannotCreateItsPackFailsTheAppend() throws IOException {
        Files.writeString(root.resolve("raw"), "a file where the directory should be");
        try (RawPacks packs = new RawPacks(root.resolve("raw"))) {
            assertThatThrownBy(() -> packs.append(message(1), RawPacks.sha256(message(1)))).isInstanceOf(IOException.class);
        }
    }

    @Test
    void concurrentAppendsAllReadBack() throws Exception {
        List<RawLocation>[] at = new List[4];
        try (RawPacks packs = new RawPacks(root, 5000)) {
            Thread[] threads = new Thread[4];
            for (int t = 0; t < 4; t++) {
                int thread = t;
                at[t] = new ArrayList<>();
                threads[t] = new Thread(() -> {
                    for (int i = 0; i < 200; i++) {
                        byte[] m = message(thread * 1000 + i);
                        try {
                            at[thread].add(packs.append(m, RawPacks.sha256(m)));
                            if (i % 20 == 0) {
                                packs.sync();
                            }
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        RawPacks packs = new RawPacks(root);
        for (int t = 0; t < 4; t++) {
            for (int i = 0; i < 200; i++) {
                byte[] m = message(t * 1000 + i);
                assertThat(packs.read(at[t].get(i), RawPacks.sha256(m))).hasValue(m);
            }
        }
    }

    @Test
    void packsWrittenByTheVersionBeforeReadAfterTheUpgrade() throws IOException {
        // Written by main before the segment log (754f9bf): a message appended then erased by a purge, then one kept.
        try (var in = RawPacksTest.class.getResourceAsStream("/legacy-raw/0000000000000001.pack")) {
            Files.createDirectories(root);
            Files.copy(in, root.resolve("0000000000000001.pack"));
        }
        byte[] kept = "Subject: kept\r\n\r\nraw bytes\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] purged = "Subject: purged\r\n\r\nsecret\r\n".getBytes(StandardCharsets.US_ASCII);
        try (RawPacks packs = new RawPacks(root)) {
            assertThat(packs.read(RawLocation.of(1, 71), RawPacks.sha256(kept))).hasValue(kept);
            assertThat(packs.read(RawLocation.of(1, 0), RawPacks.sha256(purged))).as("erased before the upgrade").isEmpty();
            assertThatThrownBy(() -> packs.read(RawLocation.of(1, 71), RawPacks.sha256(purged))).as("a row pointing at another message")
                    .isInstanceOf(IOException.class);
            RawLocation next = packs.append(purged, RawPacks.sha256(purged));
            assertThat(next.pack()).as("a new pack after the old one").isEqualTo(2);
            assertThat(packs.erase(RawLocation.of(1, 71), RawPacks.sha256(kept))).isTrue();
            assertThat(packs.read(RawLocation.of(1, 71), RawPacks.sha256(kept))).isEmpty();
        }
    }
}
